using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SmimeAdmin.Core.Baselines;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Tests.Certificates;
using Xunit;
using static SmimeAdmin.Core.Tests.Baselines.BaselineStore;

namespace SmimeAdmin.Core.Tests.Baselines;

public sealed class SmimeBaselineImportTests : IDisposable
{
    private static readonly DateTime s_now = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    private readonly BaselineStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void An_export_imported_into_a_new_organization_leaves_no_difference()
    {
        _store.Set(Contoso, ("OWAAlwaysSign", true), ("OWAEncryptionAlgorithms", "6610;660E"), ("OWASigningAlgorithms", "800E"), ("NoSignOnReply", false));
        _store.SetCollection(Contoso, Ca.Root, Ca.Intermediate, Ca.V1Root);
        SmimeBaseline exported = SmimeBaselineFile.Read(SmimeBaselineFile.Write(_store.Export(Contoso)), "contoso.json");

        SmimeBaselineImport import = SmimeBaselineImport.Prepare(exported, "contoso.json", s_now);
        SmimeConfigUpdateResult result = _store.Store.UpdateConfig(Fabrikam, import.ApplyTo, Context);

        Assert.Empty(SmimeBaselineComparer.Compare(exported, _store.Export(Fabrikam), "contoso.json"));
        Assert.Equal(5, result.Changes.Count);
        Assert.Equal(3, import.CollectionCount);
        SmimeAuditRecord record = Assert.Single(_store.Store.ReadAuditLog(Fabrikam));
        Assert.Equal(5, record.Changes.Count);
    }

    [Fact]
    public void Every_problem_is_listed_and_nothing_is_prepared()
    {
        byte[] leaf = Ca.Leaf;
        var settings = new KeyValuePair<string, object?>[]
        {
            new("OWAAlwaysSign", 1L),
            new("OWADLExpansionTimeout", -5L),
            new("OWASigningAlgorithms", "800C;9999"),
            new("OWAClearSign", false),
            new("Unknown", "x"),
        };
        var collection = new[]
        {
            new SmimeBaselineCertificate(Thumbprint(Ca.Root), Ca.Root),
            new SmimeBaselineCertificate(Thumbprint(Ca.Intermediate), null),
            new SmimeBaselineCertificate(Thumbprint(Ca.EcRoot), Ca.Root),
            new SmimeBaselineCertificate(Thumbprint(leaf), leaf),
            new SmimeBaselineCertificate(Thumbprint(Ca.V1Root), new byte[] { 1, 2, 3 }),
        };

        SmimeBaselineInvalidException error = Assert.Throws<SmimeBaselineInvalidException>(
            () => SmimeBaselineImport.Prepare(new SmimeBaseline(settings, collection), "bad.json", s_now));

        Assert.Equal(
            new[]
            {
                SmimeBaselineProblemCode.InvalidSettingValue,
                SmimeBaselineProblemCode.InvalidSettingValue,
                SmimeBaselineProblemCode.InvalidSettingValue,
                SmimeBaselineProblemCode.UnknownSetting,
                SmimeBaselineProblemCode.CertificateMissing,
                SmimeBaselineProblemCode.ThumbprintMismatch,
                SmimeBaselineProblemCode.InvalidCertificateData,
                SmimeBaselineProblemCode.NotCertificateAuthority,

                // The leaf's issuer, the intermediate, is only a thumbprint here, so it is not in the collection.
                SmimeBaselineProblemCode.IssuerNotInCollection,
            },
            error.Problems.Select(problem => problem.Code));
        Assert.Equal(new object?[] { 1L, -5L, "800C;9999", "x" }, error.Problems.Take(4).Select(problem => problem.Value));
        Assert.Equal(Thumbprint(leaf), error.Problems[7].Value);
        Assert.Equal("SMIMECertificateIssuingCA", error.Problems[7].Setting);
    }

    [Fact]
    public void Expired_certificates_and_broken_chains_are_refused_as_Set_SmimeCertificateCollection_refuses_them()
    {
        SmimeBaseline baseline = new(
            Array.Empty<KeyValuePair<string, object?>>(),
            new[] { new SmimeBaselineCertificate(Thumbprint(Ca.Intermediate), Ca.Intermediate) });

        SmimeBaselineInvalidException orphan = Assert.Throws<SmimeBaselineInvalidException>(() => SmimeBaselineImport.Prepare(baseline, "b", s_now));
        Assert.Equal(SmimeBaselineProblemCode.IssuerNotInCollection, Assert.Single(orphan.Problems).Code);

        SmimeBaselineInvalidException expired = Assert.Throws<SmimeBaselineInvalidException>(
            () => SmimeBaselineImport.Prepare(SmimeBaseline.FromConfig(Configured()), "b", TestPkiAfterExpiry));
        Assert.Equal(
            new[] { SmimeBaselineProblemCode.CertificateExpired, SmimeBaselineProblemCode.CertificateExpired },
            expired.Problems.Select(problem => problem.Code));
        Assert.Contains(Thumbprint(Ca.Root), expired.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_baseline_changes_only_what_it_names_and_weak_values_warn()
    {
        _store.Set(Contoso, ("OWAAlwaysEncrypt", true));
        _store.SetCollection(Contoso, Ca.Root);
        SmimeBaseline baseline = new(new KeyValuePair<string, object?>[] { new("OWASigningAlgorithms", "8004"), new("OWAClearSign", true) });

        SmimeBaselineImport import = SmimeBaselineImport.Prepare(baseline, "b", s_now);
        SmimeConfigUpdateResult result = _store.Store.UpdateConfig(Contoso, import.ApplyTo, Context);

        Assert.False(import.ReplacesCollection);
        Assert.Empty(result.Changes);
        Assert.Contains(import.Warnings, warning => warning.Contains("8004", StringComparison.Ordinal));
        Assert.True(result.Config.Settings.OWAAlwaysEncrypt);
        Assert.NotNull(result.Config.CertificateCollection);
    }

    [Fact]
    public void The_same_certificates_in_a_store_with_other_bytes_are_no_change()
    {
        // A store as Windows exports it: a friendly-name property before each certificate.
        byte[] windowsStore = new SstBuilder()
            .Element(11, Encoding.Unicode.GetBytes("Root\0")).Certificate(Ca.Root)
            .Element(11, Encoding.Unicode.GetBytes("Intermediate\0")).Certificate(Ca.Intermediate)
            .End()
            .ToArray();
        SmimeCertificateCollectionRecord? record = SmimeCertificateCollection.FromFileContent(windowsStore).ToRecord();
        _store.Store.UpdateConfig(Contoso, draft => new[] { draft.ReplaceCertificateCollection(record)! }, Context);
        SmimeBaseline exported = _store.Export(Contoso);

        SmimeConfigUpdateResult result = _store.Store.UpdateConfig(Contoso, SmimeBaselineImport.Prepare(exported, "b", s_now).ApplyTo, Context);

        Assert.Empty(result.Changes);
        Assert.Equal(windowsStore, _store.Store.ReadConfig(Contoso).CertificateCollection!.GetSerializedStore());
    }

    [Fact]
    public void An_empty_collection_in_the_baseline_clears_the_organizations()
    {
        _store.SetCollection(Contoso, Ca.Root);
        SmimeBaseline baseline = new(Array.Empty<KeyValuePair<string, object?>>(), Array.Empty<SmimeBaselineCertificate>());

        SmimeBaselineImport import = SmimeBaselineImport.Prepare(baseline, "b", s_now);
        SmimeConfigUpdateResult result = _store.Store.UpdateConfig(Contoso, import.ApplyTo, Context);

        Assert.Equal("SMIMECertificateIssuingCA", Assert.Single(result.Changes).Name);
        Assert.Null(result.Config.CertificateCollection);
    }

    private static DateTime TestPkiAfterExpiry => Certificates.TestPki.NotAfter.AddDays(1);

    private SmimeOrganizationConfig Configured()
    {
        _store.SetCollection(Contoso, Ca.Root, Ca.Intermediate);
        return _store.Store.ReadConfig(Contoso);
    }
}
