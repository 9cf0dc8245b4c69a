using System.Diagnostics;
using Xunit;

namespace SmimeAdmin.Core.Tests;

/// <summary>Runs /usr/bin/openssl on a file and returns what it printed, failing the test when it fails.</summary>
internal static class OpenSsl
{
    private const string Path = "/usr/bin/openssl";

    public static string Run(params string[] arguments)
    {
        (int exitCode, string output, string error) = Start(arguments);
        Assert.True(exitCode == 0, "openssl " + string.Join(" ", arguments) + " failed: " + error);
        return output;
    }

    /// <summary>Runs openssl where failing is an expected outcome; returns its exit code and all it printed.</summary>
    public static (int ExitCode, string Output) Try(params string[] arguments)
    {
        (int exitCode, string output, string error) = Start(arguments);
        return (exitCode, output + error);
    }

    private static (int ExitCode, string Output, string Error) Start(string[] arguments)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error);
    }
}
