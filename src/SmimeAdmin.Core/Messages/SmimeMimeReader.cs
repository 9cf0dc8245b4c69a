using System;
using System.Globalization;
using System.IO;
using MimeKit;
using SmimeAdmin.Core.Certificates;

namespace SmimeAdmin.Core.Messages;

/// <summary>Reads a MIME message, refusing input that is not one.</summary>
internal static class SmimeMimeReader
{
    /// <summary>The deepest multipart nesting a message may have; deeper input is not mail anyone sends.</summary>
    private const int MaxMimeDepth = 32;

    /// <summary>How messages and decrypted entities are parsed: MIME nesting bounded.</summary>
    public static ParserOptions Options { get; } = new() { MaxMimeDepth = MaxMimeDepth };

    /// <summary>How messages are written: CRLF line ends, as on the wire and as signatures are computed.</summary>
    public static FormatOptions WireFormat { get; } = CreateWireFormat();

    /// <exception cref="SmimeMessageException">The bytes are not a MIME message (<see cref="SmimeMessageErrorCode.NotMime"/>).</exception>
    public static MimeMessage Load(byte[] content)
    {
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            message = MimeMessage.Load(Options, stream);
        }
        catch (Exception ex) when (ex is FormatException || (ex is not OperationCanceledException && CertificateDer.IsDecodingFailure(ex)))
        {
            throw NotMime(ex.Message, ex);
        }

        if (message.Headers.Count == 0)
        {
            throw NotMime(Strings.MessageNoHeaders, null);
        }

        return message;
    }

    /// <summary>Whether an exception from MimeKit or BouncyCastle, while reading an S/MIME part, means malformed data.</summary>
    public static bool IsMalformed(Exception exception) =>
        exception is not OperationCanceledException and not SmimeMessageException && CertificateDer.IsDecodingFailure(exception);

    private static FormatOptions CreateWireFormat()
    {
        FormatOptions options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }

    private static SmimeMessageException NotMime(string why, Exception? cause) => new(
        SmimeMessageErrorCode.NotMime,
        null,
        string.Format(CultureInfo.CurrentCulture, Strings.MessageNotMime, why),
        cause);
}
