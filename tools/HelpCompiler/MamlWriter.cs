using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace SmimeAdmin.HelpCompiler;

/// <summary>
/// Writes PowerShell's command help MAML with the elements and attribute values platyPS 0.14's New-ExternalHelp
/// emits, so Get-Help renders the pages the same way whichever tool built them.
/// </summary>
internal static class MamlWriter
{
    public static readonly XNamespace Msh = "http://msh";
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    // platyPS centres example titles in a 64-character rule of dashes.
    private const int ExampleTitleWidth = 64;

    public static XDocument Write(IEnumerable<CommandHelp> commands) =>
        new(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                Msh + "helpItems",
                new XAttribute("schema", "maml"),
                commands.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(CommandElement)));

    private static XElement CommandElement(CommandHelp command)
    {
        int dash = command.Name.IndexOf('-', StringComparison.Ordinal);
        return new XElement(
            Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(
                Command + "details",
                new XElement(Command + "name", command.Name),
                new XElement(Command + "verb", command.Name[..dash]),
                new XElement(Command + "noun", command.Name[(dash + 1)..]),
                Description(command.Synopsis)),
            Description(command.Description),
            new XElement(Command + "syntax", command.Syntax.Select(set => SyntaxItem(command, set))),
            new XElement(Command + "parameters", command.Parameters.Select(p => Parameter(p, p.Metadata[0], inSyntax: false))),
            new XElement(Command + "inputTypes", command.Inputs.Select(t => TypeEntry("inputType", t))),
            new XElement(Command + "returnValues", command.Outputs.Select(t => TypeEntry("returnValue", t))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(command.Notes))),
            new XElement(Command + "examples", command.Examples.Select(Example)),
            new XElement(Command + "relatedLinks", command.Links.Select(Link)));
    }

    private static XElement SyntaxItem(CommandHelp command, SyntaxEntry set)
    {
        var parameters = command.Parameters
            .Select(p => (Parameter: p, Metadata: p.Metadata.FirstOrDefault(m => m.AppliesTo(set.Name))))
            .Where(p => p.Metadata is not null)
            .OrderBy(p => p.Metadata!.Position == "named" ? int.MaxValue : int.Parse(p.Metadata.Position, System.Globalization.CultureInfo.InvariantCulture));
        return new XElement(
            Command + "syntaxItem",
            new XElement(Maml + "name", command.Name),
            parameters.Select(p => Parameter(p.Parameter, p.Metadata!, inSyntax: true)));
    }

    private static XElement Parameter(ParameterHelp parameter, ParameterMetadata metadata, bool inSyntax) =>
        new(
            Command + "parameter",
            new XAttribute("required", Bool(metadata.Required)),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", Bool(metadata.Globbing)),
            new XAttribute("pipelineInput", metadata.PipelineInput),
            new XAttribute("position", metadata.Position),
            new XAttribute("aliases", metadata.Aliases.Count > 0 ? string.Join(", ", metadata.Aliases) : "none"),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description),
            inSyntax && metadata.AcceptedValues.Count > 0
                ? new XElement(
                    Command + "parameterValueGroup",
                    metadata.AcceptedValues.Select(v => new XElement(
                        Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v)))
                : null,
            // Get-Help shows a switch in a syntax line without a value placeholder.
            inSyntax && metadata.IsSwitch
                ? null
                : new XElement(
                    Command + "parameterValue",
                    new XAttribute("required", Bool(!metadata.IsSwitch)),
                    new XAttribute("variableLength", "false"),
                    metadata.Type),
            new XElement(Dev + "type", new XElement(Maml + "name", metadata.Type), new XElement(Maml + "uri")),
            new XElement(
                Dev + "defaultValue",
                metadata.IsSwitch && metadata.DefaultValue is "" or "None" ? "False" : metadata.DefaultValue.Length > 0 ? metadata.DefaultValue : "None"));

    private static XElement TypeEntry(string element, TypeHelp type) =>
        new(
            Command + element,
            new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
            Description(type.Description));

    private static XElement Example(ExampleHelp example) =>
        new(
            Command + "example",
            new XElement(Maml + "title", PadTitle(example.Title)),
            new XElement(Dev + "code", example.Code),
            new XElement(Dev + "remarks", Paragraphs(example.Remarks)));

    private static XElement Link(LinkHelp link) =>
        new(
            Maml + "navigationLink",
            new XElement(Maml + "linkText", link.Text),
            new XElement(Maml + "uri", link.Uri));

    private static XElement Description(IEnumerable<string> paragraphs) =>
        new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));

    private static string Bool(bool value) => value ? "true" : "false";

    internal static string PadTitle(string title)
    {
        if (string.IsNullOrWhiteSpace(title) || title.Length >= ExampleTitleWidth - 2)
        {
            return title;
        }

        string rule = new('-', (ExampleTitleWidth - title.Length - 2) / 2);
        return $"{rule} {title} {rule}";
    }
}
