using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Store;
using Xunit;

namespace SmimeAdmin.Core.Tests.Certificates;

public sealed class SmimeCertificateCollectionTests
{
    // Certificates whose validity periods differ, listed so that neither their NotAfter nor their thumbprints are in
    // collection order: Middle expires second, Soonest first, Latest last, Future is not valid before 2030.
    private static readonly Lazy<Dated> s_dated = new(() => new Dated());

    private static TestPki Pki => TestPki.Instance;

    public static TheoryData<string> ConvertedFormats => new() { "pem", "der", "p7b", "pem-p7b" };

    public static TheoryData<string> NotSerializedStores => new() { "pem", "der", "garbage", "no-end-marker" };

    [Fact]
    public void FromFileContent_keeps_a_serialized_store_without_duplicates_byte_for_byte()
    {
        byte[] sst = StoreWithProperties(Pki.Root, Pki.Intermediate, Pki.EcRoot);
        Assert.NotEqual(SerializedCertificateStore.Write(new[] { Pki.Root, Pki.Intermediate, Pki.EcRoot }), sst);

        SmimeCertificateCollection collection = SmimeCertificateCollection.FromFileContent(sst);

        AssertCertificates(collection, Pki.Root, Pki.Intermediate, Pki.EcRoot);
        Assert.Equal(sst, Record(collection).GetSerializedStore());
    }

    [Fact]
    public void FromFileContent_keeps_its_own_copy_of_the_bytes()
    {
        byte[] sst = StoreWithProperties(Pki.Root);
        byte[] original = (byte[])sst.Clone();
        SmimeCertificateCollection collection = SmimeCertificateCollection.FromFileContent(sst);

        sst[sst.Length - 1] = 0xFF;

        Assert.Equal(original, Record(collection).GetSerializedStore());
    }

    [Fact]
    public void FromFileContent_rewrites_a_serialized_store_with_duplicates_without_them_in_first_occurrence_order()
    {
        byte[] sst = StoreWithProperties(Pki.Intermediate, Pki.Root, Pki.Intermediate, Pki.EcRoot, Pki.Root);

        SmimeCertificateCollection collection = SmimeCertificateCollection.FromFileContent(sst);

        AssertCertificates(collection, Pki.Intermediate, Pki.Root, Pki.EcRoot);
        byte[] written = Record(collection).GetSerializedStore();
        Assert.NotEqual(sst, written);
        Assert.Equal(new[] { Pki.Intermediate, Pki.Root, Pki.EcRoot }, SerializedCertificateStore.Read(written));
    }

    [Theory]
    [MemberData(nameof(ConvertedFormats))]
    public void FromFileContent_converts_other_formats_to_a_serialized_store_of_the_same_certificates(string format)
    {
        (byte[] content, byte[][] certificates) = Encode(format);

        SmimeCertificateCollection collection = SmimeCertificateCollection.FromFileContent(content);

        byte[] written = Record(collection).GetSerializedStore();
        Assert.True(SerializedCertificateStore.IsSerializedStore(written));
        IReadOnlyList<byte[]> readBack = SerializedCertificateStore.Read(written);
        Assert.Equal(collection.Certificates.Select(c => c.RawData), readBack);
        Assert.Equal(Sorted(certificates), Sorted(readBack));
    }

    [Fact]
    public void FromFileContent_drops_duplicates_from_pem_text_in_first_occurrence_order()
    {
        byte[] pem = CertificateFile.WritePem(new[] { Pki.EcRoot, Pki.Root, Pki.EcRoot, Pki.V1Root, Pki.Root });

        SmimeCertificateCollection collection = SmimeCertificateCollection.FromFileContent(pem);

        AssertCertificates(collection, Pki.EcRoot, Pki.Root, Pki.V1Root);
        Assert.Equal(new[] { Pki.EcRoot, Pki.Root, Pki.V1Root }, SerializedCertificateStore.Read(Record(collection).GetSerializedStore()));
    }

    [Fact]
    public void FromFileContent_refuses_null_and_unreadable_content()
    {
        Assert.Equal("content", Assert.Throws<ArgumentNullException>(() => SmimeCertificateCollection.FromFileContent(null!)).ParamName);
        Assert.Throws<CertificateFormatException>(() => SmimeCertificateCollection.FromFileContent(new byte[] { 1, 2, 3 }));
    }

    [Fact]
    public void From_drops_duplicates_and_keeps_the_order_of_first_occurrence()
    {
        SmimeCaCertificate[] unsorted = ByThumbprintDescending(Pki.All);

        SmimeCertificateCollection collection = SmimeCertificateCollection.From(unsorted.Concat(unsorted.Reverse()).Append(unsorted[2]));

        Assert.Equal(unsorted.Select(c => c.Thumbprint), collection.Certificates.Select(c => c.Thumbprint));
    }

    [Fact]
    public void From_refuses_null()
    {
        Assert.Equal("certificates", Assert.Throws<ArgumentNullException>(() => SmimeCertificateCollection.From(null!)).ParamName);
    }

    [Fact]
    public void Union_appends_only_the_certificates_this_collection_lacks_in_their_order()
    {
        SmimeCertificateCollection first = Collection(Pki.Root, Pki.Intermediate);
        SmimeCertificateCollection second = Collection(Pki.Intermediate, Pki.EcRoot, Pki.Root, Pki.V1Root);

        SmimeCertificateCollection union = first.Union(second);

        AssertCertificates(union, Pki.Root, Pki.Intermediate, Pki.EcRoot, Pki.V1Root);
        Assert.Equal(new[] { Pki.Root, Pki.Intermediate, Pki.EcRoot, Pki.V1Root }, SerializedCertificateStore.Read(Record(union).GetSerializedStore()));
        AssertCertificates(first, Pki.Root, Pki.Intermediate);
    }

    [Fact]
    public void Union_with_nothing_new_returns_the_same_instance_so_the_stored_bytes_survive()
    {
        byte[] sst = StoreWithProperties(Pki.Root, Pki.Intermediate, Pki.EcRoot);
        SmimeCertificateCollection collection = SmimeCertificateCollection.FromFileContent(sst);

        SmimeCertificateCollection union = collection
            .Union(SmimeCertificateCollection.FromFileContent(CertificateFile.WritePem(new[] { Pki.EcRoot, Pki.Root })))
            .Union(SmimeCertificateCollection.Empty);

        Assert.Same(collection, union);
        Assert.Equal(sst, Record(union).GetSerializedStore());
    }

    [Fact]
    public void The_empty_collection_united_with_a_store_returns_that_store_with_its_bytes()
    {
        byte[] content = StoreWithProperties(Pki.Root, Pki.EcRoot);
        SmimeCertificateCollection file = SmimeCertificateCollection.FromFileContent(content);

        SmimeCertificateCollection union = SmimeCertificateCollection.Empty.Union(file);

        Assert.Same(file, union);
        Assert.Equal(content, Record(union).GetSerializedStore());
    }

    [Fact]
    public void Union_with_a_new_certificate_rewrites_the_stored_bytes()
    {
        byte[] sst = StoreWithProperties(Pki.Root);
        SmimeCertificateCollection collection = SmimeCertificateCollection.FromFileContent(sst);

        SmimeCertificateCollection union = collection.Union(Collection(Pki.Root, Pki.Leaf));

        Assert.NotSame(collection, union);
        Assert.Equal(SerializedCertificateStore.Write(new[] { Pki.Root, Pki.Leaf }), Record(union).GetSerializedStore());
    }

    [Fact]
    public void Union_refuses_null()
    {
        Assert.Equal("other", Assert.Throws<ArgumentNullException>(() => Collection(Pki.Root).Union(null!)).ParamName);
    }

    [Fact]
    public void Where_that_keeps_every_certificate_returns_the_same_instance()
    {
        byte[] sst = StoreWithProperties(Pki.Root, Pki.EcRoot);
        SmimeCertificateCollection collection = SmimeCertificateCollection.FromFileContent(sst);

        SmimeCertificateCollection kept = collection.Where(c => c.IsCertificateAuthority);

        Assert.Same(collection, kept);
        Assert.Equal(sst, Record(kept).GetSerializedStore());
    }

    [Fact]
    public void Where_that_removes_a_certificate_returns_a_new_collection_of_the_rest_in_order()
    {
        SmimeCertificateCollection collection = SmimeCertificateCollection.FromFileContent(StoreWithProperties(Pki.Root, Pki.Leaf, Pki.EcRoot, Pki.Intermediate));

        SmimeCertificateCollection kept = collection.Where(c => c.IsCertificateAuthority);

        Assert.NotSame(collection, kept);
        AssertCertificates(kept, Pki.Root, Pki.EcRoot, Pki.Intermediate);
        AssertCertificates(collection, Pki.Root, Pki.Leaf, Pki.EcRoot, Pki.Intermediate);
        Assert.Equal(SerializedCertificateStore.Write(new[] { Pki.Root, Pki.EcRoot, Pki.Intermediate }), Record(kept).GetSerializedStore());
    }

    [Theory]
    [InlineData("root,intermediate", "root,intermediate", true)]
    [InlineData("", "", true)]
    [InlineData("root,intermediate", "intermediate,root", false)]
    [InlineData("root,intermediate", "root", false)]
    [InlineData("root", "root,intermediate", false)]
    [InlineData("root", "ec", false)]
    [InlineData("root", "", false)]
    public void HasSameCertificates_compares_the_certificates_in_order(string left, string right, bool expected)
    {
        SmimeCertificateCollection first = SmimeCertificateCollection.FromFileContent(StoreWithProperties(Named(left)));
        SmimeCertificateCollection second = Collection(Named(right));

        Assert.Equal(expected, first.HasSameCertificates(second));
        Assert.Equal(expected, second.HasSameCertificates(first));
    }

    [Fact]
    public void HasSameCertificates_is_false_for_null()
    {
        Assert.False(SmimeCertificateCollection.Empty.HasSameCertificates(null!));
    }

    [Theory]
    [InlineData("2024-12-31T23:59:59.9999999Z", CertificateValidity.NotYetValid)]
    [InlineData("2025-01-01T00:00:00Z", CertificateValidity.Valid)]
    [InlineData("2030-06-15T12:00:00Z", CertificateValidity.Valid)]
    [InlineData("2035-01-01T00:00:00Z", CertificateValidity.Valid)]
    [InlineData("2035-01-01T00:00:00.0000001Z", CertificateValidity.Expired)]
    [InlineData("2040-01-01T00:00:00Z", CertificateValidity.Expired)]
    public void ValidityAt_places_an_instant_against_the_validity_period(string instant, CertificateValidity expected)
    {
        SmimeCaCertificate root = SmimeCaCertificate.Parse(Pki.Root);

        Assert.Equal(expected, SmimeCertificateCollection.ValidityAt(root, Utc(instant)));
    }

    [Fact]
    public void ValidityAt_refuses_null()
    {
        Assert.Equal("certificate", Assert.Throws<ArgumentNullException>(() => SmimeCertificateCollection.ValidityAt(null!, DateTime.UtcNow)).ParamName);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", "")]
    [InlineData("2027-01-01T00:00:00Z", "")]
    [InlineData("2027-01-01T00:00:01Z", "soonest")]
    [InlineData("2028-01-01T00:00:00Z", "soonest")]
    [InlineData("2028-01-01T00:00:01Z", "middle,soonest")]
    [InlineData("2031-01-01T00:00:00Z", "middle,soonest")]
    [InlineData("2040-01-01T00:00:01Z", "middle,soonest,latest,future")]
    public void ExpiredAt_lists_the_certificates_past_their_not_after_in_collection_order(string instant, string expected)
    {
        Dated dated = s_dated.Value;
        SmimeCertificateCollection collection = Collection(dated.Middle, dated.Soonest, dated.Latest, dated.Future);

        IReadOnlyList<SmimeCaCertificate> expired = collection.ExpiredAt(Utc(instant));

        Assert.Equal(Thumbprints(dated.Named(expected)), expired.Select(c => c.Thumbprint));
    }

    [Fact]
    public void ToRecord_describes_the_collection_with_the_certificate_that_expires_first()
    {
        Dated dated = s_dated.Value;
        SmimeCertificateCollection collection = Collection(dated.Middle, dated.Soonest, dated.Latest, dated.Future);

        SmimeCertificateCollectionRecord record = Record(collection);

        byte[] written = record.GetSerializedStore();
        Assert.Equal(new[] { dated.Middle, dated.Soonest, dated.Latest, dated.Future }, SerializedCertificateStore.Read(written));
        Assert.Equal(Thumbprints(dated.Middle, dated.Soonest, dated.Latest, dated.Future), record.Thumbprints);
        Assert.Equal(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), record.ExpiryDateUtc);
        Assert.Equal(DateTimeKind.Utc, record.ExpiryDateUtc!.Value.Kind);
        Assert.Equal(SmimeCaCertificate.Parse(dated.Soonest).Thumbprint, record.ExpiryThumbprint);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(written)), record.Sha256);
    }

    [Fact]
    public void ToRecord_of_a_collection_without_certificates_is_null()
    {
        SmimeCertificateCollection[] empties =
        {
            SmimeCertificateCollection.Empty,
            SmimeCertificateCollection.From(Array.Empty<SmimeCaCertificate>()),
            SmimeCertificateCollection.FromFileContent(new SstBuilder().End().ToArray()),
            Collection(Pki.Root).Where(_ => false),
        };

        Assert.All(empties, collection => Assert.Null(collection.ToRecord()));
        Assert.Empty(SmimeCertificateCollection.Empty.Certificates);
    }

    [Fact]
    public void FromRecord_of_null_is_the_empty_collection()
    {
        Assert.Same(SmimeCertificateCollection.Empty, SmimeCertificateCollection.FromRecord(null));
    }

    [Fact]
    public void FromRecord_reads_a_record_back_to_the_same_certificates_and_bytes()
    {
        Dated dated = s_dated.Value;
        SmimeCertificateCollection original = SmimeCertificateCollection.FromFileContent(StoreWithProperties(dated.Latest, dated.Soonest, Pki.Root));
        SmimeCertificateCollectionRecord record = Record(original);

        SmimeCertificateCollection read = SmimeCertificateCollection.FromRecord(record);

        Assert.True(read.HasSameCertificates(original));
        SmimeCertificateCollectionRecord again = Record(read);
        Assert.Equal(record.GetSerializedStore(), again.GetSerializedStore());
        Assert.Equal(record.Sha256, again.Sha256);
        Assert.Equal(record.Thumbprints, again.Thumbprints);
        Assert.Equal(record.ExpiryDateUtc, again.ExpiryDateUtc);
        Assert.Equal(record.ExpiryThumbprint, again.ExpiryThumbprint);
    }

    [Theory]
    [MemberData(nameof(NotSerializedStores))]
    public void FromRecord_of_bytes_that_are_not_a_serialized_store_throws_a_format_error(string content)
    {
        byte[] bytes = content switch
        {
            "pem" => CertificateFile.WritePem(new[] { Pki.Root }),
            "der" => Pki.Root,
            "garbage" => new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 },
            "no-end-marker" => new SstBuilder().Certificate(Pki.Root).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(content)),
        };
        var record = new SmimeCertificateCollectionRecord(bytes, new[] { SmimeCaCertificate.Parse(Pki.Root).Thumbprint }, TestPki.NotAfter, string.Empty);

        Assert.Throws<CertificateFormatException>(() => SmimeCertificateCollection.FromRecord(record));
    }

    [Fact]
    public void The_windows_root_store_loads_unchanged_and_112_roots_expired_by_2026_11_28()
    {
        byte[] sst = TestData.WindowsRoots;

        SmimeCertificateCollection collection = SmimeCertificateCollection.FromFileContent(sst);

        Assert.Equal(434, collection.Certificates.Count);
        Assert.Equal(112, collection.ExpiredAt(new DateTime(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc)).Count);
        SmimeCertificateCollectionRecord record = Record(collection);
        Assert.Equal(sst, record.GetSerializedStore());
        Assert.Equal(434, record.Thumbprints.Count);
        Assert.Equal(collection.Certificates.Min(c => c.NotAfter), record.ExpiryDateUtc);
    }

    private static SmimeCertificateCollection Collection(params byte[][] certificates) =>
        SmimeCertificateCollection.From(certificates.Select(SmimeCaCertificate.Parse));

    private static SmimeCertificateCollectionRecord Record(SmimeCertificateCollection collection) =>
        collection.ToRecord() ?? throw new InvalidOperationException("The collection has no record.");

    private static void AssertCertificates(SmimeCertificateCollection collection, params byte[][] expected) =>
        Assert.Equal(expected, collection.Certificates.Select(c => c.RawData));

    private static IEnumerable<string> Thumbprints(params byte[][] certificates) =>
        certificates.Select(der => SmimeCaCertificate.Parse(der).Thumbprint);

    private static SmimeCaCertificate[] ByThumbprintDescending(IEnumerable<byte[]> certificates) =>
        certificates.Select(SmimeCaCertificate.Parse).OrderByDescending(c => c.Thumbprint, StringComparer.Ordinal).ToArray();

    private static IEnumerable<string> Sorted(IEnumerable<byte[]> certificates) =>
        certificates.Select(Convert.ToBase64String).OrderBy(s => s, StringComparer.Ordinal);

    private static DateTime Utc(string instant) =>
        DateTime.Parse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static byte[][] Named(string names) =>
        names.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(name => name switch
        {
            "root" => Pki.Root,
            "intermediate" => Pki.Intermediate,
            "ec" => Pki.EcRoot,
            _ => throw new ArgumentOutOfRangeException(nameof(names), name, null),
        }).ToArray();

    /// <summary>
    /// A store as Windows writes one: each certificate preceded by a friendly-name property, which
    /// <see cref="SerializedCertificateStore.Write"/> never writes, so kept bytes can be told from rewritten ones.
    /// </summary>
    private static byte[] StoreWithProperties(params byte[][] certificates)
    {
        var builder = new SstBuilder();
        foreach (byte[] certificate in certificates)
        {
            builder.Element(11, Encoding.Unicode.GetBytes("Test\0")).Certificate(certificate);
        }

        return builder.End().ToArray();
    }

    private static (byte[] Content, byte[][] Certificates) Encode(string format)
    {
        byte[][] bundle = { Pki.Intermediate, Pki.Root, Pki.EcRoot };
        return format switch
        {
            "pem" => (CertificateFile.WritePem(bundle), bundle),
            "der" => (Pki.EcRoot, new[] { Pki.EcRoot }),
            "p7b" => (CertificateFile.WritePkcs7(bundle), bundle),
            "pem-p7b" => (Encoding.ASCII.GetBytes("-----BEGIN PKCS7-----\n" + Convert.ToBase64String(CertificateFile.WritePkcs7(bundle), Base64FormattingOptions.InsertLineBreaks) + "\n-----END PKCS7-----\n"), bundle),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    /// <summary>CA certificates issued by the test root with validity periods of their own.</summary>
    private sealed class Dated
    {
        public Dated()
        {
            Soonest = Issue("Soonest", 101, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            Middle = Issue("Middle", 102, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2028, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            Latest = Issue("Latest", 103, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2040, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            Future = Issue("Future", 104, new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2039, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }

        public byte[] Soonest { get; }

        public byte[] Middle { get; }

        public byte[] Latest { get; }

        public byte[] Future { get; }

        public byte[][] Named(string names) =>
            names.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(name => name switch
            {
                "soonest" => Soonest,
                "middle" => Middle,
                "latest" => Latest,
                "future" => Future,
                _ => throw new ArgumentOutOfRangeException(nameof(names), name, null),
            }).ToArray();

        private static byte[] Issue(string name, long serial, DateTime notBefore, DateTime notAfter)
        {
            var generator = new X509V3CertificateGenerator();
            generator.SetSerialNumber(BigInteger.ValueOf(serial));
            generator.SetSubjectDN(new X509Name("O=Contoso,CN=" + name + " CA"));
            generator.SetIssuerDN(new X509Name(TestPki.RootName));
            generator.SetNotBefore(notBefore);
            generator.SetNotAfter(notAfter);
            generator.SetPublicKey(Pki.IntermediateKey.Public);
            generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
            return generator.Generate(new Asn1SignatureFactory("SHA256WITHRSA", Pki.RootKey.Private)).GetEncoded();
        }
    }
}
