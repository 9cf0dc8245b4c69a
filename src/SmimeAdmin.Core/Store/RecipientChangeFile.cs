using System;
using System.Globalization;
using System.IO;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// The organization's <c>recipient-change.json</c>: the recipient change in progress, written before the recipient's
/// file and deleted once the change's audit record is appended. It plays for recipients the part that
/// <c>config.json</c>'s <c>lastChange</c> plays for the configuration: a writer killed after changing a recipient but
/// before appending the audit record leaves this file, and the next writer appends the record.
/// </summary>
/// <remarks>
/// A separate file, rather than a copy of the record in each recipient's file, keeps recovery O(1): the next writer
/// learns from one file which recipient to look at, instead of reading every recipient.
/// </remarks>
internal static class RecipientChangeFile
{
    public const string FileName = "recipient-change.json";
    public const string Format = "SmimeAdmin.RecipientChange";
    public const int SchemaVersion = 1;

    /// <summary>
    /// Writes the file in place, without a temporary file and without flushing it to disk on its own.
    /// </summary>
    /// <remarks>
    /// It guards against a killed process, for which the operating system's cache is enough, and the recipient's
    /// file written next is flushed; a flush here would add a disk round trip to every recipient change (a third of
    /// its cost). A file cut short by a kill while it is written is harmless: nothing was committed yet, and
    /// <see cref="TryRead"/> reports it as such.
    /// </remarks>
    public static void Write(string path, PendingRecipientChange change)
    {
        byte[] content = Serialize(change);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write(content, 0, content.Length);
    }

    /// <summary>Reads the file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="torn">Whether the file exists but is not a complete document (its writer was killed writing it).</param>
    /// <returns>The pending change; <see langword="null"/> when there is none or the file is torn.</returns>
    /// <exception cref="SmimeStoreVersionException">A newer SmimeAdmin wrote the file.</exception>
    public static PendingRecipientChange? TryRead(string path, out bool torn)
    {
        torn = false;
        byte[]? content = AtomicFile.ReadIfExists(path);
        if (content is null)
        {
            return null;
        }

        try
        {
            return Deserialize(content, path);
        }
        catch (SmimeStoreCorruptException)
        {
            torn = true;
            return null;
        }
    }

    public static byte[] Serialize(PendingRecipientChange change) =>
        JsonStoreFile.Write(Format, SchemaVersion, writer =>
        {
            writer.WriteString("file", change.FileName);
            writer.WriteString("changeId", change.ChangeId.ToString("D"));
            writer.WriteBoolean("removed", change.Removed);
            writer.WriteStartObject("record");
            AuditLogFile.WriteFields(writer, change.Record);
            writer.WriteEndObject();
        });

    /// <exception cref="SmimeStoreCorruptException">The file is not a pending recipient change.</exception>
    public static PendingRecipientChange Deserialize(byte[] content, string path) =>
        JsonStoreFile.Read(content, path, Format, SchemaVersion, root =>
        {
            // The name is opened during recovery: anything but a recipient file name (a path, say) is refused.
            string fileName = JsonStoreFile.RequiredString(root, "file");
            if (!RecipientAddress.IsFileName(fileName))
            {
                throw new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.StoreFileMissingProperty, "file"));
            }

            return new PendingRecipientChange(
                fileName,
                Guid.Parse(JsonStoreFile.RequiredString(root, "changeId")),
                JsonStoreFile.Required(root, "removed").GetBoolean(),
                AuditLogFile.ReadFields(JsonStoreFile.Required(root, "record")));
        });
}

/// <summary>A recipient change whose audit record may not be in the log yet.</summary>
internal sealed class PendingRecipientChange
{
    public PendingRecipientChange(string fileName, Guid changeId, bool removed, SmimeAuditRecord record)
    {
        FileName = fileName;
        ChangeId = changeId;
        Removed = removed;
        Record = record;
    }

    /// <summary>The recipient's file name in <c>recipients/</c>.</summary>
    public string FileName { get; }

    /// <summary>The id the recipient's file carries once the change is committed.</summary>
    public Guid ChangeId { get; }

    /// <summary>Whether the change deletes the recipient (committed once its file is gone).</summary>
    public bool Removed { get; }

    /// <summary>The change's audit record.</summary>
    public SmimeAuditRecord Record { get; }
}
