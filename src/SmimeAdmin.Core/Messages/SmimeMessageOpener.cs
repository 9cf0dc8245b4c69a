using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Validation;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Messages;

/// <summary>
/// Verifies and opens S/MIME messages with an organization's certificate collection as the only trust: each signature
/// is checked, its signer's certificate validated for signing with the organization's settings (CRLs included) and its
/// address compared with the From address; encrypted layers are opened with the given keys.
/// </summary>
/// <remarks>
/// Layers are unwrapped from the outside in: multipart/signed, application/pkcs7-mime signed-data, enveloped-data
/// (when keys were given) and compressed-data, whatever their nesting (a triple-wrapped message is signed, encrypted,
/// signed), up to <see cref="MaxLayers"/>. The CMS type is read from the data itself, not trusted from the
/// Content-Type's smime-type. Certificates are judged at the time of the check.
/// </remarks>
public sealed class SmimeMessageOpener : IDisposable
{
    /// <summary>The most S/MIME layers a message may nest.</summary>
    public const int MaxLayers = 8;

    internal const string EncryptedLayer = "Encrypted";

    private readonly SmimeSettings _settings;
    private readonly SmimeCertificateValidator _validator;
    private readonly SmimeMessageContext _context;
    private readonly SmimeDecryptionKeys? _keys;
    private readonly Func<DateTime> _utcNow;

    /// <summary>Prepares to verify (and, with keys, decrypt) messages for one organization.</summary>
    /// <param name="collection">The organization's certificate collection: the only trust anchors.</param>
    /// <param name="settings">The organization's settings (CRL checking, sender attributes); copied.</param>
    /// <param name="crlSource">Retrieves CRLs.</param>
    /// <param name="crlCache">Keeps CRLs between validations.</param>
    /// <param name="utcNow">The clock certificates are judged by.</param>
    /// <param name="keys">The private keys that may open encrypted layers, or <see langword="null"/> to leave them closed.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="keys"/> is <see langword="null"/>.</exception>
    public SmimeMessageOpener(SmimeCertificateCollection collection, SmimeSettings settings, ICrlSource crlSource, CrlCache crlCache, Func<DateTime> utcNow, SmimeDecryptionKeys? keys)
    {
        _settings = (settings ?? throw new ArgumentNullException(nameof(settings))).Clone();
        _utcNow = utcNow ?? throw new ArgumentNullException(nameof(utcNow));
        _validator = new SmimeCertificateValidator(collection, _settings, crlSource, crlCache, utcNow);
        _keys = keys;
        _context = new SmimeMessageContext(collection, keys?.Keys);
        foreach (EncryptionAlgorithm cipher in Enum.GetValues(typeof(EncryptionAlgorithm)))
        {
            // Reading is not sending: a message in a weak cipher is still opened, and the algorithm reported.
            _context.Enable(cipher);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _context.Dispose();

    /// <summary>Verifies the signatures of a message and unwraps its S/MIME layers.</summary>
    /// <param name="message">The MIME message (an .eml file's bytes).</param>
    /// <param name="cancellationToken">Cancels validation and CRL retrieval.</param>
    /// <returns>The layers, the signatures and the unwrapped message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="SmimeMessageException">
    /// The input is not MIME, an S/MIME part is malformed, no key opens an encrypted layer, decryption fails, or the
    /// layers nest too deep; see <see cref="SmimeMessageException.Code"/>.
    /// </exception>
    public SmimeOpenedMessage Open(byte[] message, CancellationToken cancellationToken = default)
    {
        MimeMessage parsed = SmimeMimeReader.Load(message ?? throw new ArgumentNullException(nameof(message)));
        string[] from = parsed.From.Mailboxes.Select(mailbox => mailbox.Address).ToArray();
        var layers = new List<string>();
        var signatures = new List<SmimeSignatureResult>();
        string? encryptionAlgorithm = null;
        bool stillEncrypted = false;
        MimeEntity? entity = parsed.Body;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MimeEntity? inner = null;
            if (entity is MultipartSigned clear && IsSmimeSignature(clear))
            {
                Enter(layers, "SignedClear");
                signatures.AddRange(VerifyClear(clear, layers.Count, from, cancellationToken));
                inner = clear[0];
            }
            else if (entity is ApplicationPkcs7Mime opaque)
            {
                byte[] cms = Decode(opaque);
                string type = ContentType(cms);
                if (type == CmsObjectIdentifiers.SignedData.Id)
                {
                    Enter(layers, "SignedOpaque");
                    inner = VerifyOpaque(cms, layers.Count, from, signatures, cancellationToken);
                }
                else if (type == CmsObjectIdentifiers.EnvelopedData.Id)
                {
                    Enter(layers, EncryptedLayer);
                    if (_keys is null)
                    {
                        stillEncrypted = true;
                        break;
                    }

                    (inner, string algorithm) = Decrypt(cms, cancellationToken);
                    encryptionAlgorithm ??= algorithm;
                }
                else if (type == CmsObjectIdentifiers.CompressedData.Id)
                {
                    Enter(layers, "Compressed");
                    inner = Guard(() => _context.Decompress(new MemoryStream(cms, writable: false), cancellationToken));
                }
                else
                {
                    throw Malformed(string.Format(CultureInfo.CurrentCulture, Strings.MessageCmsTypeUnsupported, type), null);
                }
            }

            if (inner is null)
            {
                break;
            }

            entity = inner;
        }

        parsed.Body = entity;
        using var output = new MemoryStream();
        parsed.WriteTo(SmimeMimeReader.WireFormat, output, cancellationToken);
        return new SmimeOpenedMessage(output.ToArray(), layers, signatures, encryptionAlgorithm, stillEncrypted);
    }

    private static void Enter(List<string> layers, string layer)
    {
        if (layers.Count >= MaxLayers)
        {
            throw new SmimeMessageException(
                SmimeMessageErrorCode.TooManyLayers,
                null,
                string.Format(CultureInfo.CurrentCulture, Strings.MessageTooManyLayers, MaxLayers));
        }

        layers.Add(layer);
    }

    private static bool IsSmimeSignature(MultipartSigned signed)
    {
        string? protocol = signed.ContentType.Parameters["protocol"];
        return protocol is not null
            && (protocol.Equals("application/pkcs7-signature", StringComparison.OrdinalIgnoreCase)
                || protocol.Equals("application/x-pkcs7-signature", StringComparison.OrdinalIgnoreCase));
    }

    private List<SmimeSignatureResult> VerifyClear(MultipartSigned signed, int layer, string[] from, CancellationToken cancellationToken)
    {
        if (signed.Count < 2 || signed[1] is not MimePart signaturePart)
        {
            throw Malformed(Strings.MessageClearSignedShape, null);
        }

        byte[] cms = Decode(signaturePart);
        DigitalSignatureCollection collection = Guard(() => signed.Verify(_context, cancellationToken));
        return Judge(collection, cms, layer, clearSigned: true, from, cancellationToken);
    }

    private MimeEntity VerifyOpaque(byte[] cms, int layer, string[] from, List<SmimeSignatureResult> signatures, CancellationToken cancellationToken)
    {
        MimeEntity? inner = null;
        DigitalSignatureCollection collection = Guard(() => _context.Verify(new MemoryStream(cms, writable: false), out inner, cancellationToken));
        signatures.AddRange(Judge(collection, cms, layer, clearSigned: false, from, cancellationToken));
        return inner ?? throw Malformed(Strings.MessageOpaqueNoContent, null);
    }

    private List<SmimeSignatureResult> Judge(DigitalSignatureCollection collection, byte[] cms, int layer, bool clearSigned, string[] from, CancellationToken cancellationToken)
    {
        List<byte[]> carried;
        try
        {
            carried = Pkcs7Certificates.Read(cms);
        }
        catch (CertificateFormatException)
        {
            carried = new List<byte[]>();
        }

        if (collection.Count == 0)
        {
            throw Malformed(Strings.MessageNoSigners, null);
        }

        return collection.OfType<SecureMimeDigitalSignature>().Select(signature => Judge(signature, carried, layer, clearSigned, from, cancellationToken)).ToList();
    }

    private SmimeSignatureResult Judge(SecureMimeDigitalSignature signature, List<byte[]> carried, int layer, bool clearSigned, string[] from, CancellationToken cancellationToken)
    {
        var findings = new List<SmimeSignatureFinding>();
        try
        {
            if (!signature.Verify(verifySignatureOnly: true))
            {
                findings.Add(new SmimeSignatureFinding("SignatureMismatch", true, Strings.MessageSignatureMismatch));
            }
        }
        catch (DigitalSignatureVerifyException ex)
        {
            string code = signature.SignerCertificate is null ? "SignerCertificateMissing" : "SignatureMismatch";
            findings.Add(new SmimeSignatureFinding(code, true, code == "SignatureMismatch" ? Strings.MessageSignatureMismatch + " " + ex.Message : Strings.MessageSignerCertificateMissing));
        }

        string digest = DescribeDigest(signature.SignerInfo.DigestAlgorithmID.Algorithm.Id);
        DateTime? signingTime = signature.CreationDate == default ? null : DateTime.SpecifyKind(signature.CreationDate, DateTimeKind.Utc);
        BcX509Certificate? certificate = (signature.SignerCertificate as SecureMimeDigitalCertificate)?.Certificate;
        if (certificate is null)
        {
            if (!findings.Any(finding => finding.Code == "SignerCertificateMissing"))
            {
                findings.Add(new SmimeSignatureFinding("SignerCertificateMissing", true, Strings.MessageSignerCertificateMissing));
            }

            return new SmimeSignatureResult(layer, clearSigned, null, signingTime, digest, null, Array.Empty<string>(), findings);
        }

        SmimeValidationResult validation = _validator.Validate(certificate.GetEncoded(), carried, null, SmimeCertificateUsage.Signing, _utcNow(), cancellationToken);
        findings.AddRange(validation.Failures.Select(failure =>
            new SmimeSignatureFinding(failure.Code.ToString(), failure.Severity == SmimeValidationSeverity.Error, failure.Message)));

        bool? senderMatches = null;
        IReadOnlyList<string> attributes = Array.Empty<string>();
        IReadOnlyList<string> certified = validation.Certificate?.EmailAddresses ?? Array.Empty<string>();
        if (from.Length > 0)
        {
            senderMatches = certified.Count == 0 || from.Any(address => certified.Any(candidate => EmailAddressMatcher.Matches(address, candidate)));
            if (senderMatches == false)
            {
                attributes = SenderAttributes(certificate);
                findings.Add(new SmimeSignatureFinding(
                    "SenderAddressMismatch",
                    false,
                    string.Format(CultureInfo.CurrentCulture, Strings.MessageSenderMismatch, string.Join(", ", from), string.Join(", ", certified), string.Join(", ", attributes))));
            }
        }

        return new SmimeSignatureResult(layer, clearSigned, validation.Certificate, signingTime, digest, senderMatches, attributes, findings);
    }

    // OWASenderCertificateAttributesToDisplay: comma-separated OIDs of subject attributes to show on a mismatch.
    private List<string> SenderAttributes(BcX509Certificate certificate)
    {
        var shown = new List<string>();
        foreach (string text in (_settings.OWASenderCertificateAttributesToDisplay ?? string.Empty).Split(','))
        {
            string oidText = text.Trim();
            if (oidText.Length == 0 || !DerObjectIdentifier.TryFromID(oidText, out DerObjectIdentifier? oid))
            {
                continue;
            }

            string name = X509Name.DefaultSymbols.TryGetValue(oid, out string? symbol) ? symbol : oidText;
            foreach (string value in certificate.SubjectDN.GetValueList(oid))
            {
                shown.Add(name + "=" + value);
            }
        }

        return shown;
    }

    private (MimeEntity Entity, string Algorithm) Decrypt(byte[] cms, CancellationToken cancellationToken)
    {
        CmsEnvelopedData envelope = Guard(() => new CmsEnvelopedData(cms));
        string algorithm = DescribeCipher(envelope.EncryptionAlgOid);
        var recipients = envelope.GetRecipientInfos().GetRecipients().ToList();
        if (!recipients.Any(recipient => _keys!.Keys.Any(key => recipient.RecipientID.Match(key.Certificate))))
        {
            throw new SmimeMessageException(
                SmimeMessageErrorCode.NoDecryptionKey,
                string.Join(", ", _keys!.Keys.Select(key => key.Certificate.SubjectDN.ToString())),
                string.Format(CultureInfo.CurrentCulture, Strings.MessageNoDecryptionKey, recipients.Count, string.Join(", ", _keys.Keys.Select(key => key.Certificate.SubjectDN.ToString()))));
        }

        try
        {
            return (_context.Decrypt(new MemoryStream(cms, writable: false), cancellationToken), algorithm);
        }
        catch (Exception ex) when (SmimeMimeReader.IsMalformed(ex))
        {
            throw new SmimeMessageException(
                SmimeMessageErrorCode.DecryptionFailed,
                null,
                string.Format(CultureInfo.CurrentCulture, Strings.MessageDecryptionFailed, ex.Message),
                ex);
        }
    }

    private static byte[] Decode(MimePart part)
    {
        if (part.Content is null)
        {
            throw Malformed(Strings.MessagePartEmpty, null);
        }

        using var output = new MemoryStream();
        Guard(() =>
        {
            part.Content.DecodeTo(output);
            return 0;
        });
        return output.ToArray();
    }

    private static string ContentType(byte[] cms) => Guard(() => ContentInfo.GetInstance(Asn1Object.FromByteArray(cms)).ContentType.Id);

    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (SmimeMimeReader.IsMalformed(ex))
        {
            throw Malformed(ex.Message, ex);
        }
    }

    private static SmimeMessageException Malformed(string why, Exception? cause) => new(
        SmimeMessageErrorCode.MalformedCms,
        null,
        string.Format(CultureInfo.CurrentCulture, Strings.MessageCmsMalformed, why),
        cause);

    private static string DescribeDigest(string oid) =>
        SmimeAlgorithm.ForPurpose(SmimeAlgorithmPurpose.Signing).FirstOrDefault(algorithm => algorithm.Oid == oid)?.ToString() ?? oid;

    private static string DescribeCipher(string oid) =>
        SmimeAlgorithm.ForPurpose(SmimeAlgorithmPurpose.Encryption).FirstOrDefault(algorithm => algorithm.Oid == oid)?.ToString() ?? oid;
}
