using System;
using System.Collections.Generic;
using System.IO;
using SmimeAdmin.Core.Store;
using Xunit;

namespace SmimeAdmin.Core.Tests.Store;

public sealed class SmimeStoreLocationTests
{
    private static readonly string s_home = Path.Combine(Path.GetTempPath(), "home", "admin");
    private static readonly string s_dataHome = Path.Combine(Path.GetTempPath(), "xdg", "data");

    [Fact]
    public void An_absolute_XDG_DATA_HOME_is_honoured()
    {
        AssertDefaultFolder(
            new() { ["XDG_DATA_HOME"] = s_dataHome, ["HOME"] = s_home },
            Path.Combine(s_dataHome, "SmimeAdmin"));
    }

    [Theory]
    [InlineData("relative/data")]
    [InlineData("data")]
    [InlineData("")]
    public void A_relative_or_empty_XDG_DATA_HOME_is_ignored(string dataHome)
    {
        AssertDefaultFolder(
            new() { ["XDG_DATA_HOME"] = dataHome, ["HOME"] = s_home },
            Path.Combine(s_home, ".local", "share", "SmimeAdmin"));
    }

    [Fact]
    public void Without_XDG_DATA_HOME_the_folder_is_under_HOME()
    {
        AssertDefaultFolder(
            new() { ["HOME"] = s_home },
            Path.Combine(s_home, ".local", "share", "SmimeAdmin"));
    }

    [Fact]
    public void Without_HOME_the_folder_is_under_the_user_profile()
    {
        AssertDefaultFolder(
            new(),
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "SmimeAdmin"));
    }

    [Fact]
    public void DefaultFolder_rejects_a_null_lookup()
    {
        Assert.Equal(
            "getEnvironmentVariable",
            Assert.Throws<ArgumentNullException>(() => SmimeStoreLocation.DefaultFolder(null!)).ParamName);
    }

    [Fact]
    public void The_environment_variable_is_SMIMEADMIN_STORE()
    {
        Assert.Equal("SMIMEADMIN_STORE", SmimeStoreLocation.EnvironmentVariable);
    }

    // Windows ignores the XDG variables and uses %LOCALAPPDATA%; elsewhere the expectation given applies.
    private static void AssertDefaultFolder(Dictionary<string, string> environment, string expectedOffWindows)
    {
        string expected = OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "SmimeAdmin")
            : expectedOffWindows;

        string actual = SmimeStoreLocation.DefaultFolder(name => environment.TryGetValue(name, out string? value) ? value : null);

        Assert.Equal(expected, actual);
    }
}
