using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Certificates;
using Xunit;

namespace SmimeAdmin.Core.Tests.Certificates;

public sealed class CertificateCollectionValidatorTests
{
    private static readonly DateTime s_cutoff = new(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc);

    private static TestPki Pki => TestPki.Instance;

    [Fact]
    public void Roots_of_every_kind_pass()
    {
        Assert.Empty(Validate(Pki.Root, Pki.V1Root, Pki.EcRoot));
    }

    [Fact]
    public void An_intermediate_with_its_root_passes_in_either_order()
    {
        Assert.Empty(Validate(Pki.Intermediate, Pki.Root));
        Assert.Empty(Validate(Pki.Root, Pki.Intermediate));
    }

    [Fact]
    public void A_leaf_is_flagged_as_not_a_certificate_authority()
    {
        IReadOnlyList<CertificateCollectionProblem> problems = Validate(Pki.Root, Pki.Intermediate, Pki.Leaf);

        CertificateCollectionProblem problem = Assert.Single(problems);
        SmimeCaCertificate leaf = SmimeCaCertificate.Parse(Pki.Leaf);
        Assert.Equal(CertificateCollectionProblemCode.NotCertificateAuthority, problem.Code);
        Assert.Equal(leaf.Thumbprint, problem.Certificate.Thumbprint);
        Assert.Contains(leaf.Subject, problem.Message, StringComparison.Ordinal);
        Assert.Contains(leaf.Thumbprint, problem.Message, StringComparison.Ordinal);
        Assert.Equal(problem.Message, problem.ToString());
    }

    [Fact]
    public void A_leaf_without_its_issuer_has_both_problems()
    {
        IReadOnlyList<CertificateCollectionProblem> problems = Validate(Pki.Leaf);

        Assert.Equal(
            new[] { CertificateCollectionProblemCode.NotCertificateAuthority, CertificateCollectionProblemCode.IssuerNotInCollection },
            problems.Select(problem => problem.Code));
    }

    [Fact]
    public void An_orphan_intermediate_is_flagged_and_named()
    {
        IReadOnlyList<CertificateCollectionProblem> problems = Validate(Pki.Root, Pki.OrphanIntermediate);

        CertificateCollectionProblem problem = Assert.Single(problems);
        Assert.Equal(CertificateCollectionProblemCode.IssuerNotInCollection, problem.Code);
        Assert.Equal("CN=Orphan Intermediate CA, O=Contoso", problem.Certificate.Subject);
        Assert.Contains("CN=Orphan Intermediate CA, O=Contoso", problem.Message, StringComparison.Ordinal);
        Assert.Contains(problem.Certificate.Thumbprint, problem.Message, StringComparison.Ordinal);
        Assert.Contains("CN=Missing Root, O=Contoso", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_intermediate_whose_issuer_name_matches_but_whose_signature_does_not_is_flagged()
    {
        IReadOnlyList<CertificateCollectionProblem> problems = Validate(Pki.Root, Pki.Intermediate, Pki.ImpostorIntermediate);

        CertificateCollectionProblem problem = Assert.Single(problems);
        Assert.Equal(CertificateCollectionProblemCode.IssuerNotInCollection, problem.Code);
        Assert.Equal("CN=Impostor Intermediate CA, O=Contoso, C=US", problem.Certificate.Subject);
        Assert.Contains("signature", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signer_is_found_among_several_certificates_with_the_issuers_name()
    {
        // A re-keyed root: same name, another key. The intermediate was signed by the original.
        byte[] rekeyed = Pki.IssueV3(TestPki.RootName, TestPki.RootName, Pki.OtherKey.Public, Pki.OtherKey, "SHA256WITHRSA", ca: true, pathLength: null, serial: 99);

        Assert.Empty(Validate(rekeyed, Pki.Root, Pki.Intermediate));
        Assert.Empty(Validate(Pki.Root, rekeyed, Pki.Intermediate));
        Assert.Single(Validate(rekeyed, Pki.Intermediate));
    }

    [Fact]
    public void Problems_come_in_collection_order()
    {
        IReadOnlyList<CertificateCollectionProblem> problems = Validate(Pki.OrphanIntermediate, Pki.Root, Pki.ImpostorIntermediate);

        Assert.Collection(
            problems,
            first => Assert.Equal("CN=Orphan Intermediate CA, O=Contoso", first.Certificate.Subject),
            second => Assert.Equal("CN=Impostor Intermediate CA, O=Contoso, C=US", second.Certificate.Subject));
    }

    [Fact]
    public void Validate_rejects_null_and_a_null_item()
    {
        Assert.Equal("collection", Assert.Throws<ArgumentNullException>(() => CertificateCollectionValidator.Validate(null!)).ParamName);
        Assert.Equal(
            "collection",
            Assert.Throws<ArgumentException>(() => CertificateCollectionValidator.Validate(new SmimeCaCertificate[] { null! })).ParamName);
    }

    [Fact]
    public void An_empty_collection_has_no_problems()
    {
        Assert.Empty(CertificateCollectionValidator.Validate(Array.Empty<SmimeCaCertificate>()));
    }

    [Fact]
    public void The_unexpired_windows_roots_as_of_2026_11_28_pass_validation()
    {
        List<SmimeCaCertificate> all = SerializedCertificateStore.Read(TestData.WindowsRoots).Select(SmimeCaCertificate.Parse).ToList();
        List<SmimeCaCertificate> unexpired = all.Where(certificate => certificate.NotAfter >= s_cutoff).ToList();

        Assert.Equal(112, all.Count(certificate => certificate.NotAfter < s_cutoff));
        Assert.Equal(322, unexpired.Count);
        Assert.Empty(CertificateCollectionValidator.Validate(unexpired));
        Assert.All(unexpired, certificate => Assert.True(certificate.IsSelfIssued));
        Assert.Equal(317, unexpired.Count(certificate => certificate.Version == 3 && certificate.IsCertificateAuthority));
        Assert.Equal(5, unexpired.Count(certificate => certificate.Version == 1));
        Assert.Equal(52, unexpired.Count(certificate => certificate.SignatureAlgorithm.EndsWith("ECDSA", StringComparison.Ordinal)));
        Assert.Equal(270, unexpired.Count(certificate => certificate.SignatureAlgorithm.EndsWith("RSA", StringComparison.Ordinal)));
        Assert.Equal(1, unexpired.Count(certificate => certificate.SignatureAlgorithm == "md2RSA"));
    }

    private static IReadOnlyList<CertificateCollectionProblem> Validate(params byte[][] certificates) =>
        CertificateCollectionValidator.Validate(certificates.Select(SmimeCaCertificate.Parse).ToList());
}
