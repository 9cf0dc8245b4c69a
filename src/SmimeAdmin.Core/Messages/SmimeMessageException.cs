using System;

namespace SmimeAdmin.Core.Messages;

/// <summary>Why a message could not be protected or opened. The names are stable: scripts may depend on them.</summary>
public enum SmimeMessageErrorCode
{
    /// <summary>The input is not a MIME message (no header could be read), or it lacks a header the operation needs.</summary>
    NotMime = 1,

    /// <summary>An S/MIME part holds CMS data that cannot be decoded (truncated, garbled, or not the type its header says).</summary>
    MalformedCms = 2,

    /// <summary>Neither signing nor encryption was asked for, and the organization's settings do not require either.</summary>
    NothingToDo = 3,

    /// <summary>Signing was asked for (or is required by OWAAlwaysSign), but no signer certificate with a private key was given.</summary>
    SignerRequired = 4,

    /// <summary>The signer's certificate is not valid for signing with the organization's collection, or not for the From address.</summary>
    SignerCertificateInvalid = 5,

    /// <summary>The message has no To, Cc or Bcc recipient to encrypt for.</summary>
    NoRecipients = 6,

    /// <summary>A recipient has no certificate in the store that is valid for encryption.</summary>
    RecipientCertificateUnavailable = 7,

    /// <summary>No algorithm of OWASigningAlgorithms or OWAEncryptionAlgorithms can be used (or none that every recipient supports).</summary>
    NoUsableAlgorithm = 8,

    /// <summary>None of the given private keys belongs to a recipient of the encrypted message.</summary>
    NoDecryptionKey = 9,

    /// <summary>A key matched a recipient of the encrypted message, but decryption failed: a wrong key or altered content.</summary>
    DecryptionFailed = 10,

    /// <summary>The signer's private key cannot be used: not exportable, or an algorithm other than RSA or EC.</summary>
    SignerKeyUnusable = 11,

    /// <summary>The message nests more S/MIME layers than <see cref="SmimeMessageOpener.MaxLayers"/>.</summary>
    TooManyLayers = 12,
}

/// <summary>A message could not be protected or opened; <see cref="Code"/> says why and <see cref="Target"/> names what.</summary>
public sealed class SmimeMessageException : SmimeAdminException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">Why.</param>
    /// <param name="target">The offending value (an address, a certificate, a part), or <see langword="null"/>.</param>
    /// <param name="message">The message, which says what would be accepted.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public SmimeMessageException(SmimeMessageErrorCode code, string? target, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Target = target;
    }

    /// <summary>Why the operation failed.</summary>
    public SmimeMessageErrorCode Code { get; }

    /// <summary>The offending value, or <see langword="null"/>.</summary>
    public string? Target { get; }
}
