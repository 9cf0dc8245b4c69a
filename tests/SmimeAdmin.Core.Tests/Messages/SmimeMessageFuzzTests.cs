using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using SmimeAdmin.Core.Messages;
using SmimeAdmin.Core.Tests.Certificates;
using Xunit;
using Xunit.Abstractions;

namespace SmimeAdmin.Core.Tests.Messages;

/// <summary>
/// Mutation fuzzing of the CMS parsing entry points: seeded, deterministic, each input bounded in time. Whatever the
/// input, opening a message returns a result or throws <see cref="SmimeMessageException"/>; nothing else escapes.
/// </summary>
public sealed class SmimeMessageFuzzTests
{
    private const int Inputs = 10_000;
    private static readonly TimeSpan s_perInput = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _output;

    public SmimeMessageFuzzTests(ITestOutputHelper output) => _output = output;

    private static MessagePki Users => MessagePki.Instance;

    [Fact]
    public async Task Ten_thousand_mutations_of_signed_encrypted_and_triple_wrapped_messages_give_a_result_or_a_SmimeMessageException()
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWADisableCRLCheck"] = true })
            .WithCertificate(Users.Alice)
            .WithCertificate(Users.Bob);
        List<(string Headers, byte[] Cms)> seeds = Seeds(organization);
        var keys = SmimeDecryptionKeys.FromPkcs12(Users.Bob.Pfx(), MessagePki.Password);
        using SmimeMessageOpener opener = organization.Opener(keys);
        using SmimeMessageOpener verifier = organization.Opener();

        var mutator = new Mutator(seed: 20261206);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Inputs; i++)
        {
            (string headers, byte[] cms) = seeds[i % seeds.Count];
            byte[] input;
            string kinds;
            // Each seed in turn; three DER mutations for one of the message text; with keys and without, in turn.
            if ((i / seeds.Count) % 4 == 3)
            {
                // Mutating the message text too: headers, boundaries and base64.
                input = mutator.Mutate(Encoding.ASCII.GetBytes(headers + Base64(cms)), Array.Empty<int>(), Array.Empty<int>(), Array.Empty<int>(), out kinds);
            }
            else
            {
                byte[] mutated = mutator.Mutate(cms, Array.Empty<int>(), Array.Empty<int>(), Asn1Walker.LengthOffsets(cms, maxDepth: 8), out kinds);
                input = Encoding.ASCII.GetBytes(headers + Base64(mutated));
            }

            SmimeMessageOpener target = (i / (seeds.Count * 4)) % 2 == 0 ? opener : verifier;
            Task<string> run = Task.Run(() => Open(target, input));
            using var timer = new System.Threading.CancellationTokenSource();
            bool finished = await Task.WhenAny(run, Task.Delay(s_perInput, timer.Token)) == run;
            await timer.CancelAsync();
            if (!finished)
            {
                failures.Add("#" + i + " (" + kinds + "): took longer than " + s_perInput);
                break;
            }

            string outcome = await run;
            if (outcome.StartsWith('!'))
            {
                failures.Add("#" + i + " seed " + (i % seeds.Count) + " (" + kinds + "): " + outcome);
            }

            outcomes[outcome] = outcomes.TryGetValue(outcome, out int count) ? count + 1 : 1;
        }

        _output.WriteLine(Inputs + " inputs in " + clock.Elapsed + ": " + string.Join(", ", outcomes.OrderByDescending(pair => pair.Value).Select(pair => pair.Key + " " + pair.Value)));
        Assert.Empty(failures);
        Assert.True(outcomes.Keys.Count(key => key.StartsWith("Error ", StringComparison.Ordinal)) >= 2, "mutations reach more than one kind of error");
        Assert.True(outcomes.Keys.Any(key => key.StartsWith("Opened", StringComparison.Ordinal)), "some mutations still open");
    }

    // A clear signature's CMS, an opaque EC signature, an envelope for RSA and EC recipients, and a triple wrap.
    private static List<(string Headers, byte[] Cms)> Seeds(MessageOrganization organization)
    {
        var seeds = new List<(string, byte[])>();
        byte[] plain = MessagePki.PlainMessage(Users.Carol.Address, Users.Alice.Address + ", " + Users.Bob.Address);
        using (SmimeMessageProtector protector = organization.Protector())
        {
            seeds.Add(Split(protector.Protect(MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address), MessageOrganization.Signer(Users.Alice), true, false)[0].Content));
            seeds.Add(Split(protector.Protect(plain, null, false, true)[0].Content));
        }

        var opaque = new MessageOrganization(new Dictionary<string, object?> { ["OWAClearSign"] = false, ["OWATripleWrapSignedEncryptedMail"] = true, ["OWADisableCRLCheck"] = true })
            .WithCertificate(Users.Bob);
        using (opaque)
        using (SmimeMessageProtector protector = opaque.Protector())
        {
            seeds.Add(Split(protector.Protect(MessagePki.PlainMessage(Users.Bob.Address, Users.Alice.Address), MessageOrganization.Signer(Users.Bob), true, false)[0].Content));
            seeds.Add(Split(protector.Protect(MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address), MessageOrganization.Signer(Users.Alice), true, true)[0].Content));
        }

        return seeds;
    }

    // The message up to its CMS part's base64, and that CMS.
    private static (string Headers, byte[] Cms) Split(byte[] message)
    {
        string text = Encoding.ASCII.GetString(message);
        byte[] cms = MessageParts.Cms(message);
        string base64 = Base64(cms);
        int at = text.IndexOf(base64.Substring(0, 60), StringComparison.Ordinal);
        Assert.True(at > 0, "the CMS is the last base64 part");
        return (text.Substring(0, at), cms);
    }

    private static string Base64(byte[] data) => Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks).Replace("\n", "\r\n", StringComparison.Ordinal).Replace("\r\r", "\r", StringComparison.Ordinal) + "\r\n";

    private static string Open(SmimeMessageOpener opener, byte[] input)
    {
        try
        {
            SmimeOpenedMessage opened = opener.Open(input);
            return "Opened " + opened.Layers.Count + " layers, " + opened.Signatures.Count(signature => signature.IsValid) + " valid";
        }
        catch (SmimeMessageException ex)
        {
            return "Error " + ex.Code;
        }
        catch (Exception ex)
        {
            return "! " + ex.GetType().FullName + ": " + ex.Message;
        }
    }
}
