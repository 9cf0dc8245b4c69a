using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// The organization's <c>audit.jsonl</c>: one JSON object per line, appended and never rewritten. A line cut short
/// by a killed writer has no newline; readers pass over it and the next writer removes it.
/// </summary>
internal static class AuditLogFile
{
    public const string FileName = "audit.jsonl";
    public const string Format = "SmimeAdmin.AuditRecord";
    public const int SchemaVersion = 1;

    private const byte NewLine = (byte)'\n';
    private const int TailChunk = 4096;

    /// <summary>Appends a record. Call only while holding the organization's lock.</summary>
    public static void Append(string path, SmimeAuditRecord record)
    {
        byte[] line = JsonStoreFile.Write(
            Format,
            SchemaVersion,
            writer =>
            {
                JsonStoreFile.WriteUtcTime(writer, "timeUtc", record.TimeUtc);
                writer.WriteString("organization", record.Organization);
                writer.WriteString("user", record.Context.User);
                writer.WriteString("host", record.Context.Host);
                writer.WriteString("command", record.Context.Command);
                writer.WriteStartArray("changes");
                foreach (SmimeSettingChange change in record.Changes)
                {
                    writer.WriteStartObject();
                    writer.WriteString("property", change.Name);
                    writer.WriteString("oldValue", SmimeSetting.FormatValue(change.OldValue));
                    writer.WriteString("newValue", SmimeSetting.FormatValue(change.NewValue));
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            },
            indented: false);

        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        stream.SetLength(EndOfLastCompleteLine(stream));
        stream.Seek(0, SeekOrigin.End);
        stream.Write(line, 0, line.Length);
        stream.WriteByte(NewLine);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Reads every complete record, oldest first.</summary>
    /// <exception cref="SmimeStoreCorruptException">A complete line is not a record; the message names the line.</exception>
    public static IReadOnlyList<SmimeAuditRecord> Read(string path)
    {
        var records = new List<SmimeAuditRecord>();
        byte[]? content = AtomicFile.ReadIfExists(path);
        if (content is null)
        {
            return records;
        }

        int lineStart = 0;
        int lineNumber = 0;
        for (int index = 0; index < content.Length; index++)
        {
            if (content[index] != NewLine)
            {
                continue;
            }

            lineNumber++;
            var line = new ReadOnlyMemory<byte>(content, lineStart, index - lineStart);
            lineStart = index + 1;
            if (line.Length == 0)
            {
                continue;
            }

            string location = path + ":" + lineNumber.ToString(CultureInfo.InvariantCulture);
            records.Add(JsonStoreFile.Read(line, location, Format, SchemaVersion, ReadRecord));
        }

        return records;
    }

    private static SmimeAuditRecord ReadRecord(JsonElement root)
    {
        var changes = new List<SmimeSettingChange>();
        foreach (JsonElement change in JsonStoreFile.Required(root, "changes").EnumerateArray())
        {
            changes.Add(new SmimeSettingChange(
                JsonStoreFile.RequiredString(change, "property"),
                JsonStoreFile.RequiredString(change, "oldValue"),
                JsonStoreFile.RequiredString(change, "newValue")));
        }

        return new SmimeAuditRecord(
            JsonStoreFile.OptionalUtcTime(root, "timeUtc") ?? throw new FormatException("timeUtc"),
            JsonStoreFile.RequiredString(root, "organization"),
            new SmimeAuditContext(
                JsonStoreFile.RequiredString(root, "user"),
                JsonStoreFile.RequiredString(root, "host"),
                JsonStoreFile.RequiredString(root, "command")),
            changes);
    }

    private static long EndOfLastCompleteLine(FileStream stream)
    {
        long end = stream.Length;
        var buffer = new byte[TailChunk];
        while (end > 0)
        {
            int count = (int)Math.Min(TailChunk, end);
            stream.Seek(end - count, SeekOrigin.Begin);
            int read = 0;
            while (read < count)
            {
                int got = stream.Read(buffer, read, count - read);
                if (got == 0)
                {
                    throw new EndOfStreamException();
                }

                read += got;
            }

            int newLine = Array.LastIndexOf(buffer, NewLine, count - 1, count);
            if (newLine >= 0)
            {
                return end - count + newLine + 1;
            }

            end -= count;
        }

        return 0;
    }
}
