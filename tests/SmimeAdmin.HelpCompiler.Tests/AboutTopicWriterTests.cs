using System;
using System.Linq;
using Xunit;

namespace SmimeAdmin.HelpCompiler.Tests;

public class AboutTopicWriterTests
{
    private const string Minimal = "# about_Widget\n\n## SHORT DESCRIPTION\nShort.\n\n## LONG DESCRIPTION\nLong.\n\n## SEE ALSO\nGet-Widget\n";

    [Fact]
    public void Renders_the_classic_about_layout()
    {
        const string Expected = """
            TOPIC
                about_Widget

            SHORT DESCRIPTION
                Widgets and where they are kept.

            LONG DESCRIPTION
                Widgets are small objects that the fixture module keeps in a store; this
                sentence is long enough to wrap twice at the column limit, which is what
                the test looks at.

              KEEPING WIDGETS
                Each widget lives in a folder:

                    Get-Widget -Name gear | Format-List

                - Get-Widget reads widgets, even hidden ones when asked to with the Force
                  parameter, which makes this item wrap.
                - Clear-Widget clears the cache.

                Kind    Corners
                ------  -------
                round   0
                square  4

            SEE ALSO
                Get-Widget
                Clear-Widget
                Widget guide (https://example.com/guide)

            """;

        Assert.Equal(Expected, AboutTopicWriter.Render(Fixture.Page("about_Widget.md"), "about_Widget.md", "about_Widget"));
    }

    [Fact]
    public void Keeps_every_line_below_80_columns_and_a_long_word_whole()
    {
        string word = new('x', 90);
        string markdown = Minimal.Replace("Long.", string.Join(' ', Enumerable.Repeat("wrap", 60)) + " " + word, StringComparison.Ordinal);

        var lines = AboutTopicWriter.Render(markdown, "about_Widget.md", "about_Widget").Split('\n');

        Assert.All(lines.Where(l => !l.Contains(word, StringComparison.Ordinal)), l => Assert.True(l.Length <= AboutTopicWriter.MaxLineLength, l));
        Assert.Contains("    " + word, lines);
        Assert.True(lines.Count(l => l.StartsWith("    wrap", StringComparison.Ordinal)) >= 4);
    }

    [Fact]
    public void Numbers_ordered_lists_and_indents_nested_items()
    {
        string markdown = Minimal.Replace("Long.", "1. First\n2. Second\n   - inner", StringComparison.Ordinal);

        string text = AboutTopicWriter.Render(markdown, "about_Widget.md", "about_Widget");

        Assert.Contains("LONG DESCRIPTION\n    1. First\n    2. Second\n       - inner\n\nSEE ALSO", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("# about_Widget\n", "# about_Gadget\n", "an about topic starts with '# about_Widget'")]
    [InlineData("## SHORT DESCRIPTION\nShort.\n\n", "", "first sections are '## SHORT DESCRIPTION' and '## LONG DESCRIPTION'")]
    [InlineData("## SEE ALSO\nGet-Widget\n", "## NOTES\nNone.\n", "has a '## SEE ALSO' section")]
    [InlineData("# about_Widget\n\n", "# about_Widget\n\nIntro.\n\n", "a paragraph outside the topic's '##' sections")]
    [InlineData("Long.", "> Long.", "a block quote is not supported here")]
    public void Reports_a_topic_outside_the_about_schema(string original, string replacement, string message)
    {
        string markdown = Minimal.Replace(original, replacement, StringComparison.Ordinal);

        var error = Assert.Throws<HelpSchemaException>(() => AboutTopicWriter.Render(markdown, "about_Widget.md", "about_Widget"));

        Assert.StartsWith("about_Widget.md(", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
