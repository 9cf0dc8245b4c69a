using System.Linq;
using SmimeAdmin.Core.Settings;
using Xunit;

namespace SmimeAdmin.Core.Tests.Settings;

public sealed class SmimeAlgorithmTests
{
    // Reference §2: encryption ids with CAPI names and cipher OIDs.
    [Theory]
    [InlineData(0x6601, "6601", "CALG_DES", "1.3.14.3.2.7", new[] { 56 })]
    [InlineData(0x6602, "6602", "CALG_RC2", "1.2.840.113549.3.2", new[] { 40, 56, 64, 128 })]
    [InlineData(0x6603, "6603", "CALG_3DES", "1.2.840.113549.3.7", new[] { 168 })]
    [InlineData(0x660E, "660E", "CALG_AES_128", "2.16.840.1.101.3.4.1.2", new[] { 128 })]
    [InlineData(0x660F, "660F", "CALG_AES_192", "2.16.840.1.101.3.4.1.22", new[] { 192 })]
    [InlineData(0x6610, "6610", "CALG_AES_256", "2.16.840.1.101.3.4.1.42", new[] { 256 })]
    public void Each_encryption_algorithm_matches_the_reference(int algorithmId, string id, string capiName, string oid, int[] keyLengths)
    {
        SmimeAlgorithm algorithm = SmimeAlgorithm.FindById(algorithmId)!;

        Assert.Equal(id, algorithm.Id);
        Assert.Equal(capiName, algorithm.CapiName);
        Assert.Equal(SmimeAlgorithmPurpose.Encryption, algorithm.Purpose);
        Assert.Equal(oid, algorithm.Oid);
        Assert.Equal(keyLengths, algorithm.KeyLengths.OrderBy(length => length));
        Assert.Null(algorithm.RsaSignatureOid);
        Assert.Null(algorithm.EcdsaSignatureOid);
    }

    // Reference §2: digest ids with CAPI names, digest OIDs and signature OIDs.
    [Theory]
    [InlineData(0x8003, "8003", "CALG_MD5", 128, "1.2.840.113549.2.5", "1.2.840.113549.1.1.4", null)]
    [InlineData(0x8004, "8004", "CALG_SHA1", 160, "1.3.14.3.2.26", "1.2.840.113549.1.1.5", "1.2.840.10045.4.1")]
    [InlineData(0x800C, "800C", "CALG_SHA_256", 256, "2.16.840.1.101.3.4.2.1", "1.2.840.113549.1.1.11", "1.2.840.10045.4.3.2")]
    [InlineData(0x800D, "800D", "CALG_SHA_384", 384, "2.16.840.1.101.3.4.2.2", "1.2.840.113549.1.1.12", "1.2.840.10045.4.3.3")]
    [InlineData(0x800E, "800E", "CALG_SHA_512", 512, "2.16.840.1.101.3.4.2.3", "1.2.840.113549.1.1.13", "1.2.840.10045.4.3.4")]
    public void Each_signing_algorithm_matches_the_reference(
        int algorithmId, string id, string capiName, int digestBits, string oid, string rsaOid, string? ecdsaOid)
    {
        SmimeAlgorithm algorithm = SmimeAlgorithm.FindById(algorithmId)!;

        Assert.Equal(id, algorithm.Id);
        Assert.Equal(capiName, algorithm.CapiName);
        Assert.Equal(SmimeAlgorithmPurpose.Signing, algorithm.Purpose);
        Assert.Equal(new[] { digestBits }, algorithm.KeyLengths);
        Assert.Equal(oid, algorithm.Oid);
        Assert.Equal(rsaOid, algorithm.RsaSignatureOid);
        Assert.Equal(ecdsaOid, algorithm.EcdsaSignatureOid);
    }

    [Fact]
    public void All_holds_exactly_the_documented_ids_encryption_first()
    {
        Assert.Equal(
            "6601;6602;6603;660E;660F;6610;8003;8004;800C;800D;800E",
            string.Join(";", SmimeAlgorithm.All.Select(algorithm => algorithm.Id)));
    }

    [Theory]
    [InlineData(0x6601, true)]
    [InlineData(0x6602, false)]
    [InlineData(0x6603, true)]
    [InlineData(0x660E, false)]
    [InlineData(0x660F, false)]
    [InlineData(0x6610, false)]
    [InlineData(0x8003, true)]
    [InlineData(0x8004, true)]
    [InlineData(0x800C, false)]
    [InlineData(0x800D, false)]
    [InlineData(0x800E, false)]
    public void IsWeak_marks_algorithms_weak_at_every_key_length(int algorithmId, bool expected)
    {
        Assert.Equal(expected, SmimeAlgorithm.FindById(algorithmId)!.IsWeak);
    }

    [Theory]
    [InlineData(0x6609)]
    [InlineData(0x6611)]
    [InlineData(0x8804)]
    [InlineData(0)]
    public void FindById_returns_null_for_an_undocumented_id(int algorithmId)
    {
        Assert.Null(SmimeAlgorithm.FindById(algorithmId));
    }

    [Theory]
    [InlineData(SmimeAlgorithmPurpose.Encryption, new[] { "6601", "6602", "6603", "660E", "660F", "6610" })]
    [InlineData(SmimeAlgorithmPurpose.Signing, new[] { "8003", "8004", "800C", "800D", "800E" })]
    public void ForPurpose_returns_the_algorithms_of_that_purpose(SmimeAlgorithmPurpose purpose, string[] expected)
    {
        Assert.Equal(expected, SmimeAlgorithm.ForPurpose(purpose).Select(algorithm => algorithm.Id));
    }

    [Theory]
    [InlineData(SmimeAlgorithmPurpose.Encryption, "6610")]
    [InlineData(SmimeAlgorithmPurpose.Signing, "800C")]
    public void StrongAlternative_is_a_strong_algorithm_of_the_same_purpose(SmimeAlgorithmPurpose purpose, string expected)
    {
        SmimeAlgorithm alternative = SmimeAlgorithm.StrongAlternative(purpose);

        Assert.Equal(expected, alternative.Id);
        Assert.Equal(purpose, alternative.Purpose);
        Assert.False(alternative.IsWeak);
    }

    [Fact]
    public void ToString_shows_the_id_and_the_readable_name()
    {
        Assert.Equal("6610 (AES-256-CBC)", SmimeAlgorithm.FindById(0x6610)!.ToString());
    }
}
