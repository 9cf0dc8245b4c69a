namespace SmimeAdmin.Core.Certificates;

/// <summary>Upper-case hexadecimal, as Windows shows thumbprints and serial numbers.</summary>
internal static class HexText
{
    private const string Digits = "0123456789ABCDEF";

    public static string Upper(byte[] bytes)
    {
        char[] characters = new char[bytes.Length * 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            characters[2 * i] = Digits[bytes[i] >> 4];
            characters[(2 * i) + 1] = Digits[bytes[i] & 0xF];
        }

        return new string(characters);
    }
}
