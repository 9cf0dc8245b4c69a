using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SmimeAdmin.HelpCompiler;

/// <summary>Markdown parsing and the plain-text forms that help shows (Get-Help renders no markup).</summary>
internal static class MarkdownText
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .Build();

    public static MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, s_pipeline);

    /// <summary>
    /// Inline markup as plain text: emphasis and code spans lose their markers, an absolute link keeps its address in
    /// parentheses (as platyPS renders it), a relative link (another page of docs/) keeps only its text.
    /// </summary>
    /// <param name="container">The inlines of a paragraph, heading or link.</param>
    /// <param name="keepLineBreaks">Whether a soft line break stays a line break rather than becoming a space.</param>
    public static string Inline(ContainerInline? container, bool keepLineBreaks = false)
    {
        var text = new StringBuilder();
        AppendInline(container, text, keepLineBreaks);
        return text.ToString().Trim();
    }

    /// <summary>The <c>key: value</c> lines of a front matter or parameter yaml block, keys as written.</summary>
    public static List<KeyValuePair<string, string>> KeyValueLines(LeafBlock block, string file)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        for (int i = 0; i < block.Lines.Count; i++)
        {
            string line = block.Lines.Lines[i].ToString();
            if (line.Trim() is "" or "---")
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new HelpSchemaException(file, block.Line + i, $"expected 'Key: value', found '{line.Trim()}'");
            }

            pairs.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return pairs;
    }

    /// <summary>The text of a code block, without trailing blank lines.</summary>
    public static string Code(LeafBlock block) =>
        string.Join('\n', block.Lines.Lines.Take(block.Lines.Count).Select(l => l.ToString().TrimEnd())).TrimEnd('\n');

    public static bool IsYaml(Block block) =>
        block is FencedCodeBlock fenced && string.Equals(fenced.Info, "yaml", StringComparison.OrdinalIgnoreCase);

    public static bool IsHtmlComment(Block block) =>
        block is HtmlBlock { Type: HtmlBlockType.Comment };

    /// <summary>
    /// A block as MAML paragraphs: a paragraph or code block is one paragraph, each list item is one paragraph with
    /// its marker, and a table is one paragraph of aligned rows.
    /// </summary>
    public static IEnumerable<string> Paragraphs(Block block, string file, int depth = 0)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                yield return Inline(paragraph.Inline);
                break;
            case CodeBlock code:
                yield return Code(code);
                break;
            case ListBlock list:
                foreach (var (marker, item) in ListItems(list))
                {
                    string indent = new(' ', depth * 2);
                    bool first = true;
                    foreach (Block child in item)
                    {
                        foreach (string text in Paragraphs(child, file, depth + 1))
                        {
                            yield return first && child is not ListBlock ? indent + marker + " " + text : text;
                            first = false;
                        }
                    }
                }

                break;
            case Table table:
                yield return string.Join('\n', TableLines(table));
                break;
            case LinkReferenceDefinitionGroup or ThematicBreakBlock or BlankLineBlock:
                break;
            case HtmlBlock when IsHtmlComment(block):
                break;
            default:
                throw Unsupported(block, file);
        }
    }

    /// <summary>Each item of a list with its marker: <c>-</c> for a bullet list, <c>N.</c> for an ordered one.</summary>
    public static IEnumerable<(string Marker, ListItemBlock Item)> ListItems(ListBlock list)
    {
        int number = list.IsOrdered && int.TryParse(list.OrderedStart, out int start) ? start : 1;
        foreach (ListItemBlock item in list.Cast<ListItemBlock>())
        {
            yield return (list.IsOrdered ? $"{number++}{list.OrderedDelimiter}" : "-", item);
        }
    }

    /// <summary>A pipe table as text: columns padded to their widest cell, the header underlined with dashes.</summary>
    public static IReadOnlyList<string> TableLines(Table table)
    {
        var rows = table.Cast<TableRow>()
            .Select(row => row.Cast<TableCell>().Select(cell => string.Join(' ', cell.OfType<ParagraphBlock>().Select(p => Inline(p.Inline)))).ToList())
            .ToList();
        int columns = rows.Max(r => r.Count);
        int[] widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Count ? r[c].Length : 0)).ToArray();
        string Format(IReadOnlyList<string> cells) =>
            string.Join("  ", Enumerable.Range(0, columns).Select(c => (c < cells.Count ? cells[c] : string.Empty).PadRight(widths[c]))).TrimEnd();

        var lines = new List<string>();
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            lines.Add(Format(row));
            if (index == 0 && table.Cast<TableRow>().First().IsHeader)
            {
                lines.Add(Format(widths.Select(w => new string('-', w)).ToList()));
            }
        }

        return lines;
    }

    public static HelpSchemaException Unsupported(Block block, string file) =>
        new(file, block.Line, $"{Describe(block)} is not supported here (the help compiler covers paragraphs, lists, tables and code blocks)");

    public static string Describe(Block block) => block switch
    {
        HeadingBlock heading => $"heading '{new string('#', heading.Level)} {Inline(heading.Inline)}'",
        FencedCodeBlock fenced => string.IsNullOrEmpty(fenced.Info) ? "a code block" : $"a {fenced.Info} code block",
        YamlFrontMatterBlock => "front matter",
        ParagraphBlock => "a paragraph",
        ListBlock => "a list",
        Table => "a table",
        CodeBlock => "a code block",
        QuoteBlock => "a block quote",
        HtmlBlock => "an HTML block",
        _ => "a " + block.GetType().Name,
    };

    private static void AppendInline(ContainerInline? container, StringBuilder text, bool keepLineBreaks)
    {
        if (container is null)
        {
            return;
        }

        foreach (Inline inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline lineBreak:
                    text.Append(lineBreak.IsHard || keepLineBreaks ? '\n' : ' ');
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
                case LinkInline link:
                    int start = text.Length;
                    AppendInline(link, text, keepLineBreaks);
                    if (IsAbsolute(link.Url) && text.ToString(start, text.Length - start) != link.Url)
                    {
                        text.Append(" (").Append(link.Url).Append(')');
                    }

                    break;
                case HtmlInline html when html.Tag.StartsWith("<!--", StringComparison.Ordinal):
                    break;
                case HtmlInline html:
                    text.Append(html.Tag);
                    break;
                case ContainerInline child:
                    AppendInline(child, text, keepLineBreaks);
                    break;
                default:
                    break;
            }
        }
    }

    public static bool IsAbsolute(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" or "mailto";
}
