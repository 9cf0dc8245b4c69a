using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Org.BouncyCastle.Asn1;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Tests.Certificates;
using SmimeAdmin.Core.Validation;
using Xunit;
using BcKeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage;

namespace SmimeAdmin.Core.Tests.Validation;

public sealed class SmimeCertificateValidatorTests
{
    private static TestAuthority Root => ValidationPki.Root;

    private static TestAuthority Intermediate => ValidationPki.Intermediate;

    [Fact]
    public void A_good_certificate_is_valid_and_described()
    {
        byte[] alice = Intermediate.Issue(new CertificateOptions());

        SmimeValidationResult result = Validate(alice, addresses: List("alice@contoso.com"));

        Assert.True(result.IsValid);
        Assert.Empty(result.Failures);
        Assert.Equal(SmimeCertificateUsage.Both, result.Usage);
        Assert.Equal(ValidationPki.Now, result.ValidationTime);
        SmimeEndEntityCertificate certificate = result.Certificate!;
        Assert.Equal("CN=Alice, O=Contoso", certificate.Subject);
        Assert.Equal("CN=Validation Intermediate CA, O=Contoso, C=US", certificate.Issuer);
        Assert.Equal(SmimeCaCertificate.Parse(alice).Thumbprint, certificate.Thumbprint);
        Assert.Equal(alice, certificate.RawData);
        Assert.Equal(List("alice@contoso.com"), certificate.EmailAddresses);
        Assert.Equal("RSA", certificate.KeyAlgorithm);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, certificate.KeyUsage);
        Assert.Equal(new[] { CertificateOptions.EmailProtection }, certificate.ExtendedKeyUsages);
        Assert.Equal(TestPki.NotBefore, certificate.NotBefore);
        Assert.Equal(TestPki.NotAfter, certificate.NotAfter);
        Assert.Empty(certificate.CrlDistributionPoints);
    }

    [Fact]
    public void The_chain_ends_at_the_first_certificate_of_the_collection()
    {
        SmimeValidationResult result = Validate(Intermediate.Issue(new CertificateOptions()));

        Assert.Equal(2, result.Chain.Count);
        Assert.False(result.Chain[0].IsTrustAnchor);
        Assert.Null(result.Chain[0].CaCertificate);
        Assert.True(result.Chain[1].IsTrustAnchor);
        Assert.Equal(Intermediate.Certificate, result.Chain[1].RawData);
        Assert.Equal(SmimeCaCertificate.Parse(Intermediate.Certificate).Thumbprint, result.Chain[1].CaCertificate!.Thumbprint);
    }

    [Fact]
    public void A_given_intermediate_completes_the_chain_to_a_trusted_root()
    {
        SmimeValidationResult result = Validate(Intermediate.Issue(new CertificateOptions()), extras: new[] { Intermediate.Certificate }, collection: new[] { Root.Certificate });

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Failures));
        Assert.Equal(List("CN=Alice, O=Contoso", "CN=Validation Intermediate CA, O=Contoso, C=US", "CN=Validation Root CA, O=Contoso, C=US"), result.Chain.Select(link => link.Subject));
        Assert.Equal(2, result.Chain.Count(link => !link.IsTrustAnchor));
        Assert.True(result.Chain[^1].IsTrustAnchor);
        Assert.NotNull(result.Chain[1].CaCertificate);
    }

    [Fact]
    public void Without_its_intermediate_the_certificate_does_not_chain_to_the_collection()
    {
        byte[] alice = Intermediate.Issue(new CertificateOptions());

        SmimeValidationResult result = Validate(alice, collection: new[] { Root.Certificate });

        Assert.False(result.IsValid);
        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.ChainNotTrusted);
        Assert.Equal(SmimeValidationSeverity.Error, failure.Severity);
        Assert.Contains("CN=Validation Intermediate CA, O=Contoso, C=US", failure.Message, StringComparison.Ordinal);
        Assert.Contains(result.Certificate!.Thumbprint, failure.Message, StringComparison.Ordinal);
        Assert.Equal(result.Certificate.Thumbprint, failure.Certificate!.Thumbprint);
        Assert.Single(result.Chain);
    }

    [Fact]
    public void A_chain_to_a_root_outside_the_collection_is_not_trusted()
    {
        TestAuthority otherRoot = TestAuthority.SelfSigned("O=Fabrikam,CN=Fabrikam Root", ValidationKeys.Other);

        SmimeValidationResult result = Validate(otherRoot.Issue(new CertificateOptions()), extras: new[] { otherRoot.Certificate });

        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.ChainNotTrusted);
        Assert.Equal("CN=Fabrikam Root, O=Fabrikam", failure.Certificate!.Subject);
        Assert.Contains("self-issued root", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Chain.Count);
        Assert.DoesNotContain(result.Chain, link => link.IsTrustAnchor);
    }

    [Fact]
    public void A_signature_by_another_key_than_the_named_issuers_is_invalid()
    {
        byte[] forged = Intermediate.Issue(new CertificateOptions { SignWith = ValidationKeys.Other });

        SmimeValidationResult result = Validate(forged);

        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.SignatureInvalid);
        Assert.Equal(result.Certificate!.Thumbprint, failure.Certificate!.Thumbprint);
        Assert.Contains("CN=Validation Intermediate CA", failure.Message, StringComparison.Ordinal);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void The_issuer_is_found_among_several_certificates_with_its_name()
    {
        TestAuthority rekeyedRoot = TestAuthority.SelfSigned(ValidationPki.RootName, ValidationKeys.Other);

        SmimeValidationResult result = Validate(
            Intermediate.Issue(new CertificateOptions()),
            extras: new[] { Intermediate.Certificate },
            collection: new[] { rekeyedRoot.Certificate, Root.Certificate });

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Failures));
        Assert.Equal(Root.Certificate, result.Chain[^1].RawData);
    }

    [Theory]
    [InlineData("2020-01-01", "2026-01-01", SmimeValidationReason.Expired)]
    [InlineData("2027-01-01", "2030-01-01", SmimeValidationReason.NotYetValid)]
    public void A_certificate_outside_its_validity_period_is_reported(string notBefore, string notAfter, SmimeValidationReason expected)
    {
        byte[] alice = Intermediate.Issue(new CertificateOptions { NotBefore = Date(notBefore), NotAfter = Date(notAfter) });

        SmimeValidationFailure failure = TestValidators.SingleFailure(Validate(alice), expected);

        Assert.Contains("2026-06-01 12:00:00Z", failure.Message, StringComparison.Ordinal);
        Assert.Equal("CN=Alice, O=Contoso", failure.Certificate!.Subject);
    }

    [Theory]
    [InlineData("2020-01-01", "2026-01-01", SmimeValidationReason.IssuerExpired)]
    [InlineData("2027-01-01", "2030-01-01", SmimeValidationReason.IssuerNotYetValid)]
    public void An_issuer_outside_its_validity_period_is_reported(string notBefore, string notAfter, SmimeValidationReason expected)
    {
        TestAuthority issuer = Root.Subordinate("O=Contoso,CN=Dated CA", ValidationKeys.Intermediate, options => options with { NotBefore = Date(notBefore), NotAfter = Date(notAfter) });

        SmimeValidationResult result = Validate(issuer.Issue(new CertificateOptions()), extras: new[] { issuer.Certificate }, collection: new[] { Root.Certificate });

        SmimeValidationFailure failure = TestValidators.SingleFailure(result, expected);
        Assert.Equal("CN=Dated CA, O=Contoso", failure.Certificate!.Subject);
    }

    [Fact]
    public void The_validation_time_decides_validity()
    {
        byte[] alice = Intermediate.Issue(new CertificateOptions { NotBefore = Date("2025-01-01"), NotAfter = Date("2026-01-01") });

        Assert.True(Validate(alice, at: Date("2025-06-01")).IsValid);
        Assert.Equal(new[] { SmimeValidationReason.Expired }, TestValidators.Codes(Validate(alice, at: Date("2026-06-01"))));
    }

    [Theory]
    [InlineData(false, BcKeyUsage.KeyCertSign | BcKeyUsage.CrlSign, "basicConstraints")]
    [InlineData(true, BcKeyUsage.DigitalSignature | BcKeyUsage.CrlSign, "keyCertSign")]
    public void An_issuer_that_is_not_a_certification_authority_is_reported(bool isCa, int keyUsage, string detail)
    {
        TestAuthority issuer = Root.Subordinate("O=Contoso,CN=Not Quite A CA", ValidationKeys.Intermediate, options => options with { IsCa = isCa, KeyUsage = keyUsage });

        SmimeValidationResult result = Validate(issuer.Issue(new CertificateOptions()), extras: new[] { issuer.Certificate }, collection: new[] { Root.Certificate });

        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.NotCertificateAuthority);
        Assert.Equal("CN=Not Quite A CA, O=Contoso", failure.Certificate!.Subject);
        Assert.Contains(detail, failure.Message, StringComparison.Ordinal);
        Assert.Contains("CN=Alice, O=Contoso", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void A_path_length_constraint_limits_the_intermediates_below(int pathLength, bool exceeded)
    {
        TestAuthority upper = Root.Subordinate("O=Contoso,CN=Upper CA", ValidationKeys.Intermediate, options => options with { PathLength = pathLength });
        TestAuthority lower = upper.Subordinate("O=Contoso,CN=Lower CA", ValidationKeys.Other);

        SmimeValidationResult result = Validate(lower.Issue(new CertificateOptions()), extras: new[] { upper.Certificate, lower.Certificate }, collection: new[] { Root.Certificate });

        if (exceeded)
        {
            SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.PathLengthExceeded);
            Assert.Equal("CN=Upper CA, O=Contoso", failure.Certificate!.Subject);
        }
        else
        {
            Assert.Empty(result.Failures);
        }
    }

    [Fact]
    public void A_self_issued_intermediate_does_not_count_against_the_path_length()
    {
        TestAuthority upper = Root.Subordinate("O=Contoso,CN=Rollover CA", ValidationKeys.Intermediate, options => options with { PathLength = 0 });
        TestAuthority rolledOver = upper.Subordinate("O=Contoso,CN=Rollover CA", ValidationKeys.Other);

        SmimeValidationResult result = Validate(rolledOver.Issue(new CertificateOptions()), extras: new[] { upper.Certificate, rolledOver.Certificate }, collection: new[] { Root.Certificate });

        Assert.Empty(result.Failures);
        Assert.Equal(4, result.Chain.Count);
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(9, false)]
    public void Chains_are_built_up_to_the_length_limit(int intermediates, bool trusted)
    {
        var extras = new List<byte[]>();
        TestAuthority issuer = Root;
        for (int i = 0; i < intermediates; i++)
        {
            issuer = issuer.Subordinate("O=Contoso,CN=Level " + i, ValidationKeys.Intermediate);
            extras.Add(issuer.Certificate);
        }

        SmimeValidationResult result = Validate(issuer.Issue(new CertificateOptions()), extras: extras, collection: new[] { Root.Certificate });

        Assert.Equal(SmimeCertificateValidator.MaxChainLength, intermediates + 2 - (trusted ? 0 : 1));
        Assert.Equal(trusted, result.IsValid);
        Assert.Equal(trusted ? Array.Empty<SmimeValidationReason>() : new[] { SmimeValidationReason.ChainNotTrusted }, TestValidators.Codes(result));
    }

    [Fact]
    public void Issuers_that_certify_each_other_end_the_search()
    {
        byte[] loopA = TestAuthority.SelfSigned("O=Loop,CN=Loop B", ValidationKeys.Other).Subordinate("O=Loop,CN=Loop A", ValidationKeys.Other).Certificate;
        byte[] loopB = TestAuthority.SelfSigned("O=Loop,CN=Loop A", ValidationKeys.Other).Subordinate("O=Loop,CN=Loop B", ValidationKeys.Other).Certificate;
        TestAuthority issuer = TestAuthority.SelfSigned("O=Loop,CN=Loop B", ValidationKeys.Other).Subordinate("O=Loop,CN=Loop A", ValidationKeys.Other);

        SmimeValidationResult result = Validate(issuer.Issue(new CertificateOptions()), extras: new[] { loopA, loopB });

        TestValidators.SingleFailure(result, SmimeValidationReason.ChainNotTrusted);
        Assert.Equal(3, result.Chain.Count);
    }

    [Fact]
    public void A_certificate_of_the_collection_is_its_own_trust_anchor()
    {
        byte[] selfSigned = TestAuthority.SelfSigned("O=Contoso,CN=Alice", ValidationKeys.User, options => options with { IsCa = false, KeyUsage = BcKeyUsage.DigitalSignature }).Certificate;

        SmimeValidationResult result = Validate(selfSigned, usage: SmimeCertificateUsage.Signing, collection: new[] { selfSigned });

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Failures));
        Assert.True(Assert.Single(result.Chain).IsTrustAnchor);
    }

    public static TheoryData<string, int?, SmimeCertificateUsage, bool> KeyUsageCases => new()
    {
        { "RSA", BcKeyUsage.DigitalSignature, SmimeCertificateUsage.Signing, true },
        { "RSA", BcKeyUsage.NonRepudiation, SmimeCertificateUsage.Signing, true },
        { "RSA", BcKeyUsage.KeyEncipherment, SmimeCertificateUsage.Signing, false },
        { "RSA", BcKeyUsage.KeyEncipherment, SmimeCertificateUsage.Encryption, true },
        { "RSA", BcKeyUsage.DigitalSignature, SmimeCertificateUsage.Encryption, false },
        { "RSA", BcKeyUsage.KeyAgreement, SmimeCertificateUsage.Encryption, false },
        { "RSA", BcKeyUsage.DigitalSignature | BcKeyUsage.KeyEncipherment, SmimeCertificateUsage.Both, true },
        { "RSA", BcKeyUsage.DigitalSignature, SmimeCertificateUsage.Both, false },
        { "RSA", null, SmimeCertificateUsage.Both, true },
        { "EC", BcKeyUsage.KeyAgreement, SmimeCertificateUsage.Encryption, true },
        { "EC", BcKeyUsage.KeyEncipherment, SmimeCertificateUsage.Encryption, false },
        { "EC", BcKeyUsage.DigitalSignature | BcKeyUsage.KeyAgreement, SmimeCertificateUsage.Both, true },
        { "EC", null, SmimeCertificateUsage.Encryption, true },
        { "Ed25519", BcKeyUsage.DigitalSignature, SmimeCertificateUsage.Signing, true },
        { "Ed25519", null, SmimeCertificateUsage.Encryption, false },
    };

    [Theory]
    [MemberData(nameof(KeyUsageCases))]
    public void Key_usage_must_allow_the_requested_usage(string keyAlgorithm, int? keyUsage, SmimeCertificateUsage usage, bool allowed)
    {
        Org.BouncyCastle.Crypto.AsymmetricKeyParameter key = keyAlgorithm switch
        {
            "EC" => ValidationKeys.UserEc.Public,
            "Ed25519" => ValidationKeys.UserEd25519.Public,
            _ => ValidationKeys.User.Public,
        };

        SmimeValidationResult result = Validate(Intermediate.Issue(new CertificateOptions { PublicKey = key, KeyUsage = keyUsage }), usage: usage);

        Assert.Equal(keyAlgorithm, result.Certificate!.KeyAlgorithm);
        Assert.Equal(allowed ? Array.Empty<SmimeValidationReason>() : new[] { SmimeValidationReason.KeyUsageMissing }, TestValidators.Codes(result));
    }

    [Theory]
    [InlineData(new[] { CertificateOptions.EmailProtection }, true)]
    [InlineData(new[] { CertificateOptions.AnyExtendedKeyUsage }, true)]
    [InlineData(new[] { CertificateOptions.ServerAuth, CertificateOptions.EmailProtection }, true)]
    [InlineData(null, true)]
    [InlineData(new[] { CertificateOptions.ServerAuth }, false)]
    public void Extended_key_usage_must_allow_email_when_present(string[]? purposes, bool allowed)
    {
        SmimeValidationResult result = Validate(Intermediate.Issue(new CertificateOptions { ExtendedKeyUsages = purposes }));

        Assert.Equal(allowed ? Array.Empty<SmimeValidationReason>() : new[] { SmimeValidationReason.ExtendedKeyUsageMissing }, TestValidators.Codes(result));
        Assert.Equal(purposes, result.Certificate!.ExtendedKeyUsages);
    }

    public static TheoryData<string, string[], string[], string, bool> AddressCases => new()
    {
        { "CN=Alice", List("alice@contoso.com"), List(), "alice@contoso.com", true },
        { "CN=Alice", List("alice@contoso.com"), List(), "ALICE@CONTOSO.COM", true },
        { "CN=Alice", List("Alice@Contoso.com"), List(), "alice@contoso.com", true },
        { "CN=Alice", List("alice@contoso.com"), List(), "bob@contoso.com", false },
        { "CN=Alice", List("alice@contoso.com"), List(), "alice@fabrikam.com", false },
        { "CN=Alice", List("alice@contoso.com", "a.smith@contoso.com"), List(), "A.Smith@contoso.com", true },
        { "CN=Carol,E=carol@contoso.com", List(), List(), "Carol@Contoso.com", true },
        { "CN=Carol,E=carol@contoso.com", List(), List(), "dave@contoso.com", false },
        { "CN=Nobody", List(), List(), "anyone@contoso.com", true },
        { "CN=Jürgen", List(), List("jürgen@contoso.com"), "jürgen@CONTOSO.com", true },
        { "CN=Jürgen", List(), List("jürgen@contoso.com"), "JÜRGEN@contoso.com", false },
        { "CN=Alice", List("alice@xn--bcher-kva.example"), List(), "alice@bücher.example", true },
    };

    [Theory]
    [MemberData(nameof(AddressCases))]
    public void The_address_must_be_one_the_certificate_names(string subject, string[] emails, string[] utf8Mailboxes, string requested, bool matches)
    {
        SmimeValidationResult result = Validate(
            Intermediate.Issue(new CertificateOptions { Subject = subject, Emails = emails, Utf8Mailboxes = utf8Mailboxes }),
            addresses: new[] { requested });

        if (matches)
        {
            Assert.Empty(result.Failures);
        }
        else
        {
            SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.AddressMismatch);
            Assert.Contains(requested, failure.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Addresses_are_read_from_every_place_in_order()
    {
        byte[] certificate = Intermediate.Issue(new CertificateOptions
        {
            Subject = "CN=Alice,E=alice.legacy@contoso.com",
            Emails = List("alice@contoso.com"),
            Utf8Mailboxes = List("älice@contoso.com"),
        });

        Assert.Equal(List("alice@contoso.com", "älice@contoso.com", "alice.legacy@contoso.com"), Validate(certificate).Certificate!.EmailAddresses);
    }

    [Fact]
    public void Every_requested_address_must_match()
    {
        SmimeValidationResult result = Validate(Intermediate.Issue(new CertificateOptions()), addresses: List("alice@contoso.com", "alias@contoso.com", "other@contoso.com"));

        Assert.Equal(new[] { SmimeValidationReason.AddressMismatch, SmimeValidationReason.AddressMismatch }, TestValidators.Codes(result));
        Assert.Contains("alias@contoso.com", result.Failures[0].Message, StringComparison.Ordinal);
        Assert.Contains("other@contoso.com", result.Failures[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_a_recipient_one_of_its_addresses_is_enough()
    {
        byte[] alias = Intermediate.Issue(new CertificateOptions { Emails = List("alias@contoso.com") });
        SmimeCertificateValidator validator = TestValidators.Create(new[] { Root.Certificate, Intermediate.Certificate }, TestValidators.CrlOff);

        SmimeValidationResult matched = validator.ValidateForRecipient(
            alias, null, List("alice@contoso.com", "ALIAS@contoso.com"), SmimeCertificateUsage.Both, ValidationPki.Now, CancellationToken.None);
        SmimeValidationResult unmatched = validator.ValidateForRecipient(
            alias, null, List("alice@contoso.com", "other@contoso.com"), SmimeCertificateUsage.Both, ValidationPki.Now, CancellationToken.None);
        SmimeValidationResult noAddressCheck = validator.ValidateForRecipient(
            alias, null, Array.Empty<string>(), SmimeCertificateUsage.Both, ValidationPki.Now, CancellationToken.None);

        Assert.True(matched.IsValid, string.Join(Environment.NewLine, matched.Failures));
        SmimeValidationFailure failure = TestValidators.SingleFailure(unmatched, SmimeValidationReason.AddressMismatch);
        Assert.Contains("alice@contoso.com, other@contoso.com", failure.Message, StringComparison.Ordinal);
        Assert.Contains("alias@contoso.com", failure.Message, StringComparison.Ordinal);
        Assert.True(noAddressCheck.IsValid);
        Assert.Throws<ArgumentNullException>(() => validator.ValidateForRecipient(
            alias, null, null!, SmimeCertificateUsage.Both, ValidationPki.Now, CancellationToken.None));
    }

    [Fact]
    public void Bytes_that_are_not_a_certificate_are_malformed()
    {
        SmimeValidationResult result = Validate(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 });

        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.MalformedCertificate);
        Assert.Equal(SmimeValidationSeverity.Error, failure.Severity);
        Assert.Null(failure.Certificate);
        Assert.Null(result.Certificate);
        Assert.Empty(result.Chain);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void An_unreadable_extension_is_malformed()
    {
        byte[] certificate = Intermediate.Issue(new CertificateOptions { RawExtendedKeyUsage = DerInteger.ValueOf(5).GetEncoded() });

        SmimeValidationFailure failure = TestValidators.SingleFailure(Validate(certificate), SmimeValidationReason.MalformedCertificate);

        Assert.Contains("extendedKeyUsage", failure.Message, StringComparison.Ordinal);
        Assert.Equal("CN=Alice, O=Contoso", failure.Certificate!.Subject);
    }

    [Fact]
    public void An_unreadable_additional_certificate_is_ignored_with_a_warning()
    {
        SmimeValidationResult result = Validate(Intermediate.Issue(new CertificateOptions()), extras: new[] { new byte[] { 1, 2, 3 } });

        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.MalformedCertificate);
        Assert.Equal(SmimeValidationSeverity.Warning, failure.Severity);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        SmimeCertificateValidator validator = TestValidators.Create(new[] { Root.Certificate }, TestValidators.CrlOff);
        byte[] alice = Intermediate.Issue(new CertificateOptions());

        Assert.Equal("endEntityDer", Assert.Throws<ArgumentNullException>(() => validator.Validate(null!, null, null, SmimeCertificateUsage.Both, ValidationPki.Now, default)).ParamName);
        Assert.Equal("usage", Assert.Throws<ArgumentOutOfRangeException>(() => validator.Validate(alice, null, null, 0, ValidationPki.Now, default)).ParamName);
        Assert.Equal("emailAddresses", Assert.Throws<ArgumentException>(() => validator.Validate(alice, null, new[] { "a@b", string.Empty }, SmimeCertificateUsage.Both, ValidationPki.Now, default)).ParamName);
        Assert.Equal("extraIntermediates", Assert.Throws<ArgumentException>(() => validator.Validate(alice, new byte[][] { null! }, null, SmimeCertificateUsage.Both, ValidationPki.Now, default)).ParamName);
        Assert.Throws<OperationCanceledException>(() => validator.Validate(alice, null, null, SmimeCertificateUsage.Both, ValidationPki.Now, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Constructor_arguments_are_checked()
    {
        var collection = SmimeCertificateCollection.Empty;
        var settings = TestValidators.CrlOff;
        using var source = new HttpCrlSource();
        var cache = new CrlCache();
        Func<DateTime> clock = () => DateTime.UtcNow;

        Assert.Equal("trustedCertificates", Assert.Throws<ArgumentNullException>(() => new SmimeCertificateValidator(null!, settings, source, cache, clock)).ParamName);
        Assert.Equal("settings", Assert.Throws<ArgumentNullException>(() => new SmimeCertificateValidator(collection, null!, source, cache, clock)).ParamName);
        Assert.Equal("crlSource", Assert.Throws<ArgumentNullException>(() => new SmimeCertificateValidator(collection, settings, null!, cache, clock)).ParamName);
        Assert.Equal("crlCache", Assert.Throws<ArgumentNullException>(() => new SmimeCertificateValidator(collection, settings, source, null!, clock)).ParamName);
        Assert.Equal("utcNow", Assert.Throws<ArgumentNullException>(() => new SmimeCertificateValidator(collection, settings, source, cache, null!)).ParamName);
    }

    private static string[] List(params string[] items) => items;

    private static DateTime Date(string text) => DateTime.SpecifyKind(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static SmimeValidationResult Validate(
        byte[] certificate,
        IEnumerable<byte[]>? extras = null,
        string[]? addresses = null,
        SmimeCertificateUsage usage = SmimeCertificateUsage.Both,
        DateTime? at = null,
        IEnumerable<byte[]>? collection = null)
    {
        SmimeCertificateValidator validator = TestValidators.Create(collection ?? new[] { Root.Certificate, Intermediate.Certificate }, TestValidators.CrlOff);
        return validator.Validate(certificate, extras, addresses, usage, at ?? ValidationPki.Now, CancellationToken.None);
    }
}
