using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Core.Baselines;

/// <summary>
/// Writes and reads configuration files: JSON with every object's keys sorted, one setting per line, and each
/// certificate as PEM lines, so that two exports diff line by line. docs/config-format.md describes the format.
/// </summary>
public static class SmimeBaselineFile
{
    /// <summary>The <c>format</c> value every configuration file carries.</summary>
    public const string Format = "SmimeAdmin.Config";

    /// <summary>The schema version this version writes, and the newest it reads.</summary>
    public const int SchemaVersion = 1;

    // Larger than any sane configuration (a 20,000-certificate collection is about 40 MB of PEM), small enough that a
    // wrong file is refused before it is parsed.
    private const long MaximumFileBytes = 256L * 1024 * 1024;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = true,
        NewLine = "\n",

        // Base64 has '+' and '/', which the default encoder escapes; the file is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonDocumentOptions s_readerOptions = new()
    {
        // Hand-written baselines may carry comments and trailing commas.
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    private static readonly char[] s_lineEnds = { '\r', '\n' };

    private static readonly string[] s_sections = { "certificateCollection", "format", "organization", "recipients", "schemaVersion", "settings" };

    /// <summary>Writes a baseline as a configuration file (UTF-8, LF line ends, a final line end).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="baseline"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting value is not a Boolean, a whole number or a string.</exception>
    public static byte[] Write(SmimeBaseline baseline)
    {
        if (baseline is null)
        {
            throw new ArgumentNullException(nameof(baseline));
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            // Keys in ordinal order at every level, so a file's layout never depends on how it was made.
            writer.WriteStartObject();
            if (baseline.CertificateCollection is not null)
            {
                writer.WriteStartObject("certificateCollection");
                writer.WriteStartArray("certificates");
                foreach (SmimeBaselineCertificate entry in baseline.CertificateCollection)
                {
                    WriteCertificate(writer, entry);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteString("format", Format);
            if (baseline.Organization is not null)
            {
                writer.WriteString("organization", baseline.Organization);
            }

            if (baseline.Recipients is not null)
            {
                writer.WriteStartArray("recipients");
                foreach (SmimeBaselineRecipient recipient in baseline.Recipients.OrderBy(r => r.Address.ToLowerInvariant(), StringComparer.Ordinal))
                {
                    writer.WriteStartObject();
                    writer.WriteString("address", recipient.Address);
                    WriteStrings(writer, "userCertificate", recipient.UserCertificateThumbprints);
                    WriteStrings(writer, "userSMIMECertificate", recipient.UserSmimeCertificateThumbprints);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteNumber("schemaVersion", SchemaVersion);
            writer.WriteStartObject("settings");
            foreach (KeyValuePair<string, object?> setting in baseline.Settings.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                WriteValue(writer, setting.Key, setting.Value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads a configuration file.</summary>
    /// <param name="content">The file's bytes (UTF-8, with or without a byte-order mark).</param>
    /// <param name="source">Names the file in errors.</param>
    /// <returns>
    /// The baseline, with setting values as written; they are checked when it is compared or applied, so that every
    /// invalid value is reported at once.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="SmimeBaselineFormatException">
    /// The content is not JSON, not a configuration document, of a newer schema version, or has a section of the
    /// wrong shape.
    /// </exception>
    public static SmimeBaseline Read(byte[] content, string source)
    {
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        if (content.LongLength > MaximumFileBytes)
        {
            throw new SmimeBaselineFormatException(source, string.Format(CultureInfo.CurrentCulture, Strings.BaselineFileTooLarge, content.LongLength, MaximumFileBytes));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(SkipByteOrderMark(content), s_readerOptions);
        }
        catch (JsonException ex)
        {
            throw new SmimeBaselineFormatException(source, ex.Message, ex);
        }

        using (document)
        {
            try
            {
                return ReadDocument(document.RootElement, source);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException)
            {
                throw new SmimeBaselineFormatException(source, ex.Message, ex);
            }
        }
    }

    private static SmimeBaseline ReadDocument(JsonElement root, string source)
    {
        if (!JsonStoreFile.HasFormat(root, Format))
        {
            throw new SmimeBaselineFormatException(source, string.Format(CultureInfo.CurrentCulture, Strings.BaselineFileNotConfig, Format));
        }

        int version = JsonStoreFile.SchemaVersionOf(root);
        if (version < 1)
        {
            throw new SmimeBaselineFormatException(source, Strings.BaselineFileNoVersion);
        }

        if (version > SchemaVersion)
        {
            throw new SmimeBaselineFormatException(source, string.Format(CultureInfo.CurrentCulture, Strings.BaselineFileTooNew, version, SchemaVersion));
        }

        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!s_sections.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.BaselineFileUnknownSection, property.Name, string.Join(", ", s_sections)));
            }
        }

        var settings = new List<KeyValuePair<string, object?>>();
        if (root.TryGetProperty("settings", out JsonElement settingsElement))
        {
            foreach (JsonProperty property in Expect(settingsElement, JsonValueKind.Object, "settings").EnumerateObject())
            {
                settings.Add(new KeyValuePair<string, object?>(property.Name, JsonStoreFile.RawValue(property.Value)));
            }
        }

        List<SmimeBaselineCertificate>? collection = null;
        if (root.TryGetProperty("certificateCollection", out JsonElement collectionElement))
        {
            collection = new List<SmimeBaselineCertificate>();
            JsonElement certificates = Required(Expect(collectionElement, JsonValueKind.Object, "certificateCollection"), "certificates");
            foreach (JsonElement entry in Expect(certificates, JsonValueKind.Array, "certificateCollection.certificates").EnumerateArray())
            {
                collection.Add(ReadCertificate(Expect(entry, JsonValueKind.Object, "certificateCollection.certificates[]")));
            }
        }

        List<SmimeBaselineRecipient>? recipients = null;
        if (root.TryGetProperty("recipients", out JsonElement recipientsElement))
        {
            recipients = new List<SmimeBaselineRecipient>();
            foreach (JsonElement entry in Expect(recipientsElement, JsonValueKind.Array, "recipients").EnumerateArray())
            {
                Expect(entry, JsonValueKind.Object, "recipients[]");
                recipients.Add(new SmimeBaselineRecipient(
                    RequiredString(entry, "address"),
                    OptionalStrings(entry, "userCertificate"),
                    OptionalStrings(entry, "userSMIMECertificate")));
            }
        }

        string? organization = root.TryGetProperty("organization", out JsonElement organizationElement)
            ? Expect(organizationElement, JsonValueKind.String, "organization").GetString()
            : null;
        return new SmimeBaseline(settings, collection, recipients, organization);
    }

    private static void WriteCertificate(Utf8JsonWriter writer, SmimeBaselineCertificate entry)
    {
        writer.WriteStartObject();
        byte[]? rawData = entry.GetRawData();
        if (rawData is not null)
        {
            SmimeCaCertificate? certificate = TryParse(rawData);
            if (certificate is not null)
            {
                // NotAfter and subject are for people reading a diff; the reader takes only the thumbprint and the PEM.
                writer.WriteString("notAfter", certificate.NotAfter.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            }

            // Bytes that are no certificate (only from a baseline read from a damaged file) are kept as they are, for
            // an import to report.
            var pem = new StringBuilder();
            PemText.AppendBlock(pem, PemText.CertificateLabel, rawData);
            WriteStrings(writer, "pem", pem.ToString().Split(s_lineEnds, StringSplitOptions.RemoveEmptyEntries));
            if (certificate is not null)
            {
                writer.WriteString("subject", certificate.Subject);
            }
        }

        writer.WriteString("thumbprint", entry.Thumbprint);
        writer.WriteEndObject();
    }

    private static SmimeCaCertificate? TryParse(byte[] rawData)
    {
        try
        {
            return SmimeCaCertificate.Parse(rawData);
        }
        catch (CertificateFormatException)
        {
            return null;
        }
    }

    private static SmimeBaselineCertificate ReadCertificate(JsonElement entry)
    {
        string thumbprint = RequiredString(entry, "thumbprint");
        if (!entry.TryGetProperty("pem", out JsonElement pemElement) || pemElement.ValueKind == JsonValueKind.Null)
        {
            return new SmimeBaselineCertificate(thumbprint, null);
        }

        // One string with line ends, or one string per line as the writer puts it.
        string pem = pemElement.ValueKind == JsonValueKind.Array
            ? string.Join("\n", pemElement.EnumerateArray().Select(line => Expect(line, JsonValueKind.String, "pem[]").GetString()))
            : Expect(pemElement, JsonValueKind.String, "pem").GetString()!;
        byte[] text = Encoding.ASCII.GetBytes(pem);
        try
        {
            CertificateFileContent file = CertificateFile.Read(text);
            if (file.Certificates.Count == 1)
            {
                return new SmimeBaselineCertificate(thumbprint, file.Certificates[0]);
            }
        }
        catch (CertificateFormatException)
        {
            // Kept as it is: importing reports the entry as unreadable, together with every other problem.
        }

        return new SmimeBaselineCertificate(thumbprint, text);
    }

    private static void WriteValue(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNull(name); break;
            case bool flag: writer.WriteBoolean(name, flag); break;
            case uint number: writer.WriteNumber(name, number); break;
            case int number: writer.WriteNumber(name, number); break;
            case long number: writer.WriteNumber(name, number); break;
            case string text: writer.WriteString(name, text); break;
            default:
                throw new ArgumentException(string.Format(CultureInfo.CurrentCulture, Strings.BaselineValueNotWritable, name, value.GetType().FullName), nameof(value));
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static string[] OptionalStrings(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out JsonElement array) || array.ValueKind == JsonValueKind.Null)
        {
            return Array.Empty<string>();
        }

        return Expect(array, JsonValueKind.Array, name).EnumerateArray().Select(item => Expect(item, JsonValueKind.String, name + "[]").GetString()!).ToArray();
    }

    private static JsonElement Required(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value)
            ? value
            : throw new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.BaselineFileMissingProperty, name));

    private static string RequiredString(JsonElement parent, string name) =>
        Expect(Required(parent, name), JsonValueKind.String, name).GetString()!;

    private static JsonElement Expect(JsonElement element, JsonValueKind kind, string name) =>
        element.ValueKind == kind
            ? element
            : throw new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.BaselineFileWrongKind, name, kind, element.ValueKind));

    private static ReadOnlyMemory<byte> SkipByteOrderMark(byte[] content) =>
        content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF
            ? content.AsMemory(3)
            : content.AsMemory();
}
