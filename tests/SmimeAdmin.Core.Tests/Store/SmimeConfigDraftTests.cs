using System;
using System.Linq;
using System.Text;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Tests.Certificates;
using Xunit;

namespace SmimeAdmin.Core.Tests.Store;

public sealed class SmimeConfigDraftTests
{
    private static TestPki Pki => TestPki.Instance;

    [Theory]
    [InlineData("none", "none")]
    [InlineData("root", "root")]
    [InlineData("root+ec", "root+ec")]
    public void ReplaceCertificateCollection_with_the_same_bytes_is_no_change_and_leaves_the_draft_alone(string before, string after)
    {
        SmimeCertificateCollectionRecord? current = Record(before);
        var draft = new SmimeConfigDraft(new SmimeSettings(), current);

        SmimeSettingChange? change = draft.ReplaceCertificateCollection(Record(after));

        Assert.Null(change);
        Assert.Same(current, draft.CertificateCollection);
    }

    [Theory]
    [InlineData("none", "root")]
    [InlineData("root", "none")]
    [InlineData("root", "root+ec")]
    [InlineData("root+ec", "ec+root")]
    [InlineData("root", "root-as-windows-writes-it")]
    public void ReplaceCertificateCollection_with_other_bytes_replaces_the_collection_and_describes_the_change(string before, string after)
    {
        SmimeCertificateCollectionRecord? current = Record(before);
        SmimeCertificateCollectionRecord? replacement = Record(after);
        var draft = new SmimeConfigDraft(new SmimeSettings(), current);

        SmimeSettingChange? change = draft.ReplaceCertificateCollection(replacement);

        Assert.NotNull(change);
        Assert.Equal("SMIMECertificateIssuingCA", change.Name);
        Assert.Equal(SmimeConfigDraft.CertificateCollectionName, change.Name);
        Assert.Equal(current?.ToString() ?? string.Empty, change.OldValue);
        Assert.Equal(replacement?.ToString() ?? string.Empty, change.NewValue);
        Assert.Same(replacement, draft.CertificateCollection);
    }

    [Fact]
    public void The_change_names_every_thumbprint_of_both_collections()
    {
        var draft = new SmimeConfigDraft(new SmimeSettings(), Record("root"));

        SmimeSettingChange change = draft.ReplaceCertificateCollection(Record("root+ec"))!;

        string root = SmimeCaCertificate.Parse(Pki.Root).Thumbprint;
        string ec = SmimeCaCertificate.Parse(Pki.EcRoot).Thumbprint;
        Assert.Equal("1 certificate(s): " + root, change.OldValue);
        Assert.Equal("2 certificate(s): " + root + ", " + ec, change.NewValue);
    }

    /// <summary>
    /// A record of the named certificates: <c>none</c> for no record, else certificate names joined by <c>+</c>.
    /// Each call makes a new record, so the draft cannot tell equal records apart by reference.
    /// </summary>
    private static SmimeCertificateCollectionRecord? Record(string name)
    {
        if (name == "none")
        {
            return null;
        }

        if (name == "root-as-windows-writes-it")
        {
            byte[] sst = new SstBuilder().Element(11, Encoding.Unicode.GetBytes("Root\0")).Certificate(Pki.Root).End().ToArray();
            return SmimeCertificateCollection.FromFileContent(sst).ToRecord();
        }

        return SmimeCertificateCollection.From(name.Split('+').Select(Certificate).Select(SmimeCaCertificate.Parse)).ToRecord();
    }

    private static byte[] Certificate(string name) => name switch
    {
        "root" => Pki.Root,
        "ec" => Pki.EcRoot,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
