using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Commands;

/// <summary>The file formats Export-SmimeCertificateCollection writes.</summary>
public enum SmimeCertificateExportFormat
{
    /// <summary>A Windows serialized certificate store (.sst), as Set-SmimeConfig -SMIMECertificateIssuingCA takes.</summary>
    Sst,

    /// <summary>A DER PKCS#7 certs-only bundle (.p7b).</summary>
    P7b,

    /// <summary>PEM certificates, one after another (.pem, .crt).</summary>
    Pem,
}

/// <summary>Export-SmimeCertificateCollection: writes the organization's virtual certificate collection to a file.</summary>
[Cmdlet(VerbsData.Export, "SmimeCertificateCollection", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportSmimeCertificateCollectionCommand : SmimeCollectionCmdletBase
{
    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The file format; Sst unless told otherwise.</summary>
    [Parameter]
    public SmimeCertificateExportFormat Format { get; set; } = SmimeCertificateExportFormat.Sst;

    /// <summary>The organization; the session's organization when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Identity { get; set; }

    /// <summary>Refuses to overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Path, () =>
    {
        string organization = ResolveOrganization(Identity);
        SmimeCertificateCollectionRecord? record = Store.ReadConfig(organization).CertificateCollection;
        if (record is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException(string.Format(CultureInfo.CurrentCulture, Strings.NoCertificateCollection, organization)),
                ErrorMap.NoCertificateCollection,
                ErrorCategory.ObjectNotFound,
                organization));
        }

        string file = ResolveOutputFile(Path, NoClobber);

        SmimeCertificateCollection collection = SmimeCertificateCollection.FromRecord(record);
        if (!ShouldProcess(file, string.Format(CultureInfo.CurrentCulture, Strings.ExportAction, collection.Certificates.Count, Format)))
        {
            return;
        }

        byte[] content = Format switch
        {
            SmimeCertificateExportFormat.Sst => record!.GetSerializedStore(),
            SmimeCertificateExportFormat.P7b => CertificateFile.WritePkcs7(collection.Certificates.Select(c => c.RawData)),
            SmimeCertificateExportFormat.Pem => CertificateFile.WritePem(collection.Certificates.Select(c => c.RawData)),
            _ => throw new InvalidOperationException(Format.ToString()),
        };
        WriteOutputFile(file, content);
    });
}
