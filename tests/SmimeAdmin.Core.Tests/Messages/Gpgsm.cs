using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace SmimeAdmin.Core.Tests.Messages;

/// <summary>
/// A throwaway gpgsm home: the validation root (trusted) and intermediate, and one user's certificate and key. Runs
/// /usr/bin/gpgsm in it with loopback pinentry, and stops its gpg-agent when disposed.
/// </summary>
internal sealed class Gpgsm : IDisposable
{
    private const string Program = "/usr/bin/gpgsm";
    private const int PfxExportAttempts = 5;

    // No prompts: the passphrase comes on standard input; the test CAs publish no CRLs or policies.
    private static readonly string[] s_options = { "--batch", "--disable-crl-checks", "--disable-policy-checks", "--pinentry-mode", "loopback", "--passphrase-fd", "0" };
    private readonly TempFolder _home = new();

    public Gpgsm(MessageUser user, byte[] root, byte[] intermediate)
    {
        try
        {
            Import(user, root, intermediate);
        }
        catch
        {
            // The agent may have started already; a failed setup must not leave it running.
            Dispose();
            throw;
        }
    }

    public string Folder => _home.Path;

    /// <summary>Runs gpgsm; <paramref name="passphrase"/> answers the key's passphrase when it asks.</summary>
    public string Run(string? passphrase, params string[] arguments)
    {
        (int exitCode, string output) = Execute(passphrase, arguments);
        Assert.True(exitCode == 0, "gpgsm " + string.Join(" ", arguments) + " failed: " + output);
        return output;
    }

    private (int ExitCode, string Output) Execute(string? passphrase, string[] arguments)
    {
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["GNUPGHOME"] = _home.Path;
        foreach (string argument in s_options.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.WriteLine(passphrase ?? string.Empty);
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error);
    }

    private void Import(MessageUser user, byte[] root, byte[] intermediate)
    {
        string certificates = Path.Combine(_home.Path, "ca.pem");
        File.WriteAllText(certificates, MessagePki.Pem("CERTIFICATE", root) + MessagePki.Pem("CERTIFICATE", intermediate));
        Run(null, "--import", certificates);
        // gpgsm 2.2 reads PKCS #12 only with the legacy encryption, which openssl writes on request. It fails to decrypt
        // the key of some of those files (about 1 in 75 with gpgsm 2.2.40), the same file every time; another export of
        // the same key, with other random salts, imports.
        string pfx = Path.Combine(_home.Path, "user.p12");
        (string certificate, string key) = user.WritePem(_home.Path);
        for (int attempt = 1; ; attempt++)
        {
            OpenSsl.Run("pkcs12", "-export", "-legacy", "-in", certificate, "-inkey", key, "-out", pfx, "-passout", "pass:" + MessagePki.Password);
            (int exitCode, string output) = Execute(MessagePki.Password, new[] { "--import", pfx });
            if (exitCode == 0)
            {
                break;
            }

            Assert.True(
                attempt < PfxExportAttempts && output.Contains("error parsing or decrypting the PKCS#12 file", StringComparison.Ordinal),
                "gpgsm --import " + pfx + " failed: " + output);
        }
        // gpgsm names certificates by their SHA-1 fingerprint.
        string fingerprint = Convert.ToHexString(SmimeAdmin.Core.Certificates.SerializedCertificateStore.Sha1(root));
        File.WriteAllText(Path.Combine(_home.Path, "trustlist.txt"), fingerprint + " S relax\n");
    }

    public void Dispose()
    {
        var stop = new ProcessStartInfo("gpgconf") { UseShellExecute = false, RedirectStandardError = true };
        stop.ArgumentList.Add("--kill");
        stop.ArgumentList.Add("gpg-agent");
        stop.Environment["GNUPGHOME"] = _home.Path;
        using (Process? process = Process.Start(stop))
        {
            process?.WaitForExit();
        }

        _home.Dispose();
    }
}
