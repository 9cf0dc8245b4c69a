using System;
using System.IO;
using SmimeAdmin.Core.Store;
using Xunit;

namespace SmimeAdmin.Core.Tests.Store;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string FilePath => _folder.Combine("config.json");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Write_creates_a_file_and_leaves_no_temporary_file()
    {
        AtomicFile.Write(FilePath, new byte[] { 1, 2, 3 });

        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(FilePath));
        Assert.Equal(new[] { FilePath }, Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void Write_replaces_the_whole_content_of_an_existing_file()
    {
        File.WriteAllBytes(FilePath, new byte[] { 9, 9, 9, 9, 9, 9 });

        AtomicFile.Write(FilePath, new byte[] { 4, 5 });

        Assert.Equal(new byte[] { 4, 5 }, File.ReadAllBytes(FilePath));
        Assert.Equal(new[] { FilePath }, Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void ReadIfExists_returns_the_bytes_of_an_existing_file()
    {
        File.WriteAllBytes(FilePath, new byte[] { 7, 8 });

        Assert.Equal(new byte[] { 7, 8 }, AtomicFile.ReadIfExists(FilePath));
    }

    [Fact]
    public void ReadIfExists_returns_null_for_a_missing_file_or_folder()
    {
        Assert.Null(AtomicFile.ReadIfExists(FilePath));
        Assert.Null(AtomicFile.ReadIfExists(_folder.Combine("missing", "config.json")));
    }

    [Fact]
    public void RemoveLeftovers_deletes_only_temporary_files()
    {
        string[] kept = { FilePath, _folder.Combine("audit.jsonl"), _folder.Combine(".lock"), _folder.Combine("notes.tmpx") };
        string[] removed = { FilePath + ".0123.tmp", _folder.Combine("x.tmp") };
        foreach (string file in kept)
        {
            File.WriteAllText(file, "keep");
        }

        foreach (string file in removed)
        {
            File.WriteAllText(file, "remove");
        }

        AtomicFile.RemoveLeftovers(_folder.Path);

        Assert.All(kept, file => Assert.True(File.Exists(file), file));
        Assert.All(removed, file => Assert.False(File.Exists(file), file));
    }
}
