namespace SmimeAdmin.Core.Store;

/// <summary>
/// A proxy address's link file, <c>proxies/&lt;address in lower case&gt;.json</c>, naming the recipient that has the
/// address, so that a lookup by proxy address reads two small files instead of every recipient.
/// </summary>
/// <remarks>
/// A link is written before the recipient that starts listing the address and deleted after the recipient that stops
/// listing it, so every proxy address in a recipient file has its link. A link can outlive its address (a writer was
/// killed in between); readers therefore trust a link only when the recipient it names still lists the address.
/// </remarks>
internal static class ProxyAddressFile
{
    public const string Format = "SmimeAdmin.ProxyAddress";
    public const int SchemaVersion = 1;

    public static byte[] Serialize(string proxyAddress, string primarySmtpAddress) =>
        JsonStoreFile.Write(Format, SchemaVersion, writer =>
        {
            writer.WriteString("proxyAddress", proxyAddress);
            writer.WriteString("primarySmtpAddress", primarySmtpAddress);
        });

    /// <summary>Reads the primary address a link names.</summary>
    /// <exception cref="SmimeStoreCorruptException">The file is not a proxy-address link.</exception>
    public static string Deserialize(byte[] content, string path) =>
        JsonStoreFile.Read(content, path, Format, SchemaVersion, root => RecipientFile.ReadAddress(root, "primarySmtpAddress"));
}
