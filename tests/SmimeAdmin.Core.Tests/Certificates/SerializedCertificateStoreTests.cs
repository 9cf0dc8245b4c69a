using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Certificates;
using Xunit;
using Xunit.Abstractions;

namespace SmimeAdmin.Core.Tests.Certificates;

public sealed class SerializedCertificateStoreTests
{
    private readonly ITestOutputHelper _output;

    public SerializedCertificateStoreTests(ITestOutputHelper output) => _output = output;

    private static byte[] Root => TestPki.Instance.Root;

    [Fact]
    public void Windows_roots_holds_434_certificates_with_434_distinct_thumbprints()
    {
        IReadOnlyList<byte[]> certificates = SerializedCertificateStore.Read(TestData.WindowsRoots);

        Assert.Equal(434, certificates.Count);
        Assert.Equal(434, certificates.Select(der => SmimeCaCertificate.Parse(der).Thumbprint).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Read_returns_the_certificate_element_values_in_file_order()
    {
        byte[] data = TestData.WindowsRoots;
        List<byte[]> expected = SstWalker.Elements(data)
            .Where(element => element.Id == 32)
            .Select(element => data.AsSpan(element.ValueOffset, element.Length).ToArray())
            .ToList();

        Assert.Equal(expected, SerializedCertificateStore.Read(data));
    }

    [Fact]
    public void The_sha1_property_in_windows_roots_equals_the_computed_thumbprint_of_the_certificate_it_precedes()
    {
        byte[] data = TestData.WindowsRoots;
        var group = new List<SstElement>();
        int checkedCount = 0;
        foreach (SstElement element in SstWalker.Elements(data))
        {
            if (element.Id != 32)
            {
                group.Add(element);
                continue;
            }

            SstElement hash = Assert.Single(group, property => property.Id == 3);
            Assert.Equal(20, hash.Length);
            byte[] certificate = data.AsSpan(element.ValueOffset, element.Length).ToArray();
            Assert.Equal(
                Convert.ToHexString(data, hash.ValueOffset, hash.Length),
                SmimeCaCertificate.Parse(certificate).Thumbprint);
            checkedCount++;
            group.Clear();
        }

        Assert.Equal(434, checkedCount);
    }

    [Fact]
    public void Windows_roots_ends_exactly_at_the_end_marker_and_every_element_has_encoding_type_1()
    {
        byte[] data = TestData.WindowsRoots;
        List<SstElement> elements = SstWalker.Elements(data);

        Assert.Equal(data.Length, elements[^1].Offset + 12);
        Assert.All(elements.Take(elements.Count - 1), element => Assert.Equal(1u, element.EncodingType));
    }

    [Fact]
    public void Writing_windows_roots_and_reading_it_back_gives_byte_identical_certificates()
    {
        IReadOnlyList<byte[]> original = SerializedCertificateStore.Read(TestData.WindowsRoots);

        IReadOnlyList<byte[]> roundTripped = SerializedCertificateStore.Read(SerializedCertificateStore.Write(original));

        Assert.Equal(original, roundTripped);
    }

    [Fact]
    public void Write_emits_the_sha1_property_then_the_certificate_for_each_certificate_then_the_end_marker()
    {
        byte[] data = SerializedCertificateStore.Write(new[] { Root, TestPki.Instance.EcRoot });

        Assert.Equal(new byte[] { 0, 0, 0, 0, (byte)'C', (byte)'E', (byte)'R', (byte)'T' }, data.Take(8));
        List<SstElement> elements = SstWalker.Elements(data);
        Assert.Equal(new uint[] { 3, 32, 3, 32, 0 }, elements.Select(element => element.Id));
        Assert.Equal(new uint[] { 1, 1, 1, 1, 0 }, elements.Select(element => element.EncodingType));
#pragma warning disable CA5350 // The format defines this property as the SHA-1 hash.
        Assert.Equal(
            Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(Root)),
            Convert.ToHexString(data, elements[0].ValueOffset, elements[0].Length));
#pragma warning restore CA5350
        Assert.Equal(Root, data.AsSpan(elements[1].ValueOffset, elements[1].Length).ToArray());
        Assert.Equal(data.Length, elements[^1].Offset + 12);
        Assert.Equal(0, elements[^1].Length);
    }

    [Fact]
    public void An_empty_list_is_written_as_the_20_byte_empty_store()
    {
        byte[] data = SerializedCertificateStore.Write(Array.Empty<byte[]>());

        Assert.Equal(new byte[] { 0, 0, 0, 0, 0x43, 0x45, 0x52, 0x54, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, data);
        Assert.Empty(SerializedCertificateStore.Read(data));
    }

    [Fact]
    public void A_zero_byte_input_is_an_empty_store()
    {
        Assert.Empty(SerializedCertificateStore.Read(Array.Empty<byte>()));
    }

    [Fact]
    public void Duplicates_are_kept_and_properties_crls_ctls_and_key_id_elements_are_passed_over()
    {
        byte[] data = new SstBuilder()
            .Element(11, new byte[] { 0x41, 0, 0, 0 })
            .Element(3, new byte[20])
            .Element(104, Array.Empty<byte>())
            .Certificate(Root)
            .Element(33, new byte[] { 0x30, 0x00 })
            .Element(34, new byte[] { 1, 2, 3 })
            .Element(35, new byte[] { 4 })
            .Element(0xFFFF, new byte[] { 5, 6 })
            .Certificate(Root)
            .End()
            .ToArray();

        Assert.Equal(new[] { Root, Root }, SerializedCertificateStore.Read(data));
    }

    [Fact]
    public void Read_ignores_the_encoding_type_of_certificate_elements()
    {
        byte[] data = new SstBuilder().Element(32, Root, encodingType: 0x10001).End().ToArray();

        Assert.Equal(new[] { Root }, SerializedCertificateStore.Read(data));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 0x43, 0x45, 0x52, 0x54 }, true)]
    [InlineData(new byte[] { 0, 0, 0, 0, 0x43, 0x45, 0x52, 0x54, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, true)]
    [InlineData(new byte[] { 0, 0, 0, 0, 0x43, 0x45, 0x52 }, false)]
    [InlineData(new byte[] { 1, 0, 0, 0, 0x43, 0x45, 0x52, 0x54 }, false)]
    [InlineData(new byte[] { 0, 0, 0, 0, 0x63, 0x65, 0x72, 0x74 }, false)]
    [InlineData(new byte[0], false)]
    public void IsSerializedStore_checks_the_version_and_the_magic(byte[] data, bool expected)
    {
        Assert.Equal(expected, SerializedCertificateStore.IsSerializedStore(data));
    }

    [Fact]
    public void A_header_shorter_than_8_bytes_is_reported_at_offset_0()
    {
        AssertFormatError(new byte[] { 0, 0, 0, 0, 0x43 }, 0, "5 bytes");
    }

    [Fact]
    public void A_version_other_than_0_is_reported_at_offset_0()
    {
        AssertFormatError(new SstBuilder(version: 1).End().ToArray(), 0, "version 0, found 1");
    }

    [Fact]
    public void A_wrong_magic_is_reported_at_offset_4()
    {
        AssertFormatError(new SstBuilder(magic: "CERX").End().ToArray(), 4, "43-45-52-58");
    }

    [Fact]
    public void A_truncated_element_header_is_reported_at_the_element()
    {
        byte[] data = new SstBuilder().Certificate(Root).Raw(0, 0, 0, 0, 0).ToArray();

        AssertFormatError(data, 8 + 12 + Root.Length, "only 5 bytes remain");
    }

    [Fact]
    public void A_length_past_the_end_is_reported_at_the_length_field()
    {
        byte[] data = new SstBuilder().Certificate(Root).Element(32, new byte[] { 0x30, 0x82 }, declaredLength: 100).ToArray();

        AssertFormatError(data, 8 + 12 + Root.Length + 8, "100-byte value");
    }

    [Fact]
    public void A_declared_length_of_0xFFFFFFFF_is_rejected_without_allocating_it()
    {
        byte[] data = new SstBuilder().Element(11, new byte[64], declaredLength: 0xFFFFFFFF).ToArray();
        Assert.Throws<CertificateFormatException>(() => SerializedCertificateStore.Read(data));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<CertificateFormatException>(() => SerializedCertificateStore.Read(data));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(16, error.Offset);
        Assert.True(allocated < 64 * 1024, allocated + " bytes allocated");
    }

    [Fact]
    public void A_zero_length_certificate_is_reported_at_its_length_field()
    {
        byte[] data = new SstBuilder().Element(32, Array.Empty<byte>()).End().ToArray();

        AssertFormatError(data, 16, "length is 0");
    }

    [Fact]
    public void A_certificate_element_that_is_not_an_x509_certificate_is_reported_at_its_value()
    {
        byte[] data = new SstBuilder().Certificate(Root).Element(32, new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 }).End().ToArray();

        AssertFormatError(data, 8 + 12 + Root.Length + 12, "X.509 certificate");
    }

    [Fact]
    public void A_certificate_element_with_trailing_bytes_inside_its_value_is_rejected()
    {
        byte[] value = Root.Concat(new byte[] { 0 }).ToArray();
        byte[] data = new SstBuilder().Element(32, value).End().ToArray();

        AssertFormatError(data, 20, "X.509 certificate");
    }

    [Fact]
    public void A_missing_end_marker_is_reported_at_the_end_of_the_data()
    {
        byte[] data = new SstBuilder().Certificate(Root).ToArray();

        AssertFormatError(data, data.Length, "end-of-store marker");
    }

    [Fact]
    public void Bytes_after_the_end_marker_are_reported_at_the_first_of_them()
    {
        byte[] data = new SstBuilder().Certificate(Root).End().Raw(0x00).ToArray();

        AssertFormatError(data, data.Length - 1, "1 more bytes");
    }

    [Fact]
    public void An_element_with_id_0_that_is_not_all_zeros_is_reported_at_the_element()
    {
        byte[] data = new SstBuilder().Element(0, new byte[] { 1, 2, 3, 4 }).End().ToArray();

        AssertFormatError(data, 8, "id 0");
    }

    [Fact]
    public void A_property_id_above_0xFFFF_is_reported_at_the_element()
    {
        byte[] data = new SstBuilder().Certificate(Root).Element(0x10000, new byte[] { 1 }).End().ToArray();

        AssertFormatError(data, 8 + 12 + Root.Length, "65536");
    }

    [Theory]
    [InlineData(36u)]
    [InlineData(50u)]
    [InlineData(63u)]
    public void A_reserved_element_id_is_reported_at_the_element(uint id)
    {
        byte[] data = new SstBuilder().Element(id, new byte[] { 1 }).End().ToArray();

        AssertFormatError(data, 8, "reserved");
    }

    [Fact]
    public void Read_rejects_null()
    {
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => SerializedCertificateStore.Read(null!)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => SerializedCertificateStore.IsSerializedStore(null!)).ParamName);
    }

    [Fact]
    public void Write_rejects_null_a_null_item_and_an_item_that_is_not_a_certificate()
    {
        Assert.Equal("certificates", Assert.Throws<ArgumentNullException>(() => SerializedCertificateStore.Write(null!)).ParamName);
        Assert.Equal("certificates", Assert.Throws<ArgumentException>(() => SerializedCertificateStore.Write(new[] { Root, null! })).ParamName);
        ArgumentException notCertificate = Assert.Throws<ArgumentException>(() => SerializedCertificateStore.Write(new[] { new byte[] { 1, 2 } }));
        Assert.Equal("certificates", notCertificate.ParamName);
        Assert.IsType<CertificateFormatException>(notCertificate.InnerException);
    }

    [Fact]
    public void Ten_thousand_mutations_of_a_real_store_either_read_or_throw_CertificateFormatException()
    {
        // The first 20 certificate groups of windows-roots.sst (with Windows' own properties) and the end marker.
        byte[] full = TestData.WindowsRoots;
        List<SstElement> elements = SstWalker.Elements(full);
        SstElement twentieth = elements.Where(element => element.Id == 32).ElementAt(19);
        byte[] seed = full.Take(twentieth.ValueOffset + twentieth.Length).Concat(new byte[12]).ToArray();
        List<SstElement> seedElements = SstWalker.Elements(seed);
        int[] lengthFields = seedElements.Select(element => element.Offset + 8).ToArray();
        int[] idFields = seedElements.Select(element => element.Offset).ToArray();
        var known = new HashSet<string>(SerializedCertificateStore.Read(seed).Select(Convert.ToBase64String), StringComparer.Ordinal);

        var mutator = new Mutator(seed: 434);
        var failures = new List<string>();
        int accepted = 0;
        for (int i = 0; i < 10_000; i++)
        {
            byte[] input = mutator.Mutate(seed, lengthFields, idFields, Array.Empty<int>(), out string kinds);
            try
            {
                IReadOnlyList<byte[]> certificates = SerializedCertificateStore.Read(input);
                accepted++;
                foreach (byte[] certificate in certificates.Where(der => !known.Contains(Convert.ToBase64String(der))))
                {
                    // Whatever a reader accepts, Parse must accept too.
                    SmimeCaCertificate parsed = SmimeCaCertificate.Parse(certificate);
                    _ = parsed.Subject + parsed.KeySize + parsed.SignatureAlgorithm;
                    if (i % 10 == 0)
                    {
                        _ = parsed.IsSelfSigned;
                    }
                }
            }
            catch (CertificateFormatException)
            {
            }
            catch (Exception ex)
            {
                failures.Add("#" + i + " (" + kinds + "): " + ex.GetType().Name + ": " + ex.Message);
            }
        }

        _output.WriteLine("accepted: " + accepted + " of 10,000");
        Assert.Empty(failures);
        Assert.InRange(accepted, 1, 9_999);
    }

    private static void AssertFormatError(byte[] data, long offset, string fragment)
    {
        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => SerializedCertificateStore.Read(data));
        Assert.Equal(offset, error.Offset);
        Assert.Contains(fragment, error.Reason, StringComparison.Ordinal);
        Assert.Contains(offset.ToString(System.Globalization.CultureInfo.CurrentCulture), error.Message, StringComparison.Ordinal);
    }
}
