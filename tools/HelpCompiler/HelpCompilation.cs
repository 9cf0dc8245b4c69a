using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace SmimeAdmin.HelpCompiler;

/// <summary>Compiles a docs folder: every Verb-Noun.md into the MAML file its front matter names, every about_*.md into a .help.txt.</summary>
internal static partial class HelpCompilation
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the compiled help into <paramref name="outputFolder"/> and returns the files written.</summary>
    /// <exception cref="AggregateException">One <see cref="HelpSchemaException"/> per page that does not follow the schema; nothing is written.</exception>
    public static IReadOnlyList<string> Compile(string docsFolder, string outputFolder)
    {
        var pages = Directory.GetFiles(docsFolder, "*.md").OrderBy(p => p, StringComparer.Ordinal).ToList();
        var commandPages = pages.Where(p => CommandPageName().IsMatch(Path.GetFileName(p))).ToList();
        var aboutPages = pages.Where(p => Path.GetFileName(p).StartsWith("about_", StringComparison.OrdinalIgnoreCase)).ToList();
        if (commandPages.Count == 0)
        {
            throw new AggregateException(new HelpSchemaException($"{docsFolder}: no Verb-Noun.md cmdlet pages to compile"));
        }

        var errors = new List<Exception>();
        var commands = new List<CommandHelp>();
        foreach (string page in commandPages)
        {
            try
            {
                CommandHelp command = CommandPageParser.Parse(File.ReadAllText(page), page);
                if (!string.Equals(command.Name + ".md", Path.GetFileName(page), StringComparison.Ordinal))
                {
                    throw new HelpSchemaException(page, 0, $"the page documents {command.Name}; its file must be named {command.Name}.md");
                }

                commands.Add(command);
            }
            catch (HelpSchemaException e)
            {
                errors.Add(e);
            }
        }

        var topics = new List<(string Name, string Text)>();
        foreach (string page in aboutPages)
        {
            try
            {
                string name = Path.GetFileNameWithoutExtension(page);
                topics.Add((name, AboutTopicWriter.Render(File.ReadAllText(page), page, name)));
            }
            catch (HelpSchemaException e)
            {
                errors.Add(e);
            }
        }

        if (errors.Count > 0)
        {
            throw new AggregateException(errors);
        }

        Directory.CreateDirectory(outputFolder);
        var written = new List<string>();
        foreach (var group in commands.GroupBy(c => c.ExternalHelpFile, StringComparer.OrdinalIgnoreCase))
        {
            string path = Path.Combine(outputFolder, group.Key);
            var settings = new XmlWriterSettings { Encoding = s_utf8, Indent = true, IndentChars = "  ", NewLineChars = "\n" };
            using (XmlWriter writer = XmlWriter.Create(path, settings))
            {
                MamlWriter.Write(group).Save(writer);
            }

            File.AppendAllText(path, "\n", s_utf8);
            written.Add(path);
        }

        foreach (var (name, text) in topics)
        {
            string path = Path.Combine(outputFolder, name + ".help.txt");
            File.WriteAllText(path, text, s_utf8);
            written.Add(path);
        }

        return written;
    }

    [GeneratedRegex(@"^[A-Z][A-Za-z]*-[A-Z][A-Za-z0-9]*\.md$")]
    private static partial Regex CommandPageName();
}
