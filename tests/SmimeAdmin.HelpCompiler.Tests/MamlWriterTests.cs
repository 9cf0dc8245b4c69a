using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace SmimeAdmin.HelpCompiler.Tests;

public class MamlWriterTests
{
    private static readonly XNamespace s_maml = MamlWriter.Maml;
    private static readonly XNamespace s_command = MamlWriter.Command;
    private static readonly XNamespace s_dev = MamlWriter.Dev;

    private static XDocument Compile() => MamlWriter.Write(
    [
        CommandPageParser.Parse(Fixture.Page("Get-Widget.md"), "Get-Widget.md"),
        CommandPageParser.Parse(Fixture.Page("Clear-Widget.md"), "Clear-Widget.md"),
    ]);

    private static XElement GetWidget() =>
        Compile().Root!.Elements(s_command + "command").Single(c => c.Element(s_command + "details")!.Element(s_command + "name")!.Value == "Get-Widget");

    private static string[] ParameterNames(XElement parent) =>
        parent.Elements(s_command + "parameter").Select(p => p.Element(s_maml + "name")!.Value).ToArray();

    [Fact]
    public void Writes_help_items_in_the_msh_namespace_with_one_command_per_page_in_name_order()
    {
        XElement root = Compile().Root!;

        Assert.Equal(MamlWriter.Msh + "helpItems", root.Name);
        Assert.Equal("maml", root.Attribute("schema")!.Value);
        var commands = root.Elements(s_command + "command").ToList();
        Assert.Equal(["Clear-Widget", "Get-Widget"], commands.Select(c => c.Element(s_command + "details")!.Element(s_command + "name")!.Value));
        Assert.All(commands, c =>
        {
            Assert.Equal(s_maml.NamespaceName, c.Attribute(XNamespace.Xmlns + "maml")!.Value);
            Assert.Equal(s_command.NamespaceName, c.Attribute(XNamespace.Xmlns + "command")!.Value);
            Assert.Equal(s_dev.NamespaceName, c.Attribute(XNamespace.Xmlns + "dev")!.Value);
        });
    }

    [Fact]
    public void Writes_details_and_description_in_platyPS_order()
    {
        XElement command = GetWidget();
        XElement details = command.Element(s_command + "details")!;

        Assert.Equal(
            ["details", "description", "syntax", "parameters", "inputTypes", "returnValues", "alertSet", "examples", "relatedLinks"],
            command.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("Get", details.Element(s_command + "verb")!.Value);
        Assert.Equal("Widget", details.Element(s_command + "noun")!.Value);
        Assert.Equal("Gets widgets from the fixture store.", details.Element(s_maml + "description")!.Element(s_maml + "para")!.Value);
        Assert.Equal(4, command.Element(s_maml + "description")!.Elements(s_maml + "para").Count());
    }

    [Fact]
    public void Writes_one_syntax_item_per_set_with_positional_parameters_first()
    {
        var items = GetWidget().Element(s_command + "syntax")!.Elements(s_command + "syntaxItem").ToList();

        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal("Get-Widget", i.Element(s_maml + "name")!.Value));
        Assert.Equal(["Name", "Force", "Format"], ParameterNames(items[0]));
        Assert.Equal(["Force", "Name", "Path"], ParameterNames(items[1]));
    }

    [Fact]
    public void Writes_each_set_s_own_metadata_of_a_parameter_into_its_syntax_item()
    {
        var items = GetWidget().Element(s_command + "syntax")!.Elements(s_command + "syntaxItem").ToList();
        XElement byName = items[0].Elements(s_command + "parameter").First();
        XElement byPath = items[1].Elements(s_command + "parameter").Single(p => p.Element(s_maml + "name")!.Value == "Name");

        Assert.Equal("false", byName.Attribute("required")!.Value);
        Assert.Equal("true", byName.Attribute("variableLength")!.Value);
        Assert.Equal("true", byName.Attribute("globbing")!.Value);
        Assert.Equal("True (ByPropertyName, ByValue)", byName.Attribute("pipelineInput")!.Value);
        Assert.Equal("0", byName.Attribute("position")!.Value);
        Assert.Equal("WidgetName, N", byName.Attribute("aliases")!.Value);
        Assert.Equal("False", byPath.Attribute("pipelineInput")!.Value);
        Assert.Equal("named", byPath.Attribute("position")!.Value);
    }

    [Fact]
    public void Leaves_the_value_out_of_a_switch_in_syntax_but_not_in_parameters()
    {
        XElement command = GetWidget();
        XElement inSyntax = command.Descendants(s_command + "syntaxItem").First().Elements(s_command + "parameter").Single(p => p.Element(s_maml + "name")!.Value == "Force");
        XElement inParameters = command.Element(s_command + "parameters")!.Elements(s_command + "parameter").First();

        Assert.Null(inSyntax.Element(s_command + "parameterValue"));
        Assert.Equal("SwitchParameter", inParameters.Element(s_command + "parameterValue")!.Value);
        Assert.Equal("false", inParameters.Element(s_command + "parameterValue")!.Attribute("required")!.Value);
        Assert.Equal("SwitchParameter", inParameters.Element(s_dev + "type")!.Element(s_maml + "name")!.Value);
        Assert.Equal("False", inParameters.Element(s_dev + "defaultValue")!.Value);
    }

    [Fact]
    public void Writes_accepted_values_as_a_value_group_in_syntax_only()
    {
        XElement command = GetWidget();
        XElement inSyntax = command.Descendants(s_command + "syntaxItem").First().Elements(s_command + "parameter").Last();
        XElement inParameters = command.Element(s_command + "parameters")!.Elements(s_command + "parameter").ElementAt(1);

        Assert.Equal(["Short", "Long"], inSyntax.Element(s_command + "parameterValueGroup")!.Elements(s_command + "parameterValue").Select(v => v.Value));
        Assert.Null(inParameters.Element(s_command + "parameterValueGroup"));
        Assert.Equal("Short", inParameters.Element(s_dev + "defaultValue")!.Value);
    }

    [Fact]
    public void Lists_parameters_in_page_order_with_their_first_yaml_block()
    {
        XElement parameters = GetWidget().Element(s_command + "parameters")!;
        XElement name = parameters.Elements(s_command + "parameter").ElementAt(2);

        Assert.Equal(["Force", "Format", "Name", "Path"], ParameterNames(parameters));
        Assert.Equal("0", name.Attribute("position")!.Value);
        Assert.Equal(
            "The widget's name; see the guide (https://example.com/guide) and Get-Gadget.",
            name.Element(s_maml + "description")!.Element(s_maml + "para")!.Value);
        Assert.Equal("String[]", parameters.Elements(s_command + "parameter").Last().Element(s_command + "parameterValue")!.Value);
    }

    [Fact]
    public void Writes_inputs_outputs_and_notes()
    {
        XElement command = GetWidget();

        Assert.Equal("System.String", command.Element(s_command + "inputTypes")!.Element(s_command + "inputType")!.Element(s_dev + "type")!.Element(s_maml + "name")!.Value);
        XElement output = command.Element(s_command + "returnValues")!.Element(s_command + "returnValue")!;
        Assert.Equal("Fixture.Widget", output.Element(s_dev + "type")!.Element(s_maml + "name")!.Value);
        Assert.Equal("One object per widget.", output.Element(s_maml + "description")!.Element(s_maml + "para")!.Value);
        Assert.Equal("Error ids: WidgetNotFound, StoreUnavailable.", command.Element(s_maml + "alertSet")!.Element(s_maml + "alert")!.Element(s_maml + "para")!.Value);
    }

    [Fact]
    public void Writes_examples_with_a_dashed_title_the_code_and_the_remarks()
    {
        var examples = GetWidget().Element(s_command + "examples")!.Elements(s_command + "example").ToList();

        Assert.Equal("--------------- Example 1: Get a widget by name ---------------", examples[0].Element(s_maml + "title")!.Value);
        Assert.Equal("Get-Widget -Name gear", examples[0].Element(s_dev + "code")!.Value);
        Assert.Equal("This command gets the widget named gear.", examples[0].Element(s_dev + "remarks")!.Element(s_maml + "para")!.Value);
        Assert.Equal("$files = Get-ChildItem *.widget\n\nGet-Widget -Path $files", examples[1].Element(s_dev + "code")!.Value);
    }

    [Fact]
    public void Writes_related_links_with_a_uri_only_when_it_is_absolute()
    {
        var links = GetWidget().Element(s_command + "relatedLinks")!.Elements(s_maml + "navigationLink")
            .Select(l => (l.Element(s_maml + "linkText")!.Value, l.Element(s_maml + "uri")!.Value));

        Assert.Equal([("Online Version:", "https://example.com/Get-Widget"), ("Get-Gadget", string.Empty)], links);
    }

    [Theory]
    [InlineData("Example 1", "-------------------------- Example 1 --------------------------")]
    [InlineData("Example 10: Make every option of the widget store explicit in one", "Example 10: Make every option of the widget store explicit in one")]
    public void Centres_example_titles_in_dashes_up_to_64_characters(string title, string expected)
    {
        Assert.Equal(expected, MamlWriter.PadTitle(title));
    }
}
