using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using Xunit;

namespace SmimeAdmin.Core.Tests.Store;

public sealed class FileSmimeStoreTests : IDisposable
{
    private const string Contoso = "Contoso";
    private static readonly DateTime s_firstSave = new(2024, 3, 1, 8, 30, 15, DateTimeKind.Utc);
    private static readonly DateTime s_untouched = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly SmimeAuditContext s_context = new(@"CONTOSO\admin", "ws01.contoso.com", "Set-SmimeConfig");

    // Each corruption turns a config.json the store wrote into one it must refuse.
    private static readonly Dictionary<string, Func<byte[], byte[]>> s_corruptions = new()
    {
        ["garbage bytes"] = _ => new byte[] { 0xFF, 0xD8, 0x00, 0x7F, 0x42, 0x13, 0x37 },
        ["truncated JSON"] = valid => valid.Take(valid.Length / 2).ToArray(),
        ["empty file"] = _ => Array.Empty<byte>(),
        ["JSON array"] = _ => Utf8("[1, 2, 3]"),
        ["wrong format name"] = valid => EditJson(valid, root => root["format"] = "SmimeAdmin.Store"),
        ["no format name"] = valid => EditJson(valid, root => root.Remove("format")),
        ["no schema version"] = valid => EditJson(valid, root => root.Remove("schemaVersion")),
        ["schema version 0"] = valid => EditJson(valid, root => root["schemaVersion"] = 0),
        ["no settings"] = valid => EditJson(valid, root => root.Remove("settings")),
        ["settings not an object"] = valid => EditJson(valid, root => root["settings"] = new JsonArray()),
        ["unknown setting"] = valid => EditSettings(valid, settings => settings["OWAAlwaysSing"] = true),
        ["invalid value"] = valid => EditSettings(valid, settings => settings["OWABCCEncryptedEmailForking"] = 7),
        ["negative number"] = valid => EditSettings(valid, settings => settings["OWADLExpansionTimeout"] = -1),
        ["fractional number"] = valid => EditSettings(valid, settings => settings["OWADLExpansionTimeout"] = 1.5),
        ["string for a Boolean"] = valid => EditSettings(valid, settings => settings["OWAAlwaysSign"] = "yes"),
        ["null for a Boolean"] = valid => EditSettings(valid, settings => settings["OWAAlwaysSign"] = null),
        ["malformed algorithm list"] = valid => EditSettings(valid, settings => settings["OWAEncryptionAlgorithms"] = "6611"),
        ["malformed OID list"] = valid => EditSettings(valid, settings => settings["OWASenderCertificateAttributesToDisplay"] = "2.5.4.03"),
        ["bad guid"] = valid => EditJson(valid, root => root["guid"] = "not-a-guid"),
        ["bad time"] = valid => EditJson(valid, root => root["whenChangedUtc"] = "yesterday"),
    };

    private readonly TempFolder _folder = new();
    private DateTime _now = s_firstSave;

    public static TheoryData<string> CorruptConfigNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in s_corruptions.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    private string StorePath => _folder.Combine("store.json");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Opening_a_folder_that_does_not_exist_does_not_create_it()
    {
        string folder = _folder.Combine("not-yet");

        var store = new FileSmimeStore(folder);
        store.ReadConfig(Contoso);

        Assert.Equal(folder, store.Location);
        Assert.Equal("Folder", store.ProviderName);
        Assert.Empty(store.GetOrganizations());
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void The_constructor_rejects_an_empty_folder_path()
    {
        Assert.Equal("folder", Assert.Throws<ArgumentException>(() => new FileSmimeStore(string.Empty)).ParamName);
    }

    [Fact]
    public void Reading_a_never_configured_organization_returns_Exchanges_defaults_and_creates_no_files()
    {
        FileSmimeStore store = OpenStore();

        SmimeOrganizationConfig config = store.ReadConfig(Contoso);

        Assert.True(config.IsNew);
        Assert.Equal(Contoso, config.Organization);
        Assert.Equal(Guid.Empty, config.ObjectGuid);
        Assert.Null(config.WhenCreatedUtc);
        Assert.Null(config.WhenChangedUtc);
        Assert.Equal(ConfigPath(), config.Location);
        ExchangeSmimeConfig.AssertDefaults(config.Settings);

        Assert.Empty(store.ReadAuditLog(Contoso));
        Assert.Empty(store.GetOrganizations());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void The_first_update_writes_config_audit_and_store_marker_stamped_by_the_clock()
    {
        SmimeConfigUpdateResult result = Set(OpenStore(), Contoso, ("OWAAlwaysSign", true));

        Assert.True(File.Exists(ConfigPath()));
        Assert.True(File.Exists(AuditPath()));
        Assert.True(File.Exists(StorePath));
        Assert.False(result.Config.IsNew);
        Assert.NotEqual(Guid.Empty, result.Config.ObjectGuid);
        Assert.Equal(s_firstSave, result.Config.WhenCreatedUtc);
        Assert.Equal(s_firstSave, result.Config.WhenChangedUtc);
        Assert.True(result.Config.Settings.OWAAlwaysSign);
        Assert.Equal("OWAAlwaysSign", Assert.Single(result.Changes).Name);

        SmimeOrganizationConfig read = OpenStore().ReadConfig(Contoso);
        Assert.Equal(result.Config.ObjectGuid, read.ObjectGuid);
        Assert.Equal(s_firstSave, read.WhenCreatedUtc);
        Assert.Equal(s_firstSave, read.WhenChangedUtc);
        Assert.Equal(DateTimeKind.Utc, read.WhenChangedUtc!.Value.Kind);
        Assert.Equal(Contoso, read.Organization);
        Assert.Equal(ConfigPath(), read.Location);
        ExchangeSmimeConfig.AssertSameExcept(result.Config.Settings, read.Settings);
    }

    [Fact]
    public void The_store_marker_names_its_format_and_schema_version()
    {
        Set(OpenStore(), Contoso, ("OWAAlwaysSign", true));

        using JsonDocument marker = JsonDocument.Parse(File.ReadAllBytes(StorePath));
        Assert.Equal("SmimeAdmin.Store", marker.RootElement.GetProperty("format").GetString());
        Assert.Equal(1, marker.RootElement.GetProperty("schemaVersion").GetInt32());
    }

    [Fact]
    public void A_later_update_keeps_the_guid_and_creation_time_and_stamps_the_change_time()
    {
        FileSmimeStore store = OpenStore();
        SmimeConfigUpdateResult first = Set(store, Contoso, ("OWAAlwaysSign", true));
        _now = s_firstSave.AddDays(3).AddSeconds(7);

        SmimeConfigUpdateResult second = Set(store, Contoso, ("OWAAlwaysEncrypt", true));

        SmimeOrganizationConfig read = store.ReadConfig(Contoso);
        Assert.Equal(first.Config.ObjectGuid, second.Config.ObjectGuid);
        Assert.Equal(first.Config.ObjectGuid, read.ObjectGuid);
        Assert.Equal(s_firstSave, read.WhenCreatedUtc);
        Assert.Equal(_now, read.WhenChangedUtc);
        Assert.True(read.Settings.OWAAlwaysSign);
        Assert.True(read.Settings.OWAAlwaysEncrypt);
    }

    [Fact]
    public void An_update_that_changes_nothing_writes_nothing()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        string[] files = { ConfigPath(), AuditPath(), StorePath };
        foreach (string file in files)
        {
            File.SetLastWriteTimeUtc(file, s_untouched);
        }

        byte[][] before = files.Select(File.ReadAllBytes).ToArray();
        _now = s_firstSave.AddDays(1);

        SmimeConfigUpdateResult result = Set(store, Contoso, ("OWAAlwaysSign", true), ("OWAClearSign", true));

        Assert.Empty(result.Changes);
        Assert.Equal(s_firstSave, result.Config.WhenChangedUtc);
        Assert.Equal(before, files.Select(File.ReadAllBytes).ToArray());
        Assert.All(files, file => Assert.Equal(s_untouched, File.GetLastWriteTimeUtc(file)));
        Assert.Single(store.ReadAuditLog(Contoso));
    }

    [Fact]
    public void An_update_of_a_new_organization_that_changes_nothing_saves_no_configuration()
    {
        FileSmimeStore store = OpenStore();

        SmimeConfigUpdateResult result = Set(store, "Fabrikam", ("OWAClearSign", true));

        Assert.Empty(result.Changes);
        Assert.True(result.Config.IsNew);
        Assert.True(store.ReadConfig("Fabrikam").IsNew);
        Assert.False(File.Exists(ConfigPath("Fabrikam")));
        Assert.False(File.Exists(AuditPath("Fabrikam")));
        Assert.Empty(store.ReadAuditLog("Fabrikam"));
    }

    [Fact]
    public void An_update_of_a_new_organization_that_changes_nothing_does_not_list_it()
    {
        FileSmimeStore store = OpenStore();

        Set(store, "Fabrikam", ("OWAClearSign", true));

        Assert.Empty(store.GetOrganizations());
    }

    [Fact]
    public void Organization_names_are_case_insensitive_and_keep_the_first_spelling()
    {
        FileSmimeStore store = OpenStore();

        Set(store, Contoso, ("OWAAlwaysSign", true));
        Set(store, "CONTOSO", ("OWAAlwaysEncrypt", true));

        SmimeOrganizationConfig config = store.ReadConfig("contoso");
        Assert.Equal(Contoso, config.Organization);
        Assert.True(config.Settings.OWAAlwaysSign);
        Assert.True(config.Settings.OWAAlwaysEncrypt);
        Assert.Equal(new[] { Contoso }, store.GetOrganizations());
        Assert.Single(Directory.EnumerateDirectories(_folder.Combine("organizations")));
        Assert.Equal(2, store.ReadAuditLog("cOnToSo").Count);
    }

    [Fact]
    public void Several_organizations_live_side_by_side()
    {
        FileSmimeStore store = OpenStore();

        Set(store, "fabrikam", ("OWABCCEncryptedEmailForking", 1));
        Set(store, Contoso, ("OWABCCEncryptedEmailForking", 2));
        Set(store, "Adatum", ("OWAAlwaysSign", true));

        Assert.Equal(new[] { "Adatum", Contoso, "fabrikam" }, store.GetOrganizations());
        Assert.Equal(1u, store.ReadConfig("fabrikam").Settings.OWABCCEncryptedEmailForking);
        Assert.Equal(2u, store.ReadConfig(Contoso).Settings.OWABCCEncryptedEmailForking);
        Assert.False(store.ReadConfig(Contoso).Settings.OWAAlwaysSign);
        Assert.Equal(0u, store.ReadConfig("Adatum").Settings.OWABCCEncryptedEmailForking);
        Assert.Equal("fabrikam", Assert.Single(store.ReadAuditLog("fabrikam")).Organization);
        Assert.Equal("Adatum", Assert.Single(store.ReadAuditLog("Adatum")).Organization);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../Contoso")]
    [InlineData("Contoso/Fabrikam")]
    [InlineData(".lock")]
    public void An_invalid_organization_name_is_rejected_before_anything_is_touched(string organization)
    {
        FileSmimeStore store = OpenStore();

        Assert.Throws<SmimeOrganizationNameException>(() => store.ReadConfig(organization));
        Assert.Throws<SmimeOrganizationNameException>(() => store.ReadAuditLog(organization));
        Assert.Throws<SmimeOrganizationNameException>(() => Set(store, organization, ("OWAAlwaysSign", true)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void UpdateConfig_rejects_a_null_change_or_context()
    {
        FileSmimeStore store = OpenStore();

        Assert.Equal("change", Assert.Throws<ArgumentNullException>(() => store.UpdateConfig(Contoso, null!, s_context)).ParamName);
        Assert.Equal("context", Assert.Throws<ArgumentNullException>(() => store.UpdateConfig(Contoso, _ => Array.Empty<SmimeSettingChange>(), null!)).ParamName);
    }

    [Fact]
    public void Config_json_holds_every_setting_under_settings_in_ordinal_order()
    {
        Set(OpenStore(), Contoso, ("OWAAlwaysSign", true));

        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(ConfigPath()));
        JsonElement root = document.RootElement;
        string[] keys = root.GetProperty("settings").EnumerateObject().Select(property => property.Name).ToArray();

        Assert.Equal("SmimeAdmin.OrganizationConfig", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(Contoso, root.GetProperty("organization").GetString());
        Assert.Equal(25, keys.Length);
        Assert.Equal(ExchangeSmimeConfig.Names.OrderBy(name => name, StringComparer.Ordinal), keys);
    }

    [Fact]
    public void Config_json_writes_each_value_as_its_json_type()
    {
        Set(OpenStore(), Contoso, ("OWAAlwaysSign", true));

        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(ConfigPath()));
        JsonElement settings = document.RootElement.GetProperty("settings");
        foreach ((string name, _, object defaultValue) in ExchangeSmimeConfig.Properties)
        {
            object expected = name == "OWAAlwaysSign" ? true : defaultValue;
            JsonElement element = settings.GetProperty(name);
            object actual = expected switch
            {
                bool => element.GetBoolean(),
                uint => element.GetUInt32(),
                _ => element.GetString()!,
            };
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void A_setting_missing_from_config_json_reads_as_its_default()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true), ("OWAClearSign", false), ("OWACRLRetrievalTimeout", 5));
        EditConfig(bytes => EditSettings(bytes, settings =>
        {
            settings.Remove("OWAClearSign");
            settings.Remove("OWACRLRetrievalTimeout");
        }));

        SmimeSettings read = store.ReadConfig(Contoso).Settings;

        Assert.True(read.OWAAlwaysSign);
        Assert.True(read.OWAClearSign);
        Assert.Equal(10000u, read.OWACRLRetrievalTimeout);
    }

    [Fact]
    public void A_config_json_with_no_settings_reads_as_Exchanges_defaults()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        EditConfig(bytes => EditJson(bytes, root => root["settings"] = new JsonObject()));

        SmimeOrganizationConfig config = store.ReadConfig(Contoso);

        Assert.False(config.IsNew);
        ExchangeSmimeConfig.AssertDefaults(config.Settings);
    }

    [Fact]
    public void Values_edited_by_hand_into_config_json_are_read_normalized()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        EditConfig(bytes => EditSettings(bytes, settings =>
        {
            settings["OWAEncryptionAlgorithms"] = " 660e ; 6610 ";
            settings["OWASenderCertificateAttributesToDisplay"] = "2.5.4.3 2.5.4.10";
        }));

        SmimeSettings read = store.ReadConfig(Contoso).Settings;

        Assert.Equal("660E;6610", read.OWAEncryptionAlgorithms);
        Assert.Equal("2.5.4.3,2.5.4.10", read.OWASenderCertificateAttributesToDisplay);
    }

    [Theory]
    [MemberData(nameof(CorruptConfigNames))]
    public void A_corrupt_config_json_is_reported_with_its_path_and_left_as_it_is(string corruption)
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        byte[] content = EditConfig(s_corruptions[corruption]);
        byte[] audit = File.ReadAllBytes(AuditPath());

        SmimeStoreCorruptException readError = Assert.Throws<SmimeStoreCorruptException>(() => store.ReadConfig(Contoso));
        SmimeStoreCorruptException updateError = Assert.Throws<SmimeStoreCorruptException>(() => Set(store, Contoso, ("OWAAlwaysSign", false)));

        Assert.Equal(ConfigPath(), readError.Path);
        Assert.Contains(ConfigPath(), readError.Message, StringComparison.Ordinal);
        Assert.Equal(ConfigPath(), updateError.Path);
        Assert.Equal(content, File.ReadAllBytes(ConfigPath()));
        Assert.Equal(audit, File.ReadAllBytes(AuditPath()));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"1\"")]
    [InlineData("{}")]
    public void A_config_json_whose_schema_version_is_not_a_number_is_reported_as_corrupt(string schemaVersion)
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        EditConfig(bytes => EditJson(bytes, root => root["schemaVersion"] = JsonNode.Parse(schemaVersion)));

        Assert.Equal(ConfigPath(), Assert.Throws<SmimeStoreCorruptException>(() => store.ReadConfig(Contoso)).Path);
    }

    [Fact]
    public void A_config_json_of_a_newer_schema_is_refused_and_left_as_it_is()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        byte[] content = EditConfig(bytes => EditJson(bytes, root => root["schemaVersion"] = 99));
        byte[] audit = File.ReadAllBytes(AuditPath());

        SmimeStoreVersionException readError = Assert.Throws<SmimeStoreVersionException>(() => store.ReadConfig(Contoso));
        SmimeStoreVersionException updateError = Assert.Throws<SmimeStoreVersionException>(() => Set(store, Contoso, ("OWAAlwaysSign", false)));

        Assert.Equal(99, readError.FoundVersion);
        Assert.Equal(1, readError.SupportedVersion);
        Assert.Equal(ConfigPath(), readError.Path);
        Assert.Equal(99, updateError.FoundVersion);
        Assert.Equal(content, File.ReadAllBytes(ConfigPath()));
        Assert.Equal(audit, File.ReadAllBytes(AuditPath()));
    }

    [Fact]
    public void A_store_json_of_a_newer_schema_is_refused_by_the_constructor()
    {
        File.WriteAllText(StorePath, "{\"format\":\"SmimeAdmin.Store\",\"schemaVersion\":99}");

        SmimeStoreVersionException exception = Assert.Throws<SmimeStoreVersionException>(() => OpenStore());

        Assert.Equal(99, exception.FoundVersion);
        Assert.Equal(StorePath, exception.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"format\":\"SmimeAdmin.OrganizationConfig\",\"schemaVersion\":1}")]
    [InlineData("not json")]
    public void A_corrupt_store_json_is_refused_by_the_constructor(string content)
    {
        File.WriteAllText(StorePath, content);

        Assert.Equal(StorePath, Assert.Throws<SmimeStoreCorruptException>(() => OpenStore()).Path);
    }

    [Fact]
    public void A_change_that_throws_leaves_the_configuration_unchanged_and_is_not_audited()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        byte[] before = File.ReadAllBytes(ConfigPath());
        var failure = new InvalidOperationException("change rejected");

        InvalidOperationException thrown = Assert.Throws<InvalidOperationException>(() => store.UpdateConfig(
            Contoso,
            draft =>
            {
                draft.Settings.OWAAlwaysEncrypt = true;
                throw failure;
            },
            s_context));

        Assert.Same(failure, thrown);
        Assert.Equal(before, File.ReadAllBytes(ConfigPath()));
        Assert.False(store.ReadConfig(Contoso).Settings.OWAAlwaysEncrypt);
        Assert.Single(store.ReadAuditLog(Contoso));
    }

    [Fact]
    public void A_change_that_throws_releases_the_lock()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        Assert.Throws<InvalidOperationException>(
            () => store.UpdateConfig(Contoso, _ => throw new InvalidOperationException(), s_context));

        // A zero timeout tries the lock exactly once, so this fails if the lock were still held.
        SmimeConfigUpdateResult result = Set(OpenStore(TimeSpan.Zero), Contoso, ("OWAAlwaysEncrypt", true));

        Assert.Single(result.Changes);
    }

    [Fact]
    public void Leftover_temporary_files_are_ignored_by_readers_and_removed_by_the_next_writer()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        string[] leftovers =
        {
            ConfigPath() + ".0123456789abcdef0123456789abcdef.tmp",
            AuditPath() + ".fedcba9876543210fedcba9876543210.tmp",
        };
        foreach (string leftover in leftovers)
        {
            File.WriteAllText(leftover, "{\"format\":\"SmimeAdmin.OrganizationConfig\",\"sche");
        }

        Assert.True(store.ReadConfig(Contoso).Settings.OWAAlwaysSign);
        Assert.Single(store.ReadAuditLog(Contoso));
        Assert.Equal(new[] { Contoso }, store.GetOrganizations());
        Assert.All(leftovers, leftover => Assert.True(File.Exists(leftover)));

        Set(store, Contoso, ("OWAAlwaysEncrypt", true));

        Assert.All(leftovers, leftover => Assert.False(File.Exists(leftover)));
        Assert.Empty(Directory.EnumerateFiles(OrganizationFolder(Contoso), "*.tmp"));
        Assert.True(store.ReadConfig(Contoso).Settings.OWAAlwaysEncrypt);
    }

    [Fact]
    public void Each_change_appends_one_audit_record_with_who_where_and_what()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        _now = s_firstSave.AddMinutes(10);
        Set(store, Contoso, ("OWAAlwaysSign", false), ("OWABCCEncryptedEmailForking", 2), ("OWAEncryptionAlgorithms", "660e"));

        IReadOnlyList<SmimeAuditRecord> records = store.ReadAuditLog(Contoso);

        Assert.Equal(2, records.Count);
        Assert.All(records, record =>
        {
            Assert.Equal(Contoso, record.Organization);
            Assert.Equal(s_context.User, record.Context.User);
            Assert.Equal(s_context.Host, record.Context.Host);
            Assert.Equal(s_context.Command, record.Context.Command);
        });
        Assert.Equal(s_firstSave, records[0].TimeUtc);
        Assert.Equal(s_firstSave.AddMinutes(10), records[1].TimeUtc);
        AssertChanges(records[0], ("OWAAlwaysSign", "False", "True"));
        AssertChanges(
            records[1],
            ("OWAAlwaysSign", "True", "False"),
            ("OWABCCEncryptedEmailForking", "0", "2"),
            ("OWAEncryptionAlgorithms", "6610", "660E"));
    }

    [Fact]
    public void The_audit_log_has_one_line_per_record()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        Set(store, Contoso, ("OWAAlwaysSign", false));

        string[] lines = File.ReadAllText(AuditPath()).Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Equal(string.Empty, lines[2]);
        Assert.All(lines.Take(2), line => Assert.Equal("SmimeAdmin.AuditRecord", JsonDocument.Parse(line).RootElement.GetProperty("format").GetString()));
    }

    [Fact]
    public void A_torn_last_audit_line_is_ignored_by_readers_and_removed_by_the_next_append()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        Set(store, Contoso, ("OWAAlwaysSign", false));
        File.AppendAllText(AuditPath(), "{\"format\":\"SmimeAdmin.AuditRecord\",\"schemaVersion\":1,\"timeUtc\":\"TORN");

        Assert.Equal(2, store.ReadAuditLog(Contoso).Count);

        Set(store, Contoso, ("OWAAlwaysEncrypt", true));

        IReadOnlyList<SmimeAuditRecord> records = store.ReadAuditLog(Contoso);
        string text = File.ReadAllText(AuditPath());
        Assert.Equal(3, records.Count);
        Assert.Equal("OWAAlwaysSign,OWAAlwaysSign,OWAAlwaysEncrypt", string.Join(",", records.Select(record => record.Changes.Single().Name)));
        Assert.DoesNotContain("TORN", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Count(c => c == '\n'));
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_record_and_the_configuration_carry_the_revision_of_the_change()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        Set(store, Contoso, ("OWAAlwaysSign", false));

        SmimeOrganizationConfig config = store.ReadConfig(Contoso);

        Assert.Equal(new long[] { 1, 2 }, store.ReadAuditLog(Contoso).Select(record => record.Revision));
        Assert.Equal(2, config.Revision);
        Assert.Equal(2, config.LastChange!.Revision);
        AssertChanges(config.LastChange, ("OWAAlwaysSign", "True", "False"));
    }

    [Fact]
    public void A_record_lost_by_a_writer_killed_after_saving_the_configuration_is_restored()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        Set(store, Contoso, ("OWAAlwaysEncrypt", true));
        string firstLine = File.ReadAllText(AuditPath()).Split('\n')[0] + "\n";
        File.WriteAllText(AuditPath(), firstLine);

        Assert.Equal("OWAAlwaysSign,OWAAlwaysEncrypt", string.Join(",", store.ReadAuditLog(Contoso).Select(record => record.Changes.Single().Name)));

        Set(store, Contoso, ("OWAOnlyUseSmartCard", true));

        string[] lines = File.ReadAllText(AuditPath()).TrimEnd('\n').Split('\n');
        Assert.Equal(new long[] { 1, 2, 3 }, lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("revision").GetInt64()));
        Assert.Equal(3, store.ReadAuditLog(Contoso).Count);
    }

    [Fact]
    public void A_damaged_last_audit_line_stops_an_update_before_the_configuration_is_written()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        File.AppendAllText(AuditPath(), "not a record\n");
        byte[] config = File.ReadAllBytes(ConfigPath());

        Assert.Throws<SmimeStoreCorruptException>(() => Set(store, Contoso, ("OWAAlwaysEncrypt", true)));

        Assert.Equal(config, File.ReadAllBytes(ConfigPath()));
    }

    [Theory]
    [InlineData("not json\n", 2)]
    [InlineData("{\"format\":\"SmimeAdmin.AuditRecord\",\"schemaVersion\":1}\n", 2)]
    [InlineData("{\"format\":\"SmimeAdmin.OrganizationConfig\",\"schemaVersion\":1}\n", 2)]
    [InlineData("\n[]\n", 3)]
    public void A_malformed_complete_audit_line_is_reported_with_its_line_number(string appended, int lineNumber)
    {
        FileSmimeStore store = OpenStore();
        Set(store, Contoso, ("OWAAlwaysSign", true));
        File.AppendAllText(AuditPath(), appended);

        SmimeStoreCorruptException exception = Assert.Throws<SmimeStoreCorruptException>(() => store.ReadAuditLog(Contoso));

        Assert.Equal(AuditPath() + ":" + lineNumber, exception.Path);
    }

    [Fact]
    public void An_update_waits_for_the_organization_lock_and_times_out_leaving_the_configuration_unchanged()
    {
        Set(OpenStore(), Contoso, ("OWAAlwaysSign", true));
        byte[] before = File.ReadAllBytes(ConfigPath());
        FileSmimeStore store = OpenStore(TimeSpan.FromMilliseconds(200));

        using (HoldLock(LockPath()))
        {
            SmimeStoreLockTimeoutException exception = Assert.Throws<SmimeStoreLockTimeoutException>(
                () => Set(store, Contoso, ("OWAAlwaysEncrypt", true)));

            Assert.Equal(LockPath(), exception.Path);
            Assert.Equal(TimeSpan.FromMilliseconds(200), exception.Timeout);
            Assert.Equal(before, File.ReadAllBytes(ConfigPath()));
            Assert.Single(store.ReadAuditLog(Contoso));
        }

        Assert.Single(Set(store, Contoso, ("OWAAlwaysEncrypt", true)).Changes);
        Assert.True(store.ReadConfig(Contoso).Settings.OWAAlwaysEncrypt);
    }

    [Fact]
    public void Creating_an_organization_waits_for_the_store_lock()
    {
        FileSmimeStore store = OpenStore(TimeSpan.FromMilliseconds(200));

        using (HoldLock(_folder.Combine(".lock")))
        {
            Assert.Throws<SmimeStoreLockTimeoutException>(() => Set(store, Contoso, ("OWAAlwaysSign", true)));
        }

        Assert.Single(Set(store, Contoso, ("OWAAlwaysSign", true)).Changes);
    }

    [Fact]
    public void Readers_do_not_wait_for_the_lock()
    {
        FileSmimeStore store = OpenStore(TimeSpan.Zero);
        Set(store, Contoso, ("OWAAlwaysSign", true));

        using (HoldLock(LockPath()))
        {
            Assert.True(store.ReadConfig(Contoso).Settings.OWAAlwaysSign);
            Assert.Single(store.ReadAuditLog(Contoso));
            Assert.Equal(new[] { Contoso }, store.GetOrganizations());
        }
    }

    [Fact]
    public void Concurrent_read_modify_write_updates_lose_nothing()
    {
        const int UpdatesPerThread = 25;
        var counters = new (string Name, Func<object, object> Next, object Expected)[]
        {
            ("OWADLExpansionTimeout", value => (uint)value + 1, 60000u + UpdatesPerThread),
            ("OWACRLConnectionTimeout", value => (uint)value + 1, 60000u + UpdatesPerThread),
            ("OWACRLRetrievalTimeout", value => (uint)value + 1, 10000u + UpdatesPerThread),
            ("OWASenderCertificateAttributesToDisplay", value => NextOid((string)value), "2.999." + UpdatesPerThread),
        };
        var failures = new ConcurrentQueue<Exception>();
        using var start = new Barrier(counters.Length);

        Thread[] threads = counters.Select(counter => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                FileSmimeStore store = OpenStore();
                for (int i = 0; i < UpdatesPerThread; i++)
                {
                    store.UpdateConfig(Contoso, draft => Increment(draft.Settings, counter.Name, counter.Next), s_context);
                }
            }
            catch (Exception ex)
            {
                failures.Enqueue(ex);
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.Empty(failures);
        SmimeSettings final = OpenStore().ReadConfig(Contoso).Settings;
        IReadOnlyList<SmimeAuditRecord> records = OpenStore().ReadAuditLog(Contoso);
        Assert.Equal(counters.Length * UpdatesPerThread, records.Count);
        foreach ((string name, _, object expected) in counters)
        {
            Assert.Equal(expected, ExchangeSmimeConfig.Get(final, name));
            SmimeSettingChange[] changes = records.Select(record => Assert.Single(record.Changes)).Where(change => change.Name == name).ToArray();
            Assert.Equal(UpdatesPerThread, changes.Length);
            Assert.Equal(UpdatesPerThread, changes.Select(change => change.NewValue).Distinct().Count());
        }
    }

    private static string NextOid(string current) =>
        "2.999." + ((current.Length == 0 ? 0 : uint.Parse(current.AsSpan("2.999.".Length), provider: System.Globalization.CultureInfo.InvariantCulture)) + 1);

    private static SmimeSettingChange[] Increment(SmimeSettings settings, string name, Func<object, object> next)
    {
        object before = ExchangeSmimeConfig.Get(settings, name);
        object after = next(before);
        ExchangeSmimeConfig.Set(settings, name, after);
        return new[] { new SmimeSettingChange(name, before, after) };
    }

    private static SmimeConfigUpdateResult Set(FileSmimeStore store, string organization, params (string Name, object? Value)[] values)
    {
        SmimeSettingsUpdate update = SmimeSettingsUpdate.Create(
            values.Select(value => new KeyValuePair<string, object?>(value.Name, value.Value)));
        return store.UpdateConfig(organization, draft => update.ApplyTo(draft.Settings), s_context);
    }

    private static void AssertChanges(SmimeAuditRecord record, params (string Name, string OldValue, string NewValue)[] expected)
    {
        Assert.Equal(expected, record.Changes.Select(change => (change.Name, (string)change.OldValue!, (string)change.NewValue!)));
    }

    // What another process holding the lock looks like: on Unix .NET takes flock(LOCK_EX) for FileShare.None, which
    // also conflicts with a second open in this process.
    private static FileStream HoldLock(string path) =>
        new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] EditJson(byte[] json, Action<JsonObject> edit)
    {
        JsonObject root = JsonNode.Parse(json)!.AsObject();
        edit(root);
        return Utf8(root.ToJsonString());
    }

    private static byte[] EditSettings(byte[] json, Action<JsonObject> edit) =>
        EditJson(json, root => edit(root["settings"]!.AsObject()));

    private FileSmimeStore OpenStore(TimeSpan? lockTimeout = null) =>
        new(_folder.Path, new FileSmimeStoreOptions { UtcNow = () => _now, LockTimeout = lockTimeout ?? TimeSpan.FromMinutes(1) });

    // Rewrites the stored config.json of Contoso and returns the new bytes.
    private byte[] EditConfig(Func<byte[], byte[]> edit)
    {
        byte[] content = edit(File.ReadAllBytes(ConfigPath()));
        File.WriteAllBytes(ConfigPath(), content);
        return content;
    }

    private string OrganizationFolder(string organization) => _folder.Combine("organizations", organization);

    private string ConfigPath(string organization = Contoso) => Path.Combine(OrganizationFolder(organization), "config.json");

    private string AuditPath(string organization = Contoso) => Path.Combine(OrganizationFolder(organization), "audit.jsonl");

    private string LockPath(string organization = Contoso) => Path.Combine(OrganizationFolder(organization), ".lock");
}
