using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// One recipient's file, <c>recipients/&lt;address in lower case&gt;.json</c>: its addresses, its certificates as
/// Base64 strings, object metadata, and the id of the change that wrote it (which ties the file to the pending-change
/// record, see <see cref="RecipientChangeFile"/>).
/// </summary>
internal static class RecipientFile
{
    public const string Format = "SmimeAdmin.Recipient";
    public const int SchemaVersion = 1;

    public static byte[] Serialize(SmimeRecipient recipient, Guid changeId) =>
        JsonStoreFile.Write(Format, SchemaVersion, writer =>
        {
            writer.WriteString("primarySmtpAddress", recipient.PrimarySmtpAddress);
            writer.WriteString("guid", recipient.ObjectGuid.ToString("D"));
            JsonStoreFile.WriteUtcTime(writer, "whenCreatedUtc", recipient.WhenCreatedUtc);
            JsonStoreFile.WriteUtcTime(writer, "whenChangedUtc", recipient.WhenChangedUtc);
            writer.WriteString("changeId", changeId.ToString("D"));
            writer.WriteStartArray("proxyAddresses");
            foreach (string proxy in recipient.ProxyAddresses)
            {
                writer.WriteStringValue(proxy);
            }

            writer.WriteEndArray();
            WriteBase64Array(writer, SmimeRecipientDraft.UserCertificateName, recipient.UserCertificates);
            WriteBase64Array(writer, SmimeRecipientDraft.UserSmimeCertificateName, recipient.UserSmimeCertificates);
        });

    /// <summary>Reads a recipient file and checks that its name is its primary address.</summary>
    /// <exception cref="SmimeStoreCorruptException">The file is not a recipient, or not the one its name says.</exception>
    public static SmimeRecipient Deserialize(byte[] content, string path, string organization, out Guid changeId)
    {
        Guid id = Guid.Empty;
        SmimeRecipient recipient = JsonStoreFile.Read(content, path, Format, SchemaVersion, root =>
        {
            string primary = ReadAddress(root, "primarySmtpAddress");
            if (!string.Equals(RecipientAddress.FileName(primary), Path.GetFileName(path), StringComparison.Ordinal))
            {
                throw new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.RecipientFileNameMismatch, primary));
            }

            var proxies = new List<string>();
            foreach (JsonElement proxy in JsonStoreFile.Required(root, "proxyAddresses").EnumerateArray())
            {
                proxies.Add(Address(proxy.GetString(), "proxyAddresses"));
            }

            id = Guid.Parse(JsonStoreFile.RequiredString(root, "changeId"));
            return new SmimeRecipient(
                organization,
                primary,
                Guid.Parse(JsonStoreFile.RequiredString(root, "guid")),
                RequiredTime(root, "whenCreatedUtc"),
                RequiredTime(root, "whenChangedUtc"),
                proxies,
                ReadBase64Array(root, SmimeRecipientDraft.UserCertificateName),
                ReadBase64Array(root, SmimeRecipientDraft.UserSmimeCertificateName),
                path);
        });
        changeId = id;
        return recipient;
    }

    /// <summary>Reads a validated address property; a file with an address the rules refuse is corrupt.</summary>
    internal static string ReadAddress(JsonElement parent, string name) =>
        Address(JsonStoreFile.RequiredString(parent, name), name);

    private static string Address(string? text, string name)
    {
        try
        {
            string address = RecipientAddress.Validate(text);
            return string.Equals(address, text, StringComparison.Ordinal)
                ? address
                : throw new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.StoreFileMissingProperty, name));
        }
        catch (SmimeRecipientAddressException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    private static DateTime RequiredTime(JsonElement parent, string name) =>
        JsonStoreFile.OptionalUtcTime(parent, name)
            ?? throw new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.StoreFileMissingProperty, name));

    private static void WriteBase64Array(Utf8JsonWriter writer, string name, IReadOnlyList<byte[]> values)
    {
        writer.WriteStartArray(name);
        foreach (byte[] value in values)
        {
            writer.WriteBase64StringValue(value);
        }

        writer.WriteEndArray();
    }

    private static List<byte[]> ReadBase64Array(JsonElement parent, string name)
    {
        var values = new List<byte[]>();
        foreach (JsonElement value in JsonStoreFile.Required(parent, name).EnumerateArray())
        {
            values.Add(value.GetBytesFromBase64());
        }

        return values;
    }
}
