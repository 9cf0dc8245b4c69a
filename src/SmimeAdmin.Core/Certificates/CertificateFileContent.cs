using System.Collections.Generic;

namespace SmimeAdmin.Core.Certificates;

/// <summary>The certificates read from a certificate file, and the format they were found in.</summary>
public sealed class CertificateFileContent
{
    internal CertificateFileContent(CertificateFileFormat format, IReadOnlyList<byte[]> certificates)
    {
        Format = format;
        Certificates = certificates;
    }

    /// <summary>The format detected from the content.</summary>
    public CertificateFileFormat Format { get; }

    /// <summary>The DER encoding of each certificate, in file order, duplicates kept.</summary>
    public IReadOnlyList<byte[]> Certificates { get; }
}
