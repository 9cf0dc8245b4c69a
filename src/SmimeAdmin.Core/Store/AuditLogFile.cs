using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// The organization's <c>audit.jsonl</c>: one JSON object per line, appended and never rewritten. A line cut short
/// by a killed writer has no newline; readers pass over it and the next writer removes it.
/// </summary>
/// <remarks>
/// Each record carries the configuration revision it produced. The configuration file keeps a copy of its last
/// record, so a writer killed after saving the configuration but before appending here loses nothing: the next
/// writer appends the missing record first, and readers add it in the meantime (<see cref="Complete"/>).
/// </remarks>
internal static class AuditLogFile
{
    public const string FileName = "audit.jsonl";
    public const string Format = "SmimeAdmin.AuditRecord";
    public const int SchemaVersion = 1;

    private const byte NewLine = (byte)'\n';
    private const int TailChunk = 4096;

    /// <summary>
    /// Opens the log for appending: cuts off a line a killed writer left unfinished and reads the last record's
    /// revision, so that a damaged log is found before anything else is written. Call only while holding the
    /// organization's lock.
    /// </summary>
    /// <exception cref="SmimeStoreCorruptException">The last complete line is not a record.</exception>
    public static Appender OpenForAppend(string path) => new(path);

    /// <summary>Reads every complete record, oldest first.</summary>
    /// <exception cref="SmimeStoreCorruptException">A complete line is not a record; the message names the line.</exception>
    public static List<SmimeAuditRecord> Read(string path)
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
            if (line.Length > 0)
            {
                records.Add(ParseLine(line, path + ":" + lineNumber.ToString(CultureInfo.InvariantCulture)));
            }
        }

        return records;
    }

    /// <summary>Adds the configuration's last record when a killed writer left it out of the log.</summary>
    public static void Complete(List<SmimeAuditRecord> records, SmimeOrganizationConfig config)
    {
        if (config.LastChange is SmimeAuditRecord last && (records.Count == 0 || records[records.Count - 1].Revision < last.Revision))
        {
            records.Add(last);
        }
    }

    /// <summary>Writes a record's fields (without the format header) into an open JSON object.</summary>
    public static void WriteFields(Utf8JsonWriter writer, SmimeAuditRecord record)
    {
        writer.WriteNumber("revision", record.Revision);
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
    }

    /// <summary>Reads the fields <see cref="WriteFields"/> wrote.</summary>
    public static SmimeAuditRecord ReadFields(JsonElement element)
    {
        var changes = new List<SmimeSettingChange>();
        foreach (JsonElement change in JsonStoreFile.Required(element, "changes").EnumerateArray())
        {
            changes.Add(new SmimeSettingChange(
                JsonStoreFile.RequiredString(change, "property"),
                JsonStoreFile.RequiredString(change, "oldValue"),
                JsonStoreFile.RequiredString(change, "newValue")));
        }

        return new SmimeAuditRecord(
            JsonStoreFile.Required(element, "revision").GetInt64(),
            JsonStoreFile.OptionalUtcTime(element, "timeUtc")
                ?? throw new KeyNotFoundException(string.Format(CultureInfo.CurrentCulture, Strings.StoreFileMissingProperty, "timeUtc")),
            JsonStoreFile.RequiredString(element, "organization"),
            new SmimeAuditContext(
                JsonStoreFile.RequiredString(element, "user"),
                JsonStoreFile.RequiredString(element, "host"),
                JsonStoreFile.RequiredString(element, "command")),
            changes);
    }

    private static SmimeAuditRecord ParseLine(ReadOnlyMemory<byte> line, string location) =>
        JsonStoreFile.Read(line, location, Format, SchemaVersion, ReadFields);

    // Finds where the last complete line ends (a torn line after it is cut off) and that line's revision.
    private static long EndOfLastCompleteLine(FileStream stream, out long lastRevision)
    {
        lastRevision = 0;
        long lastNewLine = LastNewLineBefore(stream, stream.Length);
        if (lastNewLine < 0)
        {
            return 0;
        }

        long lineStart = LastNewLineBefore(stream, lastNewLine) + 1;
        var line = new byte[lastNewLine - lineStart];
        stream.Seek(lineStart, SeekOrigin.Begin);
        ReadExactly(stream, new ArraySegment<byte>(line));
        if (line.Length > 0)
        {
            lastRevision = ParseLine(line, stream.Name).Revision;
        }

        return lastNewLine + 1;
    }

    // The position of the last newline before 'before', or -1; reads backwards in chunks.
    private static long LastNewLineBefore(FileStream stream, long before)
    {
        var buffer = new byte[TailChunk];
        long end = before;
        while (end > 0)
        {
            int count = (int)Math.Min(TailChunk, end);
            stream.Seek(end - count, SeekOrigin.Begin);
            ReadExactly(stream, new ArraySegment<byte>(buffer, 0, count));
            int index = Array.LastIndexOf(buffer, NewLine, count - 1, count);
            if (index >= 0)
            {
                return end - count + index;
            }

            end -= count;
        }

        return -1;
    }

    private static void ReadExactly(FileStream stream, ArraySegment<byte> target)
    {
        int read = 0;
        while (read < target.Count)
        {
            int count = stream.Read(target.Array!, target.Offset + read, target.Count - read);
            if (count == 0)
            {
                throw new EndOfStreamException();
            }

            read += count;
        }
    }

    /// <summary>An audit log opened for appending, positioned after its last complete line.</summary>
    internal sealed class Appender : IDisposable
    {
        private readonly FileStream _stream;
        private readonly long _lastRevision;

        internal Appender(string path)
        {
            _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            try
            {
                long end = EndOfLastCompleteLine(_stream, out _lastRevision);
                _stream.SetLength(end);
                _stream.Seek(end, SeekOrigin.Begin);
            }
            catch
            {
                _stream.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Appends <paramref name="record"/>, first appending <paramref name="previous"/> when a killed writer
        /// left it out, and flushes both to disk.
        /// </summary>
        public void Append(SmimeAuditRecord? previous, SmimeAuditRecord record)
        {
            if (previous is not null && previous.Revision > _lastRevision)
            {
                WriteLine(previous);
            }

            WriteLine(record);
            _stream.Flush(flushToDisk: true);
        }

        public void Dispose() => _stream.Dispose();

        private void WriteLine(SmimeAuditRecord record)
        {
            byte[] line = JsonStoreFile.Write(Format, SchemaVersion, writer => WriteFields(writer, record), indented: false);
            _stream.Write(line, 0, line.Length);
            _stream.WriteByte(NewLine);
        }
    }
}
