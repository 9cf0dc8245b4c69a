using System;
using System.Collections.Generic;

namespace SmimeAdmin.Core.Messages;

/// <summary>Which of the messages written for one input a <see cref="SmimeProtectedMessage"/> is.</summary>
public enum SmimeMessageCopy
{
    /// <summary>The message for the To and Cc recipients (and, without Bcc forking, the Bcc recipients too).</summary>
    Main,

    /// <summary>A copy encrypted for one Bcc recipient (OWABCCEncryptedEmailForking 0).</summary>
    BccRecipient,

    /// <summary>A copy encrypted for all Bcc recipients together (OWABCCEncryptedEmailForking 1).</summary>
    AllBccRecipients,
}

/// <summary>One message <see cref="SmimeMessageProtector.Protect"/> produced.</summary>
public sealed class SmimeProtectedMessage
{
    private readonly byte[] _content;

    internal SmimeProtectedMessage(
        byte[] content,
        SmimeMessageCopy copy,
        IReadOnlyList<string> encryptedFor,
        string? signerThumbprint,
        string? digestAlgorithm,
        string? encryptionAlgorithm,
        bool clearSigned,
        bool tripleWrapped,
        bool useKeyIdentifier)
    {
        _content = content;
        Copy = copy;
        EncryptedFor = encryptedFor;
        SignerThumbprint = signerThumbprint;
        DigestAlgorithm = digestAlgorithm;
        EncryptionAlgorithm = encryptionAlgorithm;
        ClearSigned = clearSigned;
        TripleWrapped = tripleWrapped;
        UsesKeyIdentifier = useKeyIdentifier;
    }

    /// <summary>The MIME message.</summary>
    public byte[] Content => (byte[])_content.Clone();

    /// <summary>The message's length in bytes.</summary>
    public int Length => _content.Length;

    /// <summary>Which copy this is.</summary>
    public SmimeMessageCopy Copy { get; }

    /// <summary>The addresses the message is encrypted for; empty when it is only signed.</summary>
    public IReadOnlyList<string> EncryptedFor { get; }

    /// <summary>Whether the message is signed.</summary>
    public bool IsSigned => SignerThumbprint is not null;

    /// <summary>Whether the message is encrypted.</summary>
    public bool IsEncrypted => EncryptionAlgorithm is not null;

    /// <summary>The signing certificate's thumbprint, or <see langword="null"/> when not signed.</summary>
    public string? SignerThumbprint { get; }

    /// <summary>The digest, e.g. <c>800C (SHA-256)</c>, or <see langword="null"/> when not signed.</summary>
    public string? DigestAlgorithm { get; }

    /// <summary>The content-encryption algorithm, e.g. <c>6610 (AES-256-CBC)</c>, or <see langword="null"/>.</summary>
    public string? EncryptionAlgorithm { get; }

    /// <summary>Whether the signature is clear (multipart/signed) rather than opaque.</summary>
    public bool ClearSigned { get; }

    /// <summary>Whether the message was signed, encrypted and signed again.</summary>
    public bool TripleWrapped { get; }

    /// <summary>Whether recipients are identified by subjectKeyIdentifier (where their certificate has one).</summary>
    public bool UsesKeyIdentifier { get; }

    /// <summary>Writes the message into <paramref name="stream"/> without copying it first.</summary>
    public void WriteTo(System.IO.Stream stream) =>
        (stream ?? throw new ArgumentNullException(nameof(stream))).Write(_content, 0, _content.Length);
}
