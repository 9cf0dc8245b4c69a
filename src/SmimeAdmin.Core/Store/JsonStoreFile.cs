using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// What every JSON file of the folder store shares: a <c>format</c> name and a <c>schemaVersion</c> that a reader
/// checks before it trusts anything else in the file.
/// </summary>
internal static class JsonStoreFile
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Indented = true };

    /// <summary>Writes a document that starts with the format name and schema version.</summary>
    public static byte[] Write(string format, int schemaVersion, Action<Utf8JsonWriter> writeBody, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, indented ? s_writerOptions : default))
        {
            writer.WriteStartObject();
            writer.WriteString("format", format);
            writer.WriteNumber("schemaVersion", schemaVersion);
            writeBody(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Parses a document and checks its format name and schema version, then hands its root to
    /// <paramref name="read"/>. Any shape error inside <paramref name="read"/> is reported as corruption of
    /// <paramref name="path"/>.
    /// </summary>
    /// <exception cref="SmimeStoreCorruptException">The bytes are not a document of that format.</exception>
    /// <exception cref="SmimeStoreVersionException">The document is of a newer schema version.</exception>
    public static T Read<T>(ReadOnlyMemory<byte> content, string path, string format, int supportedVersion, Func<JsonElement, T> read)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            throw new SmimeStoreCorruptException(path, ex.Message, ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (!HasFormat(root, format))
            {
                throw new SmimeStoreCorruptException(
                    path,
                    string.Format(CultureInfo.CurrentCulture, Strings.StoreFileWrongFormat, format));
            }

            int version = SchemaVersionOf(root);
            if (version < 1)
            {
                throw new SmimeStoreCorruptException(path, Strings.StoreFileNoVersion);
            }

            if (version > supportedVersion)
            {
                throw new SmimeStoreVersionException(path, version, supportedVersion);
            }

            try
            {
                return read(root);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw new SmimeStoreCorruptException(path, ex.Message, ex);
            }
        }
    }

    /// <summary>Whether a document's root is an object whose <c>format</c> is <paramref name="format"/>.</summary>
    public static bool HasFormat(JsonElement root, string format) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("format", out JsonElement formatElement)
        && formatElement.ValueKind == JsonValueKind.String
        && formatElement.GetString() == format;

    /// <summary>A document's <c>schemaVersion</c>; 0 when it is missing or not a whole number of 1 or more.</summary>
    public static int SchemaVersionOf(JsonElement root) =>
        root.TryGetProperty("schemaVersion", out JsonElement versionElement)
        && versionElement.ValueKind == JsonValueKind.Number
        && versionElement.TryGetInt32(out int version)
        && version >= 1
            ? version
            : 0;

    /// <summary>
    /// A setting's value as JSON gives it, for the validator: a Boolean, a whole number, a string or null; anything
    /// else as its JSON text, which the validator names in its error.
    /// </summary>
    public static object? RawValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when element.TryGetInt64(out long number) => number,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => null,
        _ => element.GetRawText(),
    };

    /// <summary>Gets a required property, or fails with a message naming it.</summary>
    /// <exception cref="KeyNotFoundException">The property is missing.</exception>
    public static JsonElement Required(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value)
            ? value
            : throw new KeyNotFoundException(string.Format(CultureInfo.CurrentCulture, Strings.StoreFileMissingProperty, name));

    /// <summary>Gets a required string property.</summary>
    public static string RequiredString(JsonElement parent, string name) =>
        Required(parent, name).GetString()
        ?? throw new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.StoreFileMissingProperty, name));

    /// <summary>Gets an optional UTC time property.</summary>
    public static DateTime? OptionalUtcTime(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value.GetDateTime().ToUniversalTime()
            : null;

    /// <summary>Writes a UTC time in round-trip form.</summary>
    public static void WriteUtcTime(Utf8JsonWriter writer, string name, DateTime? value)
    {
        if (value is DateTime time)
        {
            writer.WriteString(name, DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
