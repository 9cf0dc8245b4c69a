using System;
using System.Collections.Generic;
using System.Linq;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace SmimeAdmin.HelpCompiler;

/// <summary>
/// Renders an about topic (platyPS's about schema: <c># about_Name</c>, <c>## SHORT DESCRIPTION</c>,
/// <c>## LONG DESCRIPTION</c> with <c>###</c> sub-headings, further sections such as EXAMPLES, <c>## SEE ALSO</c>, and
/// optionally <c>## KEYWORDS</c>) as the classic about_*.help.txt:
/// headings in capitals at the margin, sub-headings indented two spaces, text indented four and wrapped, code eight.
/// </summary>
internal sealed class AboutTopicWriter
{
    // Lines stay below 80 columns: an 80-column console wraps a line that fills its last column.
    public const int MaxLineLength = 79;

    private const string TextIndent = "    ";
    private const string CodeIndent = "        ";

    private readonly List<string> _lines = [];
    private readonly string _file;
    // The next block follows the last line directly: after a heading, or a nested list after its item's text.
    private bool _attached;
    private bool _inSeeAlso;

    private AboutTopicWriter(string file)
    {
        _file = file;
    }

    /// <summary>The help text, with LF line ends and a final newline.</summary>
    /// <param name="markdown">The about page.</param>
    /// <param name="file">The page's path, for messages.</param>
    /// <param name="topicName">The name the topic must have (the file name without .md).</param>
    public static string Render(string markdown, string file, string topicName)
    {
        var blocks = MarkdownText.Parse(markdown)
            .Where(b => b is not YamlFrontMatterBlock && !MarkdownText.IsHtmlComment(b) && b is not LinkReferenceDefinitionGroup)
            .ToList();
        CheckSchema(blocks, file, topicName);

        var writer = new AboutTopicWriter(file);
        writer.Heading(0, "TOPIC");
        writer.Text(TextIndent, topicName);
        foreach (Block block in blocks.Skip(1))
        {
            writer.Block(block, TextIndent);
        }

        return string.Join('\n', writer._lines) + "\n";
    }

    private static void CheckSchema(List<Block> blocks, string file, string topicName)
    {
        if (blocks.Count == 0 || blocks[0] is not HeadingBlock { Level: 1 } title || MarkdownText.Inline(title.Inline) != topicName)
        {
            throw new HelpSchemaException(file, blocks.Count > 0 ? blocks[0].Line : 0, $"an about topic starts with '# {topicName}'");
        }

        var sections = blocks.OfType<HeadingBlock>().Where(h => h.Level == 2).Select(h => MarkdownText.Inline(h.Inline).ToUpperInvariant()).ToList();
        if (sections.Count < 2 || sections[0] != "SHORT DESCRIPTION" || sections[1] != "LONG DESCRIPTION")
        {
            throw new HelpSchemaException(file, title.Line, "an about topic's first sections are '## SHORT DESCRIPTION' and '## LONG DESCRIPTION'");
        }

        // platyPS's about template ends with KEYWORDS, after SEE ALSO.
        if (!sections.Contains("SEE ALSO"))
        {
            throw new HelpSchemaException(file, title.Line, "an about topic has a '## SEE ALSO' section");
        }

        Block? stray = blocks.Skip(1).TakeWhile(b => b is not HeadingBlock { Level: 2 }).FirstOrDefault();
        HeadingBlock? extraTitle = blocks.Skip(1).OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1);
        if (stray is not null || extraTitle is not null)
        {
            Block at = stray ?? extraTitle!;
            throw new HelpSchemaException(file, at.Line, $"{MarkdownText.Describe(at)} outside the topic's '##' sections");
        }
    }

    private void Block(Block block, string indent)
    {
        switch (block)
        {
            case HeadingBlock heading:
                _inSeeAlso = heading.Level == 2 && MarkdownText.Inline(heading.Inline).Equals("SEE ALSO", StringComparison.OrdinalIgnoreCase);
                Heading(heading.Level == 2 ? 0 : 2, MarkdownText.Inline(heading.Inline).ToUpperInvariant());
                break;
            case ParagraphBlock paragraph when _inSeeAlso:
                // One reference a line, as written.
                Separate();
                _lines.AddRange(MarkdownText.Inline(paragraph.Inline, keepLineBreaks: true).Split('\n').Select(l => indent + l.Trim()));
                break;
            case ParagraphBlock paragraph:
                Separate();
                Text(indent, MarkdownText.Inline(paragraph.Inline));
                break;
            case CodeBlock code:
                Separate();
                _lines.AddRange(MarkdownText.Code(code).Split('\n').Select(l => l.Length == 0 ? l : CodeIndent + indent[TextIndent.Length..] + l));
                break;
            case ListBlock list:
                Separate();
                List(list, indent);
                break;
            case Table table:
                Separate();
                _lines.AddRange(MarkdownText.TableLines(table).Select(l => indent + l));
                break;
            case ThematicBreakBlock or BlankLineBlock:
                break;
            default:
                throw MarkdownText.Unsupported(block, _file);
        }
    }

    private void List(ListBlock list, string indent)
    {
        foreach (var (marker, item) in MarkdownText.ListItems(list))
        {
            // SEE ALSO lists one reference a line, without bullets.
            string prefix = _inSeeAlso ? string.Empty : marker + " ";
            string hanging = indent + new string(' ', prefix.Length);
            bool first = true;
            foreach (Block child in item)
            {
                if (first && child is ParagraphBlock paragraph)
                {
                    Wrap(MarkdownText.Inline(paragraph.Inline), indent + prefix, hanging);
                }
                else
                {
                    // A nested list follows its item's text directly; anything else after a blank line.
                    _attached = child is ListBlock;
                    Block(child, hanging);
                }

                first = false;
            }
        }
    }

    private void Heading(int indent, string text)
    {
        if (_lines.Count > 0)
        {
            _lines.Add(string.Empty);
        }

        _lines.Add(new string(' ', indent) + text);
        _attached = true;
    }

    private void Separate()
    {
        if (!_attached)
        {
            _lines.Add(string.Empty);
        }

        _attached = false;
    }

    private void Text(string indent, string text) => Wrap(text, indent, indent);

    private void Wrap(string text, string firstIndent, string indent)
    {
        foreach (string paragraphLine in text.Split('\n'))
        {
            string line = firstIndent;
            bool empty = true;
            foreach (string word in paragraphLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > MaxLineLength)
                {
                    _lines.Add(line);
                    line = indent;
                    empty = true;
                }

                line += (empty ? string.Empty : " ") + word;
                empty = false;
            }

            _lines.Add(line.TrimEnd());
            firstIndent = indent;
        }
    }
}
