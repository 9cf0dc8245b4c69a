using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace SmimeAdmin.Core.Tests;

/// <summary>Key pairs and seeded randomness for the test PKIs, so every run makes the same keys.</summary>
internal static class TestKeys
{
    public static SecureRandom SeededRandom(long seed)
    {
        SecureRandom random = SecureRandom.GetInstance("SHA256PRNG", false);
        random.SetSeed(seed);
        return random;
    }

    public static AsymmetricCipherKeyPair NewRsa(SecureRandom random, int bits = 2048)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), random, bits, 80));
        return generator.GenerateKeyPair();
    }

    public static AsymmetricCipherKeyPair NewEc(SecureRandom random, string curve = "secp256r1")
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(ECNamedCurveTable.GetOid(curve), random));
        return generator.GenerateKeyPair();
    }
}
