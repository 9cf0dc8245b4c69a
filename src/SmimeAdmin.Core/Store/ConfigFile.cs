using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// The organization's <c>config.json</c>: object metadata, then every setting by its Exchange name in ordinal
/// order, so that two files diff line by line. A setting missing from the file takes its default, as in
/// Exchange's own XML; an unknown setting or a value the setting does not accept makes the file corrupt.
/// <c>revision</c> counts the saved changes and <c>lastChange</c> repeats the audit record of the latest one.
/// <c>certificateCollection</c> names the .sst file that holds the virtual certificate collection by its SHA-256.
/// </summary>
internal static class ConfigFile
{
    public const string FileName = "config.json";
    public const string Format = "SmimeAdmin.OrganizationConfig";
    public const int SchemaVersion = 1;

    private static readonly SmimeSetting[] s_sortedSettings =
        SmimeSetting.All.OrderBy(setting => setting.Name, StringComparer.Ordinal).ToArray();

    /// <param name="config">The configuration.</param>
    /// <param name="embedCollection">
    /// Whether the collection's .sst bytes go into the document (base64, <c>serializedStore</c>) instead of a file
    /// of their own: a directory entry has no folder beside it.
    /// </param>
    public static byte[] Serialize(SmimeOrganizationConfig config, bool embedCollection = false) =>
        JsonStoreFile.Write(Format, SchemaVersion, writer =>
        {
            writer.WriteString("organization", config.Organization);
            writer.WriteString("guid", config.ObjectGuid.ToString("D"));
            writer.WriteNumber("revision", config.Revision);
            JsonStoreFile.WriteUtcTime(writer, "whenCreatedUtc", config.WhenCreatedUtc);
            JsonStoreFile.WriteUtcTime(writer, "whenChangedUtc", config.WhenChangedUtc);
            writer.WriteStartObject("settings");
            foreach (SmimeSetting setting in s_sortedSettings)
            {
                switch (setting.GetValue(config.Settings))
                {
                    case bool flag: writer.WriteBoolean(setting.Name, flag); break;
                    case uint number: writer.WriteNumber(setting.Name, number); break;
                    case string text: writer.WriteString(setting.Name, text); break;
                    default: throw new InvalidOperationException("Unexpected value type for " + setting.Name);
                }
            }

            writer.WriteEndObject();
            if (config.CertificateCollection is SmimeCertificateCollectionRecord collection)
            {
                writer.WriteStartObject("certificateCollection");
                writer.WriteString("file", CollectionFileName(collection.Sha256));
                writer.WriteString("sha256", collection.Sha256);
                JsonStoreFile.WriteUtcTime(writer, "expiryDateUtc", collection.ExpiryDateUtc);
                writer.WriteString("expiryThumbprint", collection.ExpiryThumbprint);
                writer.WriteStartArray("certificates");
                foreach (string thumbprint in collection.Thumbprints)
                {
                    writer.WriteStringValue(thumbprint);
                }

                writer.WriteEndArray();
                if (embedCollection)
                {
                    writer.WriteBase64String("serializedStore", collection.SerializedStoreUnsafe);
                }

                writer.WriteEndObject();
            }

            if (config.LastChange is SmimeAuditRecord lastChange)
            {
                writer.WriteStartObject("lastChange");
                AuditLogFile.WriteFields(writer, lastChange);
                writer.WriteEndObject();
            }
        });

    public static SmimeOrganizationConfig Deserialize(byte[] content, string path) =>
        JsonStoreFile.Read(content, path, Format, SchemaVersion, root =>
        {
            var settings = new SmimeSettings();
            foreach (JsonProperty property in JsonStoreFile.Required(root, "settings").EnumerateObject())
            {
                SmimeSetting setting = SmimeSetting.Find(property.Name)
                    ?? throw new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.StoreFileUnknownSetting, property.Name));
                setting.SetValue(settings, ReadValue(setting, property.Value));
            }

            return new SmimeOrganizationConfig(
                JsonStoreFile.RequiredString(root, "organization"),
                Guid.Parse(JsonStoreFile.RequiredString(root, "guid")),
                JsonStoreFile.OptionalUtcTime(root, "whenCreatedUtc"),
                JsonStoreFile.OptionalUtcTime(root, "whenChangedUtc"),
                settings,
                path,
                JsonStoreFile.Required(root, "revision").GetInt64(),
                root.TryGetProperty("lastChange", out JsonElement lastChange) ? AuditLogFile.ReadFields(lastChange) : null,
                root.TryGetProperty("certificateCollection", out JsonElement collection) ? ReadCollection(collection, path) : null);
        });

    /// <summary>The file that holds a collection: named by its content, so a new one never overwrites the old.</summary>
    public static string CollectionFileName(string sha256) => "collection." + sha256.Substring(0, 16) + ".sst";

    private static SmimeCertificateCollectionRecord ReadCollection(JsonElement element, string configPath)
    {
        string sha256 = JsonStoreFile.RequiredString(element, "sha256");
        string file = JsonStoreFile.RequiredString(element, "file");
        if (sha256.Length != 64 || file != CollectionFileName(sha256))
        {
            throw new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.StoreFileMissingProperty, "certificateCollection.file"));
        }

        string sstPath;
        byte[] content;
        if (element.TryGetProperty("serializedStore", out JsonElement embedded))
        {
            sstPath = configPath;
            content = embedded.GetBytesFromBase64();
        }
        else
        {
            sstPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(configPath)!, file);
            content = AtomicFile.ReadIfExists(sstPath)
                ?? throw new SmimeStoreCorruptException(sstPath, Strings.StoreCollectionMissing);
        }

        var thumbprints = new List<string>();
        foreach (JsonElement thumbprint in JsonStoreFile.Required(element, "certificates").EnumerateArray())
        {
            thumbprints.Add(thumbprint.GetString() ?? throw new FormatException("certificates"));
        }

        var record = new SmimeCertificateCollectionRecord(
            content,
            thumbprints,
            JsonStoreFile.OptionalUtcTime(element, "expiryDateUtc"),
            JsonStoreFile.RequiredString(element, "expiryThumbprint"));
        if (record.Sha256 != sha256)
        {
            throw new SmimeStoreCorruptException(sstPath, Strings.StoreCollectionChanged);
        }

        return record;
    }

    private static object ReadValue(SmimeSetting setting, JsonElement element)
    {
        object? raw = JsonStoreFile.RawValue(element);

        try
        {
            // Warnings about weak values were given when they were set; reading repeats only the validation.
            return SmimeSettingValidator.Normalize(setting, raw, new List<string>());
        }
        catch (SmimeSettingValueException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }
}
