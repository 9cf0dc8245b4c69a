using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Baselines;
using SmimeAdmin.Core.Certificates;
using Xunit;
using static SmimeAdmin.Core.Tests.Baselines.BaselineStore;

namespace SmimeAdmin.Core.Tests.Baselines;

public sealed class SmimeBaselineComparerTests : IDisposable
{
    private readonly BaselineStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void A_partial_baseline_checks_only_the_settings_it_names()
    {
        _store.Set(Contoso, ("OWAAlwaysSign", true), ("OWAEncryptionAlgorithms", "6610;660E"));
        SmimeBaseline baseline = Partial(("owaalwayssign", true), ("OWAEncryptionAlgorithms", " 6610 ; 660e "), ("OWABCCEncryptedEmailForking", 0));

        Assert.Empty(SmimeBaselineComparer.Compare(baseline, _store.Export(Contoso), "team"));
    }

    [Fact]
    public void Each_drifted_setting_is_one_difference_with_both_values_in_stored_form()
    {
        _store.Set(Contoso, ("OWASigningAlgorithms", "8004"), ("OWADisableCRLCheck", true), ("OWACRLRetrievalTimeout", 5000));
        SmimeBaseline baseline = Partial(("OWADisableCRLCheck", false), ("OWASigningAlgorithms", "800e;800c"), ("OWACRLRetrievalTimeout", 5000L), ("OWAAlwaysEncrypt", false));

        IReadOnlyList<SmimeBaselineDifference> differences = SmimeBaselineComparer.Compare(baseline, _store.Export(Contoso), "team");

        Assert.Collection(
            differences,
            d => Assert.Equal(("OWADisableCRLCheck", (object?)false, (object?)true), (d.Setting, d.Expected, d.Actual)),
            d => Assert.Equal(("OWASigningAlgorithms", (object?)"800E;800C", (object?)"8004"), (d.Setting, d.Expected, d.Actual)));
    }

    [Fact]
    public void Every_unknown_name_and_invalid_value_is_listed_at_once()
    {
        SmimeBaseline baseline = Partial(
            ("OWAAlwaysSign", "yes"),
            ("OWABCCEncryptedEmailForking", 7),
            ("OWAEncryptionAlgorithms", "8004"),
            ("OWANoSuchThing", true));
        baseline = new SmimeBaseline(baseline.Settings, new[] { new SmimeBaselineCertificate("not-a-thumbprint", null) });

        SmimeBaselineInvalidException error = Assert.Throws<SmimeBaselineInvalidException>(
            () => SmimeBaselineComparer.Compare(baseline, _store.Export(Contoso), "team.json"));

        Assert.Equal(
            new[]
            {
                (SmimeBaselineProblemCode.InvalidSettingValue, "OWAAlwaysSign"),
                (SmimeBaselineProblemCode.InvalidSettingValue, "OWABCCEncryptedEmailForking"),
                (SmimeBaselineProblemCode.InvalidSettingValue, "OWAEncryptionAlgorithms"),
                (SmimeBaselineProblemCode.UnknownSetting, "OWANoSuchThing"),
                (SmimeBaselineProblemCode.InvalidThumbprint, "SMIMECertificateIssuingCA"),
            },
            error.Problems.Select(problem => (problem.Code, problem.Setting)));
        Assert.Equal(7, error.Problems[1].Value);
        Assert.Contains("team.json has 5 problem(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("OWANoSuchThing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_collection_is_compared_as_a_set_of_thumbprints()
    {
        _store.SetCollection(Contoso, Ca.Root, Ca.Intermediate);
        string root = Thumbprint(Ca.Root);
        string intermediate = Thumbprint(Ca.Intermediate);

        Assert.Empty(SmimeBaselineComparer.Compare(WithCollection(intermediate, root.ToLowerInvariant()), _store.Export(Contoso), "b"));

        SmimeBaselineDifference difference = Assert.Single(SmimeBaselineComparer.Compare(WithCollection(root, Thumbprint(Ca.EcRoot)), _store.Export(Contoso), "b"));
        Assert.Equal("SMIMECertificateIssuingCA", difference.Setting);
        Assert.Equal(new[] { root, Thumbprint(Ca.EcRoot) }, difference.Expected);
        Assert.Equal(new[] { root, intermediate }, difference.Actual);

        SmimeBaselineDifference none = Assert.Single(SmimeBaselineComparer.Compare(WithCollection(root), _store.Export(Fabrikam), "b"));
        Assert.Equal(Array.Empty<string>(), none.Actual);
    }

    [Fact]
    public void Recipients_differ_by_address_and_attribute_when_users_are_included()
    {
        byte[] aliceBlob = CertificateFile.WritePkcs7(new[] { Users.AliceSigning, Users.AliceEncryption });
        _store.Publish(Contoso, "Alice@contoso.com", new[] { Users.AliceSigning }, aliceBlob);
        _store.Publish(Contoso, "bob@contoso.com", new[] { Users.Bob });
        SmimeBaseline before = _store.Export(Contoso, includeUsers: true);
        Assert.Empty(SmimeBaselineComparer.Compare(before, _store.Export(Contoso, includeUsers: true), "export"));

        _store.Publish(Contoso, "bob@contoso.com", new[] { Users.AliceEncryption });
        _store.Publish(Contoso, "carol@contoso.com", new[] { Users.Bob });
        _store.Publish(Contoso, "alice@contoso.com", new[] { Users.AliceSigning });

        IReadOnlyList<SmimeBaselineDifference> differences = SmimeBaselineComparer.Compare(before, _store.Export(Contoso, includeUsers: true), "export");

        Assert.Equal(
            "Alice@contoso.com:userSMIMECertificate, bob@contoso.com:userCertificate, carol@contoso.com:userCertificate",
            string.Join(", ", differences.Select(d => d.Setting)));
        Assert.Equal(new[] { Thumbprint(Users.AliceSigning), Thumbprint(Users.AliceEncryption) }, differences[0].Expected);
        Assert.Equal(Array.Empty<string>(), differences[0].Actual);
        Assert.Equal(new[] { Thumbprint(Users.Bob) }, differences[1].Expected);
        Assert.Equal(new[] { Thumbprint(Users.AliceEncryption) }, differences[1].Actual);
        Assert.Equal(Array.Empty<string>(), differences[2].Expected);

        // Without users in the baseline, recipients are not compared.
        Assert.Empty(SmimeBaselineComparer.Compare(_store.Export(Contoso), _store.Export(Contoso, includeUsers: true), "export"));
    }

    private static SmimeBaseline Partial(params (string Name, object? Value)[] settings) =>
        new(settings.Select(s => new KeyValuePair<string, object?>(s.Name, s.Value)));

    private static SmimeBaseline WithCollection(params string[] thumbprints) =>
        new(Array.Empty<KeyValuePair<string, object?>>(), thumbprints.Select(t => new SmimeBaselineCertificate(t, null)).ToArray());
}
