using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Smime;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkix;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using BcAttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;

namespace SmimeAdmin.Core.Messages;

/// <summary>
/// MimeKit's S/MIME context for one organization: its trust anchors are the organization's certificate collection and
/// nothing else, recipients' certificates come from the store, and signing follows the organization's settings.
/// </summary>
/// <remarks>
/// <para>
/// MimeKit's own chain building and revocation download are not what decides validity: every signer and recipient
/// certificate is judged by <see cref="Validation.SmimeCertificateValidator"/> (see <see cref="SmimeMessageOpener"/>
/// and <see cref="SmimeMessageProtector"/>). The anchors are given here so that MimeKit's diagnostic chain, too, can
/// only end in the collection; revocation download is off.
/// </para>
/// <para>
/// Signing is done here rather than by MimeKit's generator so that the settings decide what goes in the SignedData:
/// which certificates (OWASignedEmailCertificateInclusion and the two chain settings) and whether the
/// SMIMECapabilities attribute is added (OWAIncludeSMIMECapabilitiesInMessage). The context never imports anything:
/// the collection changes only through the collection cmdlets, and recipients only through the store.
/// </para>
/// </remarks>
internal sealed class SmimeMessageContext : BouncyCastleSecureMimeContext
{
    private readonly SmimeCertificateCollection _collection;
    private readonly IReadOnlyList<(X509Certificate Certificate, AsymmetricKeyParameter Key)> _keys;
    private readonly Func<MailboxAddress, CmsRecipient>? _findRecipient;
    private readonly Dictionary<X509Certificate, (AsymmetricKeyParameter Key, PlatformRsaKeyWrapper? Wrapper)> _publicKeys = new();
    private HashSet<TrustAnchor>? _anchors;
    private (AsymmetricKeyParameter Key, string DigestOid, PlatformRsaSignatureFactory Factory)? _platformSigner;

    public SmimeMessageContext(
        SmimeCertificateCollection collection,
        IReadOnlyList<(X509Certificate Certificate, AsymmetricKeyParameter Key)>? keys = null,
        Func<MailboxAddress, CmsRecipient>? findRecipient = null)
    {
        _collection = collection ?? throw new ArgumentNullException(nameof(collection));
        _keys = keys ?? Array.Empty<(X509Certificate, AsymmetricKeyParameter)>();
        _findRecipient = findRecipient;
        CheckCertificateRevocation = false;
    }

    /// <summary>The certificates each signature carries; set before <see cref="Sign(CmsSigner, Stream, CancellationToken)"/>.</summary>
    public IReadOnlyList<X509Certificate> SignatureCertificates { get; set; } = Array.Empty<X509Certificate>();

    /// <summary>The SMIMECapabilities attribute to add to each signature, or <see langword="null"/> for none.</summary>
    public SmimeCapabilityVector? Capabilities { get; set; }

    /// <inheritdoc/>
    public override ApplicationPkcs7Signature Sign(CmsSigner signer, Stream content, CancellationToken cancellationToken = default) =>
        new(SignData(signer, content, encapsulate: false, cancellationToken));

    /// <inheritdoc/>
    public override ApplicationPkcs7Mime EncapsulatedSign(CmsSigner signer, Stream content, CancellationToken cancellationToken = default) =>
        new(SecureMimeType.SignedData, SignData(signer, content, encapsulate: true, cancellationToken));

    /// <inheritdoc/>
    public override Task<ApplicationPkcs7Signature> SignAsync(CmsSigner signer, Stream content, CancellationToken cancellationToken = default) =>
        Task.FromResult(Sign(signer, content, cancellationToken));

    /// <inheritdoc/>
    public override Task<ApplicationPkcs7Mime> EncapsulatedSignAsync(CmsSigner signer, Stream content, CancellationToken cancellationToken = default) =>
        Task.FromResult(EncapsulatedSign(signer, content, cancellationToken));

    /// <summary>
    /// Encrypts with the one algorithm every recipient's <see cref="CmsRecipient.EncryptionAlgorithms"/> starts with
    /// (the protector puts the policy's choice there), rather than with MimeKit's own pick.
    /// </summary>
    public override ApplicationPkcs7Mime Encrypt(CmsRecipientCollection recipients, Stream content, CancellationToken cancellationToken = default)
    {
        if (recipients is null || recipients.Count == 0)
        {
            throw new ArgumentException(Strings.MessageNoRecipients, nameof(recipients));
        }

        EncryptionAlgorithm cipher = recipients.First().EncryptionAlgorithms[0];
        (string oid, int? keyBits) = SmimeMessagePolicy.CipherOid(cipher);
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        byte[] envelope = SmimeEnvelope.Encrypt(
            buffer.ToArray(),
            recipients.Select(recipient =>
            {
                (AsymmetricKeyParameter key, IKeyWrapper? wrapper) = PublicKeyOf(recipient.Certificate);
                return (recipient.Certificate, key, wrapper, recipient.RecipientIdentifierType == SubjectIdentifierType.SubjectKeyIdentifier);
            }),
            oid,
            keyBits,
            RandomNumberGenerator);
        return new ApplicationPkcs7Mime(SecureMimeType.EnvelopedData, new MemoryStream(envelope, writable: false));
    }

    /// <summary>Decrypts with the first given key that belongs to a recipient; see <see cref="SmimeEnvelope"/>.</summary>
    /// <exception cref="PrivateKeyNotFoundException">No key belongs to a recipient.</exception>
    public override MimeEntity Decrypt(Stream encryptedData, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        encryptedData.CopyTo(buffer);
        byte[] encoded = buffer.ToArray();
        byte[] content = SmimeEnvelope.Decrypt(new CmsEnvelopedData(encoded), encoded, _keys)
            ?? throw new PrivateKeyNotFoundException(string.Empty, Strings.MessageNoKeyForEnvelope);
        return MimeEntity.Load(SmimeMimeReader.Options, new MemoryStream(content, writable: false), cancellationToken);
    }

    /// <inheritdoc/>
    public override bool CanSign(MailboxAddress signer, CancellationToken cancellationToken = default) => false;

    /// <inheritdoc/>
    public override Task<bool> CanSignAsync(MailboxAddress signer, CancellationToken cancellationToken = default) => Task.FromResult(false);

    /// <inheritdoc/>
    public override bool CanEncrypt(MailboxAddress mailbox, CancellationToken cancellationToken = default) => _findRecipient is not null;

    /// <inheritdoc/>
    public override Task<bool> CanEncryptAsync(MailboxAddress mailbox, CancellationToken cancellationToken = default) =>
        Task.FromResult(CanEncrypt(mailbox, cancellationToken));

    /// <inheritdoc/>
    public override void Import(Stream stream, string password, CancellationToken cancellationToken = default) => throw ReadOnly();

    /// <inheritdoc/>
    public override Task ImportAsync(Stream stream, string password, CancellationToken cancellationToken = default) => throw ReadOnly();

    /// <summary>Learns nothing: MimeKit offers every certificate a signature carries, and a message is not a source of trust.</summary>
    public override void Import(X509Certificate certificate, CancellationToken cancellationToken = default)
    {
    }

    /// <summary>Learns nothing: CRLs come from the certificates' distribution points, through the validator.</summary>
    public override void Import(X509Crl crl, CancellationToken cancellationToken = default)
    {
    }

    /// <inheritdoc/>
    protected override X509Certificate? GetCertificate(ISelector<X509Certificate> selector) =>
        _keys.Select(entry => entry.Certificate).FirstOrDefault(selector.Match);

    /// <inheritdoc/>
    protected override AsymmetricKeyParameter? GetPrivateKey(ISelector<X509Certificate> selector) =>
        _keys.Where(entry => selector.Match(entry.Certificate)).Select(entry => entry.Key).FirstOrDefault();

    /// <inheritdoc/>
    protected override ISet<TrustAnchor> GetTrustedAnchors() =>
        _anchors ??= new HashSet<TrustAnchor>(_collection.Certificates.Select(ca => new TrustAnchor(CertificateDer.Parse(ca.RawData, 0), null)));

    /// <inheritdoc/>
    protected override IStore<X509Certificate> GetIntermediateCertificates() =>
        CollectionUtilities.CreateStore(Array.Empty<X509Certificate>());

    /// <inheritdoc/>
    protected override IStore<X509Crl> GetCertificateRevocationLists() =>
        CollectionUtilities.CreateStore(Array.Empty<X509Crl>());

    /// <inheritdoc/>
    protected override DateTime GetNextCertificateRevocationListUpdate(Org.BouncyCastle.Asn1.X509.X509Name issuer) => DateTime.MaxValue;

    /// <inheritdoc/>
    protected override CmsRecipient GetCmsRecipient(MailboxAddress mailbox) =>
        _findRecipient is not null ? _findRecipient(mailbox) : throw new CertificateNotFoundException(mailbox, Strings.MessageRecipientLookupOff);

    /// <inheritdoc/>
    protected override CmsSigner GetCmsSigner(MailboxAddress mailbox, DigestAlgorithm digestAlgo) =>
        throw new CertificateNotFoundException(mailbox, Strings.MessageSignerLookupOff);

    /// <summary>Learns nothing: what a recipient supports is what the store publishes for it.</summary>
    protected override void UpdateSecureMimeCapabilities(X509Certificate certificate, EncryptionAlgorithm[] algorithms, DateTime timestamp)
    {
    }

    // Decoding an RSA key checks its modulus, which takes milliseconds; a pipeline encrypts for the same few keys, so
    // each is decoded once, with the platform's RSA for it.
    private (AsymmetricKeyParameter Key, PlatformRsaKeyWrapper? Wrapper) PublicKeyOf(X509Certificate certificate)
    {
        if (!_publicKeys.TryGetValue(certificate, out (AsymmetricKeyParameter Key, PlatformRsaKeyWrapper? Wrapper) entry))
        {
            AsymmetricKeyParameter key = certificate.GetPublicKey();
            entry = (key, key is RsaKeyParameters rsa ? PlatformRsaKeyWrapper.TryCreate(rsa) : null);
            _publicKeys[certificate] = entry;
        }

        return entry;
    }

    private static NotSupportedException ReadOnly() => new(Strings.MessageContextReadOnly);

    private MemoryStream SignData(CmsSigner signer, Stream content, bool encapsulate, CancellationToken cancellationToken)
    {
        if (signer is null)
        {
            throw new ArgumentNullException(nameof(signer));
        }

        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        var attributes = new BcAttributeTable(new Dictionary<DerObjectIdentifier, object>());
        if (Capabilities is not null)
        {
            attributes = attributes.Add(SmimeAttributes.SmimeCapabilities, new DerSequence(Capabilities.ToAsn1EncodableVector()));
        }

        string digestOid = SmimeMessagePolicy.DigestOid(signer.DigestAlgorithm);
        var generator = new CmsSignedDataGenerator(RandomNumberGenerator);
        generator.AddSignerInfoGenerator(new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(attributes))
            .Build(SignatureFactory(signer.PrivateKey, digestOid), signer.Certificate));
        if (SignatureCertificates.Count > 0)
        {
            generator.AddCertificates(CollectionUtilities.CreateStore(SignatureCertificates));
        }

        var data = new MemoryStream();
        byte[] buffer = new byte[81920];
        int read;
        while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            data.Write(buffer, 0, read);
        }

        CmsSignedData signed = generator.Generate(new CmsProcessableByteArray(data.ToArray()), encapsulate);
        // DER rather than BouncyCastle's indefinite lengths: some readers (libksba, so gpgsm) take only that.
        return new MemoryStream(signed.ContentInfo.GetEncoded(Asn1Encodable.Der), writable: false);
    }

    // RSA keys sign through the platform (kept per key and digest for the context's lifetime); other keys with
    // BouncyCastle.
    private ISignatureFactory SignatureFactory(AsymmetricKeyParameter key, string digestOid)
    {
        SmimeAlgorithm digest = SmimeAlgorithm.ForPurpose(SmimeAlgorithmPurpose.Signing).First(algorithm => algorithm.Oid == digestOid);
        if (_platformSigner is { Key: var cachedKey, DigestOid: var cachedDigest, Factory: var cached } && ReferenceEquals(cachedKey, key) && cachedDigest == digestOid)
        {
            return cached;
        }

        if (PlatformRsaSignatureFactory.TryCreate(key, digestOid, digest.RsaSignatureOid) is PlatformRsaSignatureFactory platform)
        {
            _platformSigner?.Factory.Dispose();
            _platformSigner = (key, digestOid, platform);
            return platform;
        }

        string keyName = key is RsaKeyParameters ? "RSA" : "ECDSA";
        return new Asn1SignatureFactory(digest.DisplayName.Replace("-", string.Empty) + "WITH" + keyName, key, RandomNumberGenerator);
    }
}
