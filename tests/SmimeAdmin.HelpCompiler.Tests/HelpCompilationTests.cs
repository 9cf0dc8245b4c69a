using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace SmimeAdmin.HelpCompiler.Tests;

public sealed class HelpCompilationTests : IDisposable
{
    private readonly Fixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Writes_the_maml_its_pages_name_and_a_text_file_per_about_topic()
    {
        var written = HelpCompilation.Compile(Fixture.Docs, _fixture.Output);

        Assert.Equal(["Fixture.dll-Help.xml", "about_Widget.help.txt"], written.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        XDocument maml = XDocument.Load(Path.Combine(_fixture.Output, "Fixture.dll-Help.xml"));
        Assert.Equal(2, maml.Root!.Elements(MamlWriter.Command + "command").Count());
        Assert.StartsWith("TOPIC\n    about_Widget\n", File.ReadAllText(Path.Combine(_fixture.Output, "about_Widget.help.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_the_same_bytes_every_time()
    {
        string first = Path.Combine(_fixture.Output, "first");
        string second = Path.Combine(_fixture.Output, "second");

        HelpCompilation.Compile(Fixture.Docs, first);
        HelpCompilation.Compile(Fixture.Docs, second);

        byte[] maml = File.ReadAllBytes(Path.Combine(first, "Fixture.dll-Help.xml"));
        Assert.Equal(maml, File.ReadAllBytes(Path.Combine(second, "Fixture.dll-Help.xml")));
        Assert.NotEqual(0xEF, maml[0]);
        Assert.DoesNotContain((byte)'\r', maml);
    }

    [Fact]
    public void Writes_a_maml_file_for_each_external_help_file_named()
    {
        string other = Fixture.Page("Clear-Widget.md").Replace("Fixture.dll-Help.xml", "Other.dll-Help.xml", StringComparison.Ordinal);
        string docs = _fixture.DocsWith(("Get-Widget.md", Fixture.Page("Get-Widget.md")), ("Clear-Widget.md", other));

        var written = HelpCompilation.Compile(docs, Path.Combine(_fixture.Output, "help"));

        Assert.Equal(["Fixture.dll-Help.xml", "Other.dll-Help.xml"], written.Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reports_every_broken_page_and_writes_nothing()
    {
        string docs = _fixture.DocsWith(
            ("Get-Widget.md", Fixture.Page("Get-Widget.md").Replace("Position: 0", "Position: first", StringComparison.Ordinal)),
            ("Clear-Widget.md", Fixture.Page("Clear-Widget.md").Replace("## NOTES", "## REMARKS", StringComparison.Ordinal)),
            ("about_Widget.md", Fixture.Page("about_Widget.md").Replace("## SEE ALSO", "## LINKS", StringComparison.Ordinal)));
        string output = Path.Combine(_fixture.Output, "help");

        var error = Assert.Throws<AggregateException>(() => HelpCompilation.Compile(docs, output));

        Assert.Equal(3, error.InnerExceptions.Count);
        Assert.All(error.InnerExceptions, e => Assert.IsType<HelpSchemaException>(e));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Requires_a_page_file_to_be_named_after_its_cmdlet()
    {
        string docs = _fixture.DocsWith(("Get-Gadget.md", Fixture.Page("Get-Widget.md")));

        var error = Assert.Throws<AggregateException>(() => HelpCompilation.Compile(docs, _fixture.Output));

        Assert.Contains("its file must be named Get-Widget.md", error.InnerExceptions.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fails_when_there_is_no_cmdlet_page_to_compile()
    {
        string docs = _fixture.DocsWith(("notes.md", Fixture.Page("notes.md")));

        var error = Assert.Throws<AggregateException>(() => HelpCompilation.Compile(docs, _fixture.Output));

        Assert.Contains("no Verb-Noun.md cmdlet pages", error.InnerExceptions.Single().Message, StringComparison.Ordinal);
    }
}
