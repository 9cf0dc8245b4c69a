using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SmimeAdmin.HelpCompiler;

/// <summary>
/// Reads a cmdlet page in platyPS's markdown schema 2.0.0. Only the parts of the schema SmimeAdmin's pages use are
/// covered; anything else is reported with its line rather than dropped.
/// </summary>
internal static partial class CommandPageParser
{
    public const string ExternalHelpFileKey = "external help file";

    private const string AllParameterSets = "(All)";
    private const string DefaultSetSuffix = " (Default)";

    private static readonly string[] s_sections =
    [
        "SYNOPSIS", "SYNTAX", "ALIASES", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS",
    ];

    private static readonly string[] s_yamlKeys =
    [
        "Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value",
        "Accept pipeline input", "Accept wildcard characters",
    ];

    private static readonly string[] s_requiredYamlKeys = s_yamlKeys.Where(k => k != "Accepted values").ToArray();

    public static CommandHelp Parse(string markdown, string file)
    {
        MarkdownDocument document = MarkdownText.Parse(markdown);
        var blocks = document.Where(b => !MarkdownText.IsHtmlComment(b) && b is not LinkReferenceDefinitionGroup).ToList();

        if (blocks.Count == 0 || blocks[0] is not YamlFrontMatterBlock frontMatter)
        {
            throw new HelpSchemaException(file, 0, "the page must start with front matter ('---' ... '---')");
        }

        var metadata = MarkdownText.KeyValueLines(frontMatter, file)
            .GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase);
        if (!metadata.TryGetValue(ExternalHelpFileKey, out string? helpFile) || helpFile.Length == 0)
        {
            throw new HelpSchemaException(file, frontMatter.Line, $"the front matter has no '{ExternalHelpFileKey}'");
        }

        if (metadata.TryGetValue("schema", out string? schema) && schema != "2.0.0")
        {
            throw new HelpSchemaException(file, frontMatter.Line, $"schema '{schema}' is not supported (expected 2.0.0)");
        }

        if (blocks.Count < 2 || blocks[1] is not HeadingBlock { Level: 1 } title)
        {
            throw new HelpSchemaException(file, blocks.Count > 1 ? blocks[1].Line : frontMatter.Line, "expected '# Verb-Noun' after the front matter");
        }

        string name = MarkdownText.Inline(title.Inline);
        if (!CommandName().IsMatch(name))
        {
            throw new HelpSchemaException(file, title.Line, $"'{name}' is not a Verb-Noun cmdlet name");
        }

        var sections = SplitSections(blocks.Skip(2).ToList(), file);
        var syntax = ParseSyntax(Section(sections, "SYNTAX"), file);
        var parameters = ParseParameters(Section(sections, "PARAMETERS"), syntax, file);

        if (!sections.ContainsKey("SYNOPSIS"))
        {
            throw new HelpSchemaException(file, title.Line, "the page has no '## SYNOPSIS'");
        }

        return new CommandHelp(
            name,
            helpFile,
            ProseParagraphs(Section(sections, "SYNOPSIS"), file),
            ProseParagraphs(Section(sections, "DESCRIPTION"), file),
            syntax,
            parameters,
            ParseTypes(Section(sections, "INPUTS"), file, "INPUTS"),
            ParseTypes(Section(sections, "OUTPUTS"), file, "OUTPUTS"),
            ProseParagraphs(Section(sections, "NOTES"), file),
            ParseExamples(Section(sections, "EXAMPLES"), file),
            ParseLinks(Section(sections, "RELATED LINKS"), file));
    }

    private static Dictionary<string, List<Block>> SplitSections(List<Block> blocks, string file)
    {
        var sections = new Dictionary<string, List<Block>>(StringComparer.Ordinal);
        List<Block>? current = null;
        int lastIndex = -1;
        foreach (Block block in blocks)
        {
            if (block is HeadingBlock { Level: <= 2 } heading)
            {
                string text = MarkdownText.Inline(heading.Inline);
                int index = Array.IndexOf(s_sections, text);
                if (heading.Level == 1 || index < 0)
                {
                    throw new HelpSchemaException(file, heading.Line, $"unexpected heading '{new string('#', heading.Level)} {text}' (expected one of: {string.Join(", ", s_sections)})");
                }

                if (index <= lastIndex)
                {
                    throw new HelpSchemaException(file, heading.Line, $"'## {text}' is repeated or out of order (the order is {string.Join(", ", s_sections)})");
                }

                lastIndex = index;
                current = [];
                sections[text] = current;
            }
            else if (current is null)
            {
                throw new HelpSchemaException(file, block.Line, $"{MarkdownText.Describe(block)} before the first '##' section");
            }
            else
            {
                current.Add(block);
            }
        }

        return sections;
    }

    private static List<Block> Section(Dictionary<string, List<Block>> sections, string name) =>
        sections.TryGetValue(name, out var blocks) ? blocks : [];

    private static List<string> ProseParagraphs(IEnumerable<Block> blocks, string file)
    {
        var paragraphs = new List<string>();
        foreach (Block block in blocks)
        {
            if (block is HeadingBlock)
            {
                throw MarkdownText.Unsupported(block, file);
            }

            paragraphs.AddRange(MarkdownText.Paragraphs(block, file));
        }

        return paragraphs;
    }

    /// <summary>The blocks of a section grouped under its <c>###</c> headings; text before the first one is an error.</summary>
    private static List<(HeadingBlock Heading, string Title, List<Block> Body)> SplitEntries(List<Block> blocks, string file, string section)
    {
        var entries = new List<(HeadingBlock, string, List<Block>)>();
        foreach (Block block in blocks)
        {
            if (block is HeadingBlock { Level: 3 } heading)
            {
                entries.Add((heading, MarkdownText.Inline(heading.Inline), []));
            }
            else if (block is HeadingBlock other)
            {
                throw new HelpSchemaException(file, other.Line, $"unexpected {MarkdownText.Describe(other)} in {section} (entries are '###' headings)");
            }
            else if (entries.Count == 0)
            {
                throw new HelpSchemaException(file, block.Line, $"{MarkdownText.Describe(block)} in {section} before its first '###' entry");
            }
            else
            {
                entries[^1].Item3.Add(block);
            }
        }

        return entries;
    }

    private static List<SyntaxEntry> ParseSyntax(List<Block> blocks, string file)
    {
        if (blocks.Count > 0 && blocks[0] is CodeBlock && blocks.Count == 1)
        {
            return [new SyntaxEntry(null, true)];
        }

        var entries = new List<SyntaxEntry>();
        foreach (var (heading, title, body) in SplitEntries(blocks, file, "SYNTAX"))
        {
            if (body.Count != 1 || body[0] is not CodeBlock)
            {
                throw new HelpSchemaException(file, heading.Line, $"syntax entry '{title}' must hold exactly one code block");
            }

            bool isDefault = title.EndsWith(DefaultSetSuffix, StringComparison.Ordinal);
            string setName = isDefault ? title[..^DefaultSetSuffix.Length] : title;
            if (entries.Any(e => string.Equals(e.Name, setName, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpSchemaException(file, heading.Line, $"parameter set '{setName}' appears twice in SYNTAX");
            }

            entries.Add(new SyntaxEntry(setName, isDefault));
        }

        if (entries.Count == 0)
        {
            throw new HelpSchemaException(file, 0, "SYNTAX has no entries");
        }

        return entries;
    }

    private static List<ParameterHelp> ParseParameters(List<Block> blocks, List<SyntaxEntry> syntax, string file)
    {
        var parameters = new List<ParameterHelp>();
        foreach (var (heading, title, body) in SplitEntries(blocks, file, "PARAMETERS"))
        {
            if (title is "CommonParameters" or "WorkflowParameters")
            {
                continue;
            }

            if (!title.StartsWith('-') || title.Length < 2 || title.Contains(' ', StringComparison.Ordinal))
            {
                throw new HelpSchemaException(file, heading.Line, $"parameter heading '### {title}' must be '### -Name'");
            }

            string name = title[1..];
            if (parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpSchemaException(file, heading.Line, $"parameter -{name} is documented twice");
            }

            var description = new List<string>();
            var metadata = new List<ParameterMetadata>();
            foreach (Block block in body)
            {
                if (MarkdownText.IsYaml(block))
                {
                    metadata.Add(ParseMetadata((LeafBlock)block, name, syntax, file));
                }
                else if (metadata.Count > 0)
                {
                    throw new HelpSchemaException(file, block.Line, $"-{name}: {MarkdownText.Describe(block)} after the yaml block (the description goes before it)");
                }
                else
                {
                    description.AddRange(MarkdownText.Paragraphs(block, file));
                }
            }

            if (metadata.Count == 0)
            {
                throw new HelpSchemaException(file, heading.Line, $"-{name} has no yaml block");
            }

            var sets = metadata.SelectMany(m => m.ParameterSets ?? syntax.Select(s => s.Name ?? AllParameterSets)).ToList();
            string? repeated = sets.GroupBy(s => s, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1)?.Key;
            if (repeated is not null)
            {
                throw new HelpSchemaException(file, heading.Line, $"-{name}: parameter set '{repeated}' is covered by more than one yaml block");
            }

            parameters.Add(new ParameterHelp(name, description, metadata));
        }

        return parameters;
    }

    private static ParameterMetadata ParseMetadata(LeafBlock yaml, string parameter, List<SyntaxEntry> syntax, string file)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in MarkdownText.KeyValueLines(yaml, file))
        {
            string? known = s_yamlKeys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                throw new HelpSchemaException(file, yaml.Line, $"-{parameter}: unknown yaml key '{key}' (known: {string.Join(", ", s_yamlKeys)})");
            }

            if (!values.TryAdd(known, value))
            {
                throw new HelpSchemaException(file, yaml.Line, $"-{parameter}: yaml key '{known}' is given twice");
            }
        }

        string[] missing = s_requiredYamlKeys.Where(k => !values.ContainsKey(k)).ToArray();
        if (missing.Length > 0)
        {
            throw new HelpSchemaException(file, yaml.Line, $"-{parameter}: the yaml block lacks {string.Join(", ", missing.Select(k => $"'{k}'"))}");
        }

        HelpSchemaException Invalid(string key, string expected) =>
            new(file, yaml.Line, $"-{parameter}: '{key}: {values[key]}' is not valid (expected {expected})");

        string type = values["Type"];
        if (type.Length == 0)
        {
            throw Invalid("Type", "a type name");
        }

        List<string>? sets = null;
        if (values["Parameter Sets"] != AllParameterSets)
        {
            sets = SplitList(values["Parameter Sets"]);
            string? unknown = sets.FirstOrDefault(s => !syntax.Any(e => string.Equals(e.Name, s, StringComparison.OrdinalIgnoreCase)));
            if (sets.Count == 0 || unknown is not null)
            {
                throw Invalid("Parameter Sets", $"{AllParameterSets} or names from SYNTAX: {string.Join(", ", syntax.Select(e => e.Name ?? AllParameterSets))}");
            }

            sets = sets.Select(s => syntax.First(e => string.Equals(e.Name, s, StringComparison.OrdinalIgnoreCase)).Name!).ToList();
        }

        string position = values["Position"];
        if (string.Equals(position, "Named", StringComparison.OrdinalIgnoreCase))
        {
            position = "named";
        }
        else if (!uint.TryParse(position, out _))
        {
            throw Invalid("Position", "a number or Named");
        }

        string pipeline = values["Accept pipeline input"];
        if (!PipelineInput().IsMatch(pipeline))
        {
            throw Invalid("Accept pipeline input", "False, True (ByValue), True (ByPropertyName) or True (ByPropertyName, ByValue)");
        }

        return new ParameterMetadata(
            string.Equals(type, "switch", StringComparison.OrdinalIgnoreCase) ? "SwitchParameter" : type,
            sets,
            SplitList(values["Aliases"]),
            ParseBool(values, "Required", Invalid),
            position,
            values["Default value"],
            pipeline,
            ParseBool(values, "Accept wildcard characters", Invalid),
            values.TryGetValue("Accepted values", out string? accepted) ? SplitList(accepted) : []);
    }

    private static bool ParseBool(Dictionary<string, string> values, string key, Func<string, string, HelpSchemaException> invalid) =>
        values[key].ToUpperInvariant() switch
        {
            "TRUE" => true,
            "FALSE" => false,
            _ => throw invalid(key, "True or False"),
        };

    private static List<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static List<TypeHelp> ParseTypes(List<Block> blocks, string file, string section) =>
        SplitEntries(blocks, file, section)
            .Select(e => new TypeHelp(e.Title, ProseParagraphs(e.Body, file)))
            .ToList();

    private static List<ExampleHelp> ParseExamples(List<Block> blocks, string file)
    {
        var examples = new List<ExampleHelp>();
        foreach (var (heading, title, body) in SplitEntries(blocks, file, "EXAMPLES"))
        {
            var code = body.OfType<FencedCodeBlock>().Select(MarkdownText.Code).ToList();
            if (code.Count == 0)
            {
                throw new HelpSchemaException(file, heading.Line, $"example '{title}' has no code block");
            }

            var remarks = body.Where(b => b is not FencedCodeBlock).SelectMany(b => MarkdownText.Paragraphs(b, file)).ToList();
            examples.Add(new ExampleHelp(title, string.Join("\n\n", code), remarks));
        }

        return examples;
    }

    private static List<LinkHelp> ParseLinks(List<Block> blocks, string file)
    {
        var links = new List<LinkHelp>();
        foreach (Block block in blocks)
        {
            var paragraphs = block switch
            {
                ParagraphBlock paragraph => [paragraph],
                ListBlock list => list.Cast<ListItemBlock>().SelectMany(i => i).OfType<ParagraphBlock>().ToList(),
                _ => throw MarkdownText.Unsupported(block, file),
            };

            foreach (ParagraphBlock paragraph in paragraphs)
            {
                foreach (Inline inline in paragraph.Inline!)
                {
                    switch (inline)
                    {
                        case LinkInline { IsImage: false } link:
                            links.Add(new LinkHelp(MarkdownText.Inline(link), MarkdownText.IsAbsolute(link.Url) ? link.Url! : string.Empty));
                            break;
                        case AutolinkInline autolink:
                            links.Add(new LinkHelp(autolink.Url, autolink.Url));
                            break;
                        case LineBreakInline:
                        case LiteralInline literal when literal.Content.IsEmptyOrWhitespace():
                            break;
                        default:
                            throw new HelpSchemaException(file, paragraph.Line, "RELATED LINKS holds only links ('[text](uri)'), one per line or list item");
                    }
                }
            }
        }

        return links;
    }

    [GeneratedRegex(@"^[A-Z][A-Za-z]*-[A-Z][A-Za-z0-9]*$")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"^(False|True \((ByValue|ByPropertyName|ByPropertyName, ByValue)\))$", RegexOptions.IgnoreCase)]
    private static partial Regex PipelineInput();
}
