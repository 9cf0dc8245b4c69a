using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using SmimeAdmin.Core.Certificates;

namespace SmimeAdmin.Commands;

/// <summary>
/// Set-SmimeCertificateCollection: replaces (or with -Append extends) the organization's virtual certificate
/// collection from files, certificate objects or raw bytes, after checking every certificate.
/// </summary>
[Cmdlet(VerbsCommon.Set, "SmimeCertificateCollection", SupportsShouldProcess = true, DefaultParameterSetName = CertificateSet)]
[OutputType(typeof(SmimeCertificateInfo))]
public sealed class SetSmimeCertificateCollectionCommand : SmimeCollectionCmdletBase
{
    private const string PathSet = "Path";
    private const string CertificateSet = "Certificate";
    private const string RawDataSet = "RawData";

    private readonly List<SmimeCertificateCollection> _inputs = new();
    private bool _inputFailed;

    /// <summary>Files of certificates (SST, PEM, DER, PKCS#7); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Certificate objects, e.g. from Get-ChildItem Cert:\LocalMachine\Root.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public X509Certificate2[] Certificate { get; set; } = Array.Empty<X509Certificate2>();

    /// <summary>The content of a certificate file (SST, PEM, DER, PKCS#7).</summary>
    [Parameter(Mandatory = true, ParameterSetName = RawDataSet)]
    [ValidateNotNullOrEmpty]
    public byte[] RawData { get; set; } = Array.Empty<byte>();

    /// <summary>The organization; the session's organization when omitted.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Identity { get; set; }

    /// <summary>Adds to the current collection instead of replacing it; duplicates are ignored.</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>Stores the unexpired certificates and warns about each expired one, instead of failing.</summary>
    [Parameter]
    public SwitchParameter SkipExpired { get; set; }

    /// <summary>Writes the resulting collection.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(null, () =>
    {
        switch (ParameterSetName)
        {
            case PathSet:
                List<(string File, byte[] Content)> files = ReadFiles(Path, out bool failed);
                _inputFailed |= failed;
                foreach ((string file, byte[] content) in files)
                {
                    AddFileContent(content, file);
                }

                break;
            case CertificateSet:
                _inputs.Add(SmimeCertificateCollection.From(Certificate.Select(certificate => SmimeCaCertificate.Parse(certificate.RawData))));
                break;
            case RawDataSet:
                AddFileContent(RawData, nameof(RawData));
                break;
            default:
                throw new InvalidOperationException(ParameterSetName);
        }
    });

    /// <inheritdoc/>
    protected override void EndProcessing() => Run(Identity, () =>
    {
        if (_inputFailed)
        {
            return;
        }

        string organization = ResolveOrganization(Identity);
        SmimeCertificateCollection current = ReadCollection(organization);
        SmimeCertificateCollection incoming = _inputs.Aggregate(SmimeCertificateCollection.Empty, (all, next) => all.Union(next));
        SmimeCertificateCollection result = Append ? current.Union(incoming) : incoming;

        IReadOnlyList<SmimeCaCertificate> expired = result.ExpiredAt(DateTime.UtcNow);
        if (SkipExpired)
        {
            foreach (SmimeCaCertificate certificate in expired)
            {
                WriteWarning(string.Format(CultureInfo.CurrentCulture, Strings.SkippingExpired, certificate.Subject, certificate.Thumbprint, certificate.NotAfter));
            }

            var skipped = new HashSet<SmimeCaCertificate>(expired);
            result = result.Where(certificate => !skipped.Contains(certificate));
        }
        else if (expired.Count > 0)
        {
            foreach (SmimeCaCertificate certificate in expired)
            {
                WriteError(ExpiredError(certificate));
            }

            return;
        }

        if (result.Certificates.Count == 0)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException(Strings.NoCertificatesToStore),
                ErrorMap.NoCertificates,
                ErrorCategory.InvalidArgument,
                organization));
        }

        if (ReportCollectionProblems(result))
        {
            return;
        }

        if (result.HasSameCertificates(current))
        {
            WarnNothingChanged(organization);
        }
        else if (ShouldProcess(organization, DescribeReplacement(current, result)))
        {
            StoreCollection(organization, result);
        }
        else
        {
            return;
        }

        if (PassThru)
        {
            WriteCertificates(organization, result.Certificates);
        }
    });

    private void AddFileContent(byte[] content, string source)
    {
        try
        {
            _inputs.Add(SmimeCertificateCollection.FromFileContent(content));
        }
        catch (CertificateFormatException ex)
        {
            WriteError(InvalidCertificateData(ex, source));
            _inputFailed = true;
        }
    }
}
