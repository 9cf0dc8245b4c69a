using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using Xunit;

namespace SmimeAdmin.Core.Tests.Store;

public sealed class FileSmimeStoreCollectionTests : IDisposable
{
    private const string Contoso = "Contoso";
    private static readonly SmimeAuditContext s_context = new("admin", "ws01", "Set-SmimeCertificateCollection");
    private static readonly DateTime s_expiry = new(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_collection_is_kept_in_a_file_named_by_its_content_and_read_back_unchanged()
    {
        FileSmimeStore store = OpenStore();
        SmimeCertificateCollectionRecord collection = Collection(1, 2, 3);

        SetCollection(store, collection);

        SmimeCertificateCollectionRecord stored = store.ReadConfig(Contoso).CertificateCollection!;
        Assert.Equal(collection.GetSerializedStore(), stored.GetSerializedStore());
        Assert.Equal(collection.Thumbprints, stored.Thumbprints);
        Assert.Equal(s_expiry, stored.ExpiryDateUtc);
        Assert.Equal(DateTimeKind.Utc, stored.ExpiryDateUtc!.Value.Kind);
        Assert.Equal("AA01", stored.ExpiryThumbprint);
        string file = Assert.Single(CollectionFiles());
        Assert.Equal(string.Concat("collection.", collection.Sha256.AsSpan(0, 16), ".sst"), Path.GetFileName(file));
        Assert.Equal(collection.GetSerializedStore(), File.ReadAllBytes(file));
    }

    [Fact]
    public void Config_json_names_the_file_and_lists_every_thumbprint()
    {
        FileSmimeStore store = OpenStore();
        SmimeCertificateCollectionRecord collection = Collection(7, 8);

        SetCollection(store, collection);

        JsonElement element = JsonDocument.Parse(File.ReadAllBytes(ConfigPath())).RootElement.GetProperty("certificateCollection");
        Assert.Equal(collection.Sha256, element.GetProperty("sha256").GetString());
        Assert.Equal(collection.Thumbprints, element.GetProperty("certificates").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("AA07", collection.Thumbprints[0]);
    }

    [Fact]
    public void Replacing_a_collection_removes_the_old_file_and_clearing_removes_both()
    {
        FileSmimeStore store = OpenStore();
        SetCollection(store, Collection(1));
        SmimeCertificateCollectionRecord second = Collection(2);

        SetCollection(store, second);
        Assert.Equal(second.Sha256, store.ReadConfig(Contoso).CertificateCollection!.Sha256);
        Assert.Single(CollectionFiles());

        SetCollection(store, null);
        Assert.Null(store.ReadConfig(Contoso).CertificateCollection);
        Assert.Empty(CollectionFiles());
        Assert.False(JsonDocument.Parse(File.ReadAllBytes(ConfigPath())).RootElement.TryGetProperty("certificateCollection", out _));
    }

    [Fact]
    public void A_collection_file_changed_on_disk_is_reported_as_corrupt_by_name()
    {
        FileSmimeStore store = OpenStore();
        SetCollection(store, Collection(1));
        string file = CollectionFiles().Single();
        File.WriteAllBytes(file, new byte[] { 1, 2, 3 });

        SmimeStoreCorruptException exception = Assert.Throws<SmimeStoreCorruptException>(() => store.ReadConfig(Contoso));

        Assert.Equal(file, exception.Path);
    }

    [Fact]
    public void A_missing_collection_file_is_reported_as_corrupt_by_name()
    {
        FileSmimeStore store = OpenStore();
        SetCollection(store, Collection(1));
        string file = CollectionFiles().Single();
        File.Delete(file);

        SmimeStoreCorruptException exception = Assert.Throws<SmimeStoreCorruptException>(() => store.ReadConfig(Contoso));

        Assert.Equal(file, exception.Path);
    }

    [Fact]
    public void A_collection_file_no_configuration_names_is_ignored_and_removed_by_the_next_writer()
    {
        FileSmimeStore store = OpenStore();
        SetCollection(store, Collection(1));
        string orphan = Path.Combine(OrganizationFolder(), "collection.0123456789abcdef.sst");
        File.WriteAllBytes(orphan, new byte[] { 9 });

        Assert.Equal(Collection(1).Sha256, store.ReadConfig(Contoso).CertificateCollection!.Sha256);

        store.UpdateConfig(Contoso, draft => SmimeSettingsUpdate.Create(new[] { new KeyValuePair<string, object?>("OWAAlwaysSign", true) }).ApplyTo(draft.Settings), s_context);

        Assert.False(File.Exists(orphan));
        Assert.Single(CollectionFiles());
    }

    [Fact]
    public void A_settings_change_keeps_the_collection()
    {
        FileSmimeStore store = OpenStore();
        SetCollection(store, Collection(4));

        store.UpdateConfig(Contoso, draft => SmimeSettingsUpdate.Create(new[] { new KeyValuePair<string, object?>("OWAAlwaysSign", true) }).ApplyTo(draft.Settings), s_context);

        Assert.Equal(Collection(4).Sha256, store.ReadConfig(Contoso).CertificateCollection!.Sha256);
    }

    private static SmimeCertificateCollectionRecord Collection(params int[] ids) => new(
        ids.Select(id => (byte)id).ToArray(),
        ids.Select(id => "AA" + id.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        s_expiry,
        "AA" + ids[0].ToString("D2", System.Globalization.CultureInfo.InvariantCulture));

    private static void SetCollection(FileSmimeStore store, SmimeCertificateCollectionRecord? collection) =>
        store.UpdateConfig(
            Contoso,
            draft =>
            {
                var change = new SmimeSettingChange("SMIMECertificateIssuingCA", draft.CertificateCollection?.ToString(), collection?.ToString());
                draft.CertificateCollection = collection;
                return new[] { change };
            },
            s_context);

    private FileSmimeStore OpenStore() => new(_folder.Path);

    private string OrganizationFolder() => Path.Combine(_folder.Path, "organizations", Contoso);

    private string ConfigPath() => Path.Combine(OrganizationFolder(), "config.json");

    private string[] CollectionFiles() => Directory.GetFiles(OrganizationFolder(), "collection.*.sst");
}
