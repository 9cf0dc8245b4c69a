using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Text;
using SmimeAdmin.Core.Messages;

namespace SmimeAdmin;

/// <summary>A message Protect-SmimeMessage wrote or returned.</summary>
public sealed class SmimeMessage
{
    private readonly byte[] _content;

    internal SmimeMessage(string organization, string source, string? path, SmimeProtectedMessage message)
    {
        Organization = organization;
        Source = source;
        Path = path;
        _content = message.Content;
        Copy = message.Copy.ToString();
        EncryptedFor = message.EncryptedFor.ToArray();
        IsSigned = message.IsSigned;
        IsEncrypted = message.IsEncrypted;
        SignerThumbprint = message.SignerThumbprint;
        DigestAlgorithm = message.DigestAlgorithm;
        EncryptionAlgorithm = message.EncryptionAlgorithm;
        ClearSigned = message.IsSigned && message.ClearSigned;
        TripleWrapped = message.TripleWrapped;
        UsesKeyIdentifier = message.UsesKeyIdentifier;
    }

    /// <summary>The organization whose settings were applied.</summary>
    public string Organization { get; }

    /// <summary>The input file, or the name given to a message from the pipeline.</summary>
    public string Source { get; }

    /// <summary>The file written, or <see langword="null"/> when the message was only returned.</summary>
    public string? Path { get; }

    /// <summary>Main, BccRecipient (one copy per Bcc recipient) or AllBccRecipients (one copy for all of them).</summary>
    public string Copy { get; }

    /// <summary>The addresses the message is encrypted for.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public string[] EncryptedFor { get; }

    /// <summary>Whether the message is signed.</summary>
    public bool IsSigned { get; }

    /// <summary>Whether the message is encrypted.</summary>
    public bool IsEncrypted { get; }

    /// <summary>The signing certificate's thumbprint.</summary>
    public string? SignerThumbprint { get; }

    /// <summary>The digest, e.g. 800C (SHA-256).</summary>
    public string? DigestAlgorithm { get; }

    /// <summary>The content-encryption algorithm, e.g. 6610 (AES-256-CBC).</summary>
    public string? EncryptionAlgorithm { get; }

    /// <summary>Whether the signature is clear (multipart/signed) rather than opaque.</summary>
    public bool ClearSigned { get; }

    /// <summary>Whether the message was signed, encrypted and signed again.</summary>
    public bool TripleWrapped { get; }

    /// <summary>Whether recipients are identified by subjectKeyIdentifier.</summary>
    public bool UsesKeyIdentifier { get; }

    /// <summary>The message's size in bytes.</summary>
    public int Length => _content.Length;

    /// <summary>The message as MIME text.</summary>
    public string Text => Encoding.UTF8.GetString(_content);

    /// <summary>The message's bytes.</summary>
    public byte[] GetBytes() => (byte[])_content.Clone();
}

/// <summary>What Unprotect-SmimeMessage opened: the inner message and what verifying it found.</summary>
public sealed class SmimeUnprotectedMessage
{
    private readonly byte[] _content;

    internal SmimeUnprotectedMessage(string organization, string source, string? path, SmimeOpenedMessage opened)
    {
        Organization = organization;
        Source = source;
        Path = path;
        _content = opened.Content;
        Layers = opened.Layers.ToArray();
        WasEncrypted = opened.WasEncrypted;
        EncryptionAlgorithm = opened.EncryptionAlgorithm;
        Signatures = opened.Signatures.Select(signature => new SmimeMessageSignature(organization, source, signature)).ToArray();
        IsVerified = Signatures.Length > 0 && Signatures.All(signature => signature.IsValid);
    }

    /// <summary>The organization whose collection and settings were used.</summary>
    public string Organization { get; }

    /// <summary>The input file, or the name given to a message from the pipeline.</summary>
    public string Source { get; }

    /// <summary>The file the inner message was written to, or <see langword="null"/>.</summary>
    public string? Path { get; }

    /// <summary>The S/MIME layers removed, outermost first: SignedClear, SignedOpaque, Encrypted, Compressed.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public string[] Layers { get; }

    /// <summary>Whether the message was encrypted.</summary>
    public bool WasEncrypted { get; }

    /// <summary>The content-encryption algorithm, e.g. 6610 (AES-256-CBC).</summary>
    public string? EncryptionAlgorithm { get; }

    /// <summary>Whether the message had signatures and every one is valid.</summary>
    public bool IsVerified { get; }

    /// <summary>What verifying each signature found, outermost first.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public SmimeMessageSignature[] Signatures { get; }

    /// <summary>The inner message's size in bytes.</summary>
    public int Length => _content.Length;

    /// <summary>The inner message as MIME text.</summary>
    public string Text => Encoding.UTF8.GetString(_content);

    /// <summary>The inner message's bytes.</summary>
    public byte[] GetBytes() => (byte[])_content.Clone();
}

/// <summary>What verifying one signature of a message found (Test-SmimeMessage's output).</summary>
public sealed class SmimeMessageSignature
{
    internal SmimeMessageSignature(string organization, string source, SmimeSignatureResult result)
    {
        Organization = organization;
        Source = source;
        IsValid = result.IsValid;
        Layer = result.Layer;
        ClearSigned = result.ClearSigned;
        Signer = result.Signer?.Subject ?? string.Empty;
        SignerThumbprint = result.Signer?.Thumbprint ?? string.Empty;
        SignerEmailAddresses = result.Signer?.EmailAddresses.ToArray() ?? Array.Empty<string>();
        SigningTime = result.SigningTimeUtc;
        DigestAlgorithm = result.DigestAlgorithm;
        SenderMatches = result.SenderMatches;
        SenderCertificateAttributes = result.SenderCertificateAttributes.ToArray();
        Reasons = result.Findings.Select(finding => finding.Code).ToArray();
        Messages = result.Findings.Select(finding => finding.Message).ToArray();
    }

    /// <summary>The organization whose collection and settings were used.</summary>
    public string Organization { get; }

    /// <summary>The input file, or the name given to a message from the pipeline.</summary>
    public string Source { get; }

    /// <summary>Whether the signature verifies and the signer's certificate is valid for signing.</summary>
    public bool IsValid { get; }

    /// <summary>The S/MIME layer, 1 being the outermost.</summary>
    public int Layer { get; }

    /// <summary>Whether the signature is clear (multipart/signed) rather than opaque.</summary>
    public bool ClearSigned { get; }

    /// <summary>The signer certificate's subject; empty when the message does not carry it.</summary>
    public string Signer { get; }

    /// <summary>The signer certificate's thumbprint.</summary>
    public string SignerThumbprint { get; }

    /// <summary>The addresses in the signer's certificate.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public string[] SignerEmailAddresses { get; }

    /// <summary>The signingTime attribute (UTC).</summary>
    public DateTime? SigningTime { get; }

    /// <summary>The digest, e.g. 800C (SHA-256).</summary>
    public string DigestAlgorithm { get; }

    /// <summary>Whether the From address is one of the certificate's; empty when it could not be checked.</summary>
    public bool? SenderMatches { get; }

    /// <summary>On a sender mismatch, the certificate attributes OWASenderCertificateAttributesToDisplay lists.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public string[] SenderCertificateAttributes { get; }

    /// <summary>The reason codes, e.g. SignatureMismatch, ChainNotTrusted, Revoked, SenderAddressMismatch.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public string[] Reasons { get; }

    /// <summary>The message of each reason, in the same order.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public string[] Messages { get; }
}
