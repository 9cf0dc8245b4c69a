using System;
using System.IO;

namespace SmimeAdmin.HelpCompiler.Tests;

/// <summary>The fixture pages copied next to the test assembly, and a scratch folder for compiler output.</summary>
internal sealed class Fixture : IDisposable
{
    public Fixture()
    {
        Output = Path.Combine(Path.GetTempPath(), "SmimeAdmin.HelpCompiler.Tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Output);
    }

    public static string Docs { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public string Output { get; }

    public static string Page(string name) => File.ReadAllText(Path.Combine(Docs, name));

    /// <summary>A docs folder holding the given pages, for cases the fixture folder does not cover.</summary>
    public string DocsWith(params (string Name, string Markdown)[] pages)
    {
        string folder = Path.Combine(Output, "docs");
        Directory.CreateDirectory(folder);
        foreach (var (name, markdown) in pages)
        {
            File.WriteAllText(Path.Combine(folder, name), markdown);
        }

        return folder;
    }

    public void Dispose()
    {
        if (Directory.Exists(Output))
        {
            Directory.Delete(Output, recursive: true);
        }
    }
}
