using System.Collections.Generic;
using System.Linq;

namespace SmimeAdmin.HelpCompiler;

/// <summary>One cmdlet page (platyPS schema 2.0.0), reduced to what the MAML needs.</summary>
internal sealed record CommandHelp(
    string Name,
    string ExternalHelpFile,
    IReadOnlyList<string> Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<SyntaxEntry> Syntax,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<LinkHelp> Links);

/// <summary>A <c>### SetName</c> entry of SYNTAX; <see cref="Name"/> is null when the page has one unnamed set.</summary>
internal sealed record SyntaxEntry(string? Name, bool IsDefault);

/// <summary>A <c>### -Name</c> entry of PARAMETERS with one metadata block per group of parameter sets.</summary>
internal sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterMetadata> Metadata);

/// <summary>One yaml block of a parameter; <see cref="ParameterSets"/> is null for <c>(All)</c>.</summary>
internal sealed record ParameterMetadata(
    string Type,
    IReadOnlyList<string>? ParameterSets,
    IReadOnlyList<string> Aliases,
    bool Required,
    string Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing,
    IReadOnlyList<string> AcceptedValues)
{
    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";

    public bool AppliesTo(string? parameterSet) =>
        ParameterSets is null || (parameterSet is not null && ParameterSets.Contains(parameterSet));
}

/// <summary>A <c>### TypeName</c> entry of INPUTS or OUTPUTS.</summary>
internal sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

/// <summary>A <c>### Example N: task</c> entry: its code blocks and the prose around them.</summary>
internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>A RELATED LINKS entry; <see cref="Uri"/> is empty unless the link is absolute.</summary>
internal sealed record LinkHelp(string Text, string Uri);
