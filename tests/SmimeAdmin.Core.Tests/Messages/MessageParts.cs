using System.IO;
using System.Linq;
using MimeKit;
using MimeKit.Cryptography;

namespace SmimeAdmin.Core.Tests.Messages;

/// <summary>Reads the S/MIME part of a protected message back, for assertions on what the CMS data holds.</summary>
internal static class MessageParts
{
    public static MimeMessage Load(byte[] message) => MimeMessage.Load(new MemoryStream(message));

    /// <summary>The DER CMS of the message's signature (clear) or of its pkcs7-mime body (opaque, encrypted).</summary>
    public static byte[] Cms(byte[] message)
    {
        MimeEntity body = Load(message).Body!;
        MimePart part = body is MultipartSigned signed ? signed.OfType<ApplicationPkcs7Signature>().Single() : (MimePart)body;
        using var output = new MemoryStream();
        part.Content!.DecodeTo(output);
        return output.ToArray();
    }
}
