using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Validation;

namespace SmimeAdmin.Core.Messages;

/// <summary>One finding about a signature: a stable code, whether it makes the signature invalid, and a message.</summary>
public sealed class SmimeSignatureFinding
{
    internal SmimeSignatureFinding(string code, bool isError, string message)
    {
        Code = code;
        IsError = isError;
        Message = message;
    }

    /// <summary>
    /// The reason code: <c>SignatureMismatch</c>, <c>SignerCertificateMissing</c>, <c>SenderAddressMismatch</c>, or a
    /// certificate validation reason (<see cref="SmimeValidationReason"/>, e.g. <c>ChainNotTrusted</c>, <c>Revoked</c>).
    /// </summary>
    public string Code { get; }

    /// <summary>Whether the finding makes the signature invalid (else it is a warning).</summary>
    public bool IsError { get; }

    /// <summary>What was found.</summary>
    public string Message { get; }

    /// <inheritdoc/>
    public override string ToString() => Code + ": " + Message;
}

/// <summary>What verifying one signer of a message found.</summary>
public sealed class SmimeSignatureResult
{
    internal SmimeSignatureResult(
        int layer,
        bool clearSigned,
        SmimeEndEntityCertificate? signer,
        DateTime? signingTimeUtc,
        string digestAlgorithm,
        bool? senderMatches,
        IReadOnlyList<string> senderCertificateAttributes,
        IReadOnlyList<SmimeSignatureFinding> findings)
    {
        Layer = layer;
        ClearSigned = clearSigned;
        Signer = signer;
        SigningTimeUtc = signingTimeUtc;
        DigestAlgorithm = digestAlgorithm;
        SenderMatches = senderMatches;
        SenderCertificateAttributes = senderCertificateAttributes;
        Findings = findings;
        IsValid = !findings.Any(finding => finding.IsError);
    }

    /// <summary>
    /// Whether the signature verifies and its certificate is valid for signing with the organization's collection and
    /// settings. A sender address that differs from the certificate's is a warning (see <see cref="SenderMatches"/>).
    /// </summary>
    public bool IsValid { get; }

    /// <summary>The S/MIME layer the signature belongs to, 1 being the outermost.</summary>
    public int Layer { get; }

    /// <summary>Whether the signature is clear (multipart/signed) rather than opaque.</summary>
    public bool ClearSigned { get; }

    /// <summary>The signer's certificate, or <see langword="null"/> when the message does not carry it.</summary>
    public SmimeEndEntityCertificate? Signer { get; }

    /// <summary>The signingTime attribute (UTC), or <see langword="null"/> when absent.</summary>
    public DateTime? SigningTimeUtc { get; }

    /// <summary>The digest, e.g. <c>800C (SHA-256)</c>, or its OID when it is not one of Exchange's.</summary>
    public string DigestAlgorithm { get; }

    /// <summary>
    /// Whether a From address is one the certificate names (or the certificate names none); <see langword="null"/> when
    /// the message has no From address or the certificate is missing.
    /// </summary>
    public bool? SenderMatches { get; }

    /// <summary>
    /// When the sender does not match, the certificate's subject attributes OWASenderCertificateAttributesToDisplay
    /// lists, as <c>name=value</c>; empty otherwise.
    /// </summary>
    public IReadOnlyList<string> SenderCertificateAttributes { get; }

    /// <summary>Every finding, errors and warnings.</summary>
    public IReadOnlyList<SmimeSignatureFinding> Findings { get; }
}

/// <summary>What <see cref="SmimeMessageOpener.Open"/> found in a message and what it could unwrap.</summary>
public sealed class SmimeOpenedMessage
{
    private readonly byte[] _content;

    internal SmimeOpenedMessage(byte[] content, IReadOnlyList<string> layers, IReadOnlyList<SmimeSignatureResult> signatures, string? encryptionAlgorithm, bool stillEncrypted)
    {
        _content = content;
        Layers = layers;
        Signatures = signatures;
        EncryptionAlgorithm = encryptionAlgorithm;
        StillEncrypted = stillEncrypted;
    }

    /// <summary>
    /// The message with the S/MIME layers removed that could be: the outer headers with the innermost content. When
    /// <see cref="StillEncrypted"/>, the encrypted part is still in it.
    /// </summary>
    public byte[] Content => (byte[])_content.Clone();

    /// <summary>The S/MIME layers, outermost first, e.g. <c>SignedClear</c>, <c>Encrypted</c>, <c>SignedOpaque</c>, <c>Compressed</c>.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>Every signature verified, outermost first.</summary>
    public IReadOnlyList<SmimeSignatureResult> Signatures { get; }

    /// <summary>Whether the message had an encrypted layer.</summary>
    public bool WasEncrypted => Layers.Contains(SmimeMessageOpener.EncryptedLayer);

    /// <summary>The content-encryption algorithm of the (first) encrypted layer that was opened, or <see langword="null"/>.</summary>
    public string? EncryptionAlgorithm { get; }

    /// <summary>Whether an encrypted layer was left closed (no keys were given); signatures inside it were not seen.</summary>
    public bool StillEncrypted { get; }

    /// <summary>Writes the content into <paramref name="stream"/> without copying it first.</summary>
    public void WriteTo(System.IO.Stream stream) =>
        (stream ?? throw new ArgumentNullException(nameof(stream))).Write(_content, 0, _content.Length);
}
