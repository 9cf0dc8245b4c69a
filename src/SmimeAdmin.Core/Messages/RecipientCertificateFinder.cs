using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Validation;

namespace SmimeAdmin.Core.Messages;

/// <summary>A recipient's encryption certificate as found in the store, or why none could be used.</summary>
internal sealed class RecipientCertificate
{
    public RecipientCertificate(string address, byte[]? certificate, IReadOnlyList<UserSmimeCapability> capabilities, string? problem)
    {
        Address = address;
        Certificate = certificate;
        Capabilities = capabilities;
        Problem = problem;
    }

    public string Address { get; }

    /// <summary>The DER certificate to encrypt for, or <see langword="null"/> when none is usable.</summary>
    public byte[]? Certificate { get; }

    /// <summary>The capabilities published with the certificate (empty when none are known).</summary>
    public IReadOnlyList<UserSmimeCapability> Capabilities { get; }

    /// <summary>Why no certificate is usable, naming each candidate and its failures.</summary>
    public string? Problem { get; }
}

/// <summary>
/// Finds recipients' encryption certificates the way Outlook on the web does: in the directory (the store), the
/// userSMIMECertificate values first (the certificate marked for encryption first, with the capabilities published with
/// it), then userCertificate; the first certificate that validates for encryption is used.
/// </summary>
/// <remarks>
/// With OWAUseSecondaryProxiesWhenFindingCertificates off, only a recipient's primary SMTP address finds it and the
/// certificate must be for that address; with it on, a proxy address finds the recipient too and the certificate may be
/// for any of the recipient's addresses. A certificate that names no address is accepted (RFC 8550: the directory binds
/// it). Results are kept per address for the finder's lifetime, one message pipeline.
/// </remarks>
internal sealed class RecipientCertificateFinder
{
    private readonly ISmimeStore _store;
    private readonly string _organization;
    private readonly SmimeSettings _settings;
    private readonly SmimeCertificateValidator _validator;
    private readonly Func<DateTime> _utcNow;
    private readonly Dictionary<string, RecipientCertificate> _found = new(StringComparer.OrdinalIgnoreCase);

    public RecipientCertificateFinder(ISmimeStore store, string organization, SmimeSettings settings, SmimeCertificateValidator validator, Func<DateTime> utcNow)
    {
        _store = store;
        _organization = organization;
        _settings = settings;
        _validator = validator;
        _utcNow = utcNow;
    }

    public RecipientCertificate Find(string address, CancellationToken cancellationToken)
    {
        if (!_found.TryGetValue(address, out RecipientCertificate? found))
        {
            found = Look(address, cancellationToken);
            _found[address] = found;
        }

        return found;
    }

    private RecipientCertificate Look(string address, CancellationToken cancellationToken)
    {
        SmimeRecipient? recipient;
        try
        {
            recipient = _store.ReadRecipient(_organization, address);
        }
        catch (SmimeRecipientAddressException ex)
        {
            return Unusable(address, ex.Message);
        }

        if (recipient is null)
        {
            return Unusable(address, string.Format(CultureInfo.CurrentCulture, Strings.MessageRecipientNotInStore, _organization));
        }

        bool primary = RecipientAddress.AreSame(recipient.PrimarySmtpAddress, address);
        if (!primary && !_settings.OWAUseSecondaryProxiesWhenFindingCertificates)
        {
            return Unusable(address, string.Format(CultureInfo.CurrentCulture, Strings.MessageRecipientProxyOnly, recipient.PrimarySmtpAddress));
        }

        var problems = new List<string>();
        foreach ((byte[] certificate, IReadOnlyList<byte[]> extras, IReadOnlyList<UserSmimeCapability> capabilities) in Candidates(recipient, problems))
        {
            SmimeValidationResult result = _validator.Validate(certificate, extras, null, SmimeCertificateUsage.Encryption, _utcNow(), cancellationToken);
            string? problem = result.IsValid ? AddressProblem(result.Certificate!, recipient) : Describe(result);
            if (problem is null)
            {
                return new RecipientCertificate(address, certificate, capabilities, null);
            }

            problems.Add(string.Format(CultureInfo.CurrentCulture, Strings.MessageRecipientCandidate, result.Certificate?.ToString() ?? Strings.MessageUnreadableCertificate, problem));
        }

        if (problems.Count == 0)
        {
            problems.Add(Strings.MessageRecipientNoCertificates);
        }

        return Unusable(address, string.Join("; ", problems));
    }

    // userSMIMECertificate first (its encryption-preference certificate first), then userCertificate.
    private static IEnumerable<(byte[] Certificate, IReadOnlyList<byte[]> Extras, IReadOnlyList<UserSmimeCapability> Capabilities)> Candidates(
        SmimeRecipient recipient, List<string> problems)
    {
        foreach (byte[] blob in recipient.UserSmimeCertificates)
        {
            UserSmimeCertificateInfo info;
            try
            {
                info = UserSmimeCertificateReader.Read(blob);
            }
            catch (CertificateFormatException ex)
            {
                problems.Add(string.Format(CultureInfo.CurrentCulture, Strings.MessageRecipientBlobUnreadable, ex.Message));
                continue;
            }

            IEnumerable<byte[]> ordered = info.EncryptionCertificate is byte[] preferred
                ? new[] { preferred }.Concat(info.Certificates.Where(other => !other.AsSpan().SequenceEqual(preferred)))
                : info.Certificates;
            foreach (byte[] certificate in ordered.Where(IsUserCertificate))
            {
                yield return (certificate, info.Certificates, info.Capabilities);
            }
        }

        foreach (byte[] certificate in recipient.UserCertificates)
        {
            yield return (certificate, Array.Empty<byte[]>(), Array.Empty<UserSmimeCapability>());
        }
    }

    private static bool IsUserCertificate(byte[] certificate)
    {
        try
        {
            return !UserCertificateFile.IsCertificateAuthority(CertificateDer.Parse(certificate, 0));
        }
        catch (CertificateFormatException)
        {
            // The validator reports it.
            return true;
        }
    }

    private string? AddressProblem(SmimeEndEntityCertificate certificate, SmimeRecipient recipient)
    {
        IReadOnlyList<string> certified = certificate.EmailAddresses;
        if (certified.Count == 0 || certified.Any(candidate => EmailAddressMatcher.Matches(recipient.PrimarySmtpAddress, candidate)))
        {
            return null;
        }

        if (_settings.OWAUseSecondaryProxiesWhenFindingCertificates
            && recipient.ProxyAddresses.Any(proxy => certified.Any(candidate => EmailAddressMatcher.Matches(proxy, candidate))))
        {
            return null;
        }

        string allowed = _settings.OWAUseSecondaryProxiesWhenFindingCertificates
            ? string.Join(", ", new[] { recipient.PrimarySmtpAddress }.Concat(recipient.ProxyAddresses))
            : recipient.PrimarySmtpAddress;
        return string.Format(CultureInfo.CurrentCulture, Strings.MessageRecipientAddressMismatch, string.Join(", ", certified), allowed);
    }

    internal static string Describe(SmimeValidationResult result) =>
        string.Join(" ", result.Failures.Where(failure => failure.Severity == SmimeValidationSeverity.Error).Select(failure => failure.Code + ": " + failure.Message));

    private static RecipientCertificate Unusable(string address, string problem) =>
        new(address, null, Array.Empty<UserSmimeCapability>(), problem);
}
