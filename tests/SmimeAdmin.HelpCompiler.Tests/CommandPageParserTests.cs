using System;
using System.Linq;
using Xunit;

namespace SmimeAdmin.HelpCompiler.Tests;

public class CommandPageParserTests
{
    private static CommandHelp GetWidget() => CommandPageParser.Parse(Fixture.Page("Get-Widget.md"), "Get-Widget.md");

    [Fact]
    public void Reads_the_name_front_matter_synopsis_and_description()
    {
        CommandHelp command = GetWidget();

        Assert.Equal("Get-Widget", command.Name);
        Assert.Equal("Fixture.dll-Help.xml", command.ExternalHelpFile);
        Assert.Equal(["Gets widgets from the fixture store."], command.Synopsis);
        Assert.Equal(
            ["The Get-Widget cmdlet gets widgets. It reads them from the store.", "Widgets come in two kinds:", "- round widgets", "- square widgets"],
            command.Description);
    }

    [Fact]
    public void Reads_each_syntax_set_and_which_one_is_the_default()
    {
        Assert.Equal([new SyntaxEntry("ByName", true), new SyntaxEntry("ByPath", false)], GetWidget().Syntax);
    }

    [Fact]
    public void Takes_a_syntax_block_without_a_heading_as_the_one_unnamed_set()
    {
        CommandHelp command = CommandPageParser.Parse(Fixture.Page("Clear-Widget.md"), "Clear-Widget.md");

        Assert.Equal([new SyntaxEntry(null, true)], command.Syntax);
        Assert.Empty(command.Parameters);
    }

    [Fact]
    public void Reads_every_field_of_a_parameter_yaml_block()
    {
        ParameterHelp name = GetWidget().Parameters.Single(p => p.Name == "Name");

        Assert.Equal(2, name.Metadata.Count);
        ParameterMetadata byName = name.Metadata[0];
        Assert.Equal("String", byName.Type);
        Assert.Equal(["ByName"], byName.ParameterSets);
        Assert.Equal(["WidgetName", "N"], byName.Aliases);
        Assert.False(byName.Required);
        Assert.Equal("0", byName.Position);
        Assert.Equal("None", byName.DefaultValue);
        Assert.Equal("True (ByPropertyName, ByValue)", byName.PipelineInput);
        Assert.True(byName.Globbing);
        Assert.Equal("named", name.Metadata[1].Position);
        Assert.Equal(["The widget's name; see the guide (https://example.com/guide) and Get-Gadget."], name.Description);
    }

    [Fact]
    public void Reads_all_sets_accepted_values_and_skips_common_parameters()
    {
        CommandHelp command = GetWidget();

        Assert.Equal(["Force", "Format", "Name", "Path"], command.Parameters.Select(p => p.Name));
        Assert.Null(command.Parameters[0].Metadata[0].ParameterSets);
        Assert.True(command.Parameters[0].Metadata[0].IsSwitch);
        Assert.Equal(["Short", "Long"], command.Parameters[1].Metadata[0].AcceptedValues);
    }

    [Fact]
    public void Reads_examples_types_notes_and_links()
    {
        CommandHelp command = GetWidget();

        Assert.Equal(["Example 1: Get a widget by name", "Example 2: Read widgets from files"], command.Examples.Select(e => e.Title));
        Assert.Equal("$files = Get-ChildItem *.widget\n\nGet-Widget -Path $files", command.Examples[1].Code);
        Assert.Equal(["The first command lists the files; the second reads them."], command.Examples[1].Remarks);
        Assert.Equal("System.String", command.Inputs.Single().TypeName);
        Assert.Equal(["A widget name."], command.Inputs.Single().Description);
        Assert.Equal("Fixture.Widget", command.Outputs.Single().TypeName);
        Assert.Equal(["Error ids: WidgetNotFound, StoreUnavailable."], command.Notes);
        Assert.Equal(
            [new LinkHelp("Online Version:", "https://example.com/Get-Widget"), new LinkHelp("Get-Gadget", string.Empty)],
            command.Links);
    }

    [Theory]
    [InlineData("# Get-Widget\n", "---\nexternal help file: Fixture.dll-Help.xml\nModule Name: Fixture\nonline version: https://example.com/Get-Widget\nschema: 2.0.0\n---\n\n# Get-Widget\n", "must start with front matter", "# Get-Widget")]
    [InlineData("schema: 1.0.0", "schema: 2.0.0", "schema '1.0.0' is not supported", "---")]
    [InlineData("# Get-Widget\n\n# Get-Gadget", "# Get-Widget", "unexpected heading '# Get-Gadget'", "# Get-Gadget")]
    [InlineData("## REMARKS", "## NOTES", "unexpected heading '## REMARKS'", "## REMARKS")]
    [InlineData("## SYNOPSIS\nAgain.\n\n## RELATED LINKS", "## RELATED LINKS", "'## SYNOPSIS' is repeated or out of order", "## SYNOPSIS\nAgain.")]
    [InlineData("### Path", "### -Path", "parameter heading '### Path' must be '### -Name'", "### Path")]
    [InlineData("Position: first", "Position: 0", "-Name: 'Position: first' is not valid (expected a number or Named)", "```yaml\nType: String\nParameter Sets: ByName\nAliases: WidgetName")]
    [InlineData("Parameter Sets: ByFolder\nAliases:\n\nRequired: True", "Parameter Sets: ByPath\nAliases:\n\nRequired: True", "-Path: 'Parameter Sets: ByFolder' is not valid (expected (All) or names from SYNTAX: ByName, ByPath)", "```yaml\nType: String[]")]
    [InlineData("Type: String[]\nMandatory: True", "Type: String[]", "-Path: unknown yaml key 'Mandatory'", "```yaml\nType: String[]")]
    [InlineData("Accept pipeline input: True\n", "Accept pipeline input: True (ByPropertyName)\n", "-Path: 'Accept pipeline input: True' is not valid", "```yaml\nType: String[]")]
    [InlineData("Required: Yes\nPosition: Named\nDefault value: None\nAccept pipeline input: True (ByPropertyName)", "Required: True\nPosition: Named\nDefault value: None\nAccept pipeline input: True (ByPropertyName)", "-Path: 'Required: Yes' is not valid (expected True or False)", "```yaml\nType: String[]")]
    [InlineData("Accept pipeline input: True (ByPropertyName)\n```", "Accept pipeline input: True (ByPropertyName)\nAccept wildcard characters: False\n```", "-Path: the yaml block lacks 'Accept wildcard characters'", "```yaml\nType: String[]")]
    [InlineData("Accept wildcard characters: False\n```\n\nMore about paths.\n\n### CommonParameters", "Accept wildcard characters: False\n```\n\n### CommonParameters", "-Path: a paragraph after the yaml block", "More about paths.")]
    [InlineData("Parameter Sets: ByName\nAliases: WidgetName, N", "Parameter Sets: ByPath\nAliases: WidgetName, N", "-Name: parameter set 'ByName' is covered by more than one yaml block", "### -Name")]
    [InlineData("### Example 2: Read widgets from files\nNo code here.\n\n## PARAMETERS", "### Example 2: Read widgets from files\n```powershell\n$files = Get-ChildItem *.widget\n```\n\n```powershell\nGet-Widget -Path $files\n```\n\nThe first command lists the files; the second reads them.\n\n## PARAMETERS", "example 'Example 2: Read widgets from files' has no code block", "### Example 2")]
    [InlineData("\nGet-Gadget, the gadget cmdlet", "\n[Get-Gadget](Get-Gadget.md)", "RELATED LINKS holds only links", "Get-Gadget, the gadget")]
    [InlineData("## INPUTS\nA widget name.\n\n## OUTPUTS", "## INPUTS\n\n### System.String\nA widget name.\n\n## OUTPUTS", "a paragraph in INPUTS before its first '###' entry", "A widget name.")]
    [InlineData("> Quoted.\n\n## EXAMPLES", "## EXAMPLES", "a block quote is not supported here", "> Quoted.")]
    public void Reports_a_schema_problem_with_its_line(string replacement, string original, string message, string lineStart)
    {
        string markdown = Fixture.Page("Get-Widget.md").Replace(original, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Fixture.Page("Get-Widget.md"), markdown);

        var error = Assert.Throws<HelpSchemaException>(() => CommandPageParser.Parse(markdown, "Get-Widget.md"));

        int line = markdown[..markdown.IndexOf(lineStart, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        Assert.StartsWith($"Get-Widget.md({line}): ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
