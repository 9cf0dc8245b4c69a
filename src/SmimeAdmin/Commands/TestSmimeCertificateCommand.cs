using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Validation;

namespace SmimeAdmin.Commands;

/// <summary>
/// Test-SmimeCertificate: checks user certificates as Outlook on the web would, against the organization's
/// virtual certificate collection and settings (chain, validity, key usage, address, revocation).
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SmimeCertificate", DefaultParameterSetName = CertificateSet)]
[OutputType(typeof(SmimeCertificateTestResult))]
public sealed class TestSmimeCertificateCommand : SmimeCmdletBase
{
    private const string CertificateSet = "Certificate";
    private const string PathSet = "Path";

    private readonly Dictionary<string, SmimeCertificateValidator> _validators = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The certificates to test, e.g. from Get-PfxCertificate or the certificate provider.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = CertificateSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public X509Certificate2[] Certificate { get; set; } = Array.Empty<X509Certificate2>();

    /// <summary>Certificate files (PEM, DER, PKCS#7, SST); CA certificates in them serve as intermediates.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The addresses the certificate must be for; none means no address check.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? EmailAddress { get; set; }

    /// <summary>What the certificate must be usable for: Signing, Encryption or Both (the default).</summary>
    [Parameter]
    [ValidateSet("Signing", "Encryption", "Both")]
    public string Usage { get; set; } = "Both";

    /// <summary>The time to judge validity at; now when omitted.</summary>
    [Parameter]
    public DateTime? At { get; set; }

    /// <summary>The organization whose collection and settings apply; the session's when omitted.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Identity { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Identity, () =>
    {
        string organization = ResolveOrganization(Identity);
        SmimeCertificateValidator validator = ValidatorFor(organization);
        var usage = (SmimeCertificateUsage)Enum.Parse(typeof(SmimeCertificateUsage), Usage, ignoreCase: true);
        DateTime atUtc = At?.ToUniversalTime() ?? DateTime.UtcNow;

        foreach ((byte[] userCertificate, IReadOnlyList<byte[]> intermediates) in ReadInputs())
        {
            SmimeValidationResult result = validator.Validate(userCertificate, intermediates, EmailAddress, usage, atUtc, Cancellation);
            WriteObject(new SmimeCertificateTestResult(organization, result));
        }
    });

    private SmimeCertificateValidator ValidatorFor(string organization)
    {
        if (!_validators.TryGetValue(organization, out SmimeCertificateValidator? validator))
        {
            SmimeOrganizationConfig config = Store.ReadConfig(organization);
            validator = CreateValidator(SmimeCertificateCollection.FromRecord(config.CertificateCollection), config.Settings);
            _validators.Add(organization, validator);
        }

        return validator;
    }

    // Each user certificate to test, with the CA certificates that came with it as possible intermediates.
    private IEnumerable<(byte[] UserCertificate, IReadOnlyList<byte[]> Intermediates)> ReadInputs()
    {
        if (ParameterSetName == CertificateSet)
        {
            return Certificate.Select(certificate => (certificate.RawData, (IReadOnlyList<byte[]>)Array.Empty<byte[]>()));
        }

        var inputs = new List<(byte[], IReadOnlyList<byte[]>)>();
        foreach ((string file, byte[] content) in ReadFiles(Path, out _))
        {
            SmimeCaCertificate[] certificates;
            try
            {
                certificates = CertificateFile.Read(content).Certificates.Select(SmimeCaCertificate.Parse).ToArray();
            }
            catch (CertificateFormatException ex)
            {
                WriteError(InvalidCertificateData(ex, file));
                continue;
            }

            byte[][] authorities = certificates.Where(c => c.IsCertificateAuthority).Select(c => c.RawData).ToArray();
            SmimeCaCertificate[] users = certificates.Where(c => !c.IsCertificateAuthority).ToArray();

            // A file of CA certificates only is tested as it is: its certificates are what the user asked about.
            foreach (SmimeCaCertificate user in users.Length > 0 ? users : certificates)
            {
                inputs.Add((user.RawData, authorities.Where(a => !a.SequenceEqual(user.RawData)).ToArray()));
            }
        }

        return inputs;
    }
}
