using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Messages;

/// <summary>The private keys that may open encrypted messages: every key entry of a PKCS #12 file, with its certificate.</summary>
/// <remarks>The keys live only in memory; nothing in SmimeAdmin writes them anywhere.</remarks>
public sealed class SmimeDecryptionKeys
{
    private SmimeDecryptionKeys(IReadOnlyList<(BcX509Certificate Certificate, AsymmetricKeyParameter Key)> keys) => Keys = keys;

    /// <summary>How many keys there are.</summary>
    public int Count => Keys.Count;

    internal IReadOnlyList<(BcX509Certificate Certificate, AsymmetricKeyParameter Key)> Keys { get; }

    /// <summary>Reads every private key of a PKCS #12 (.pfx) file.</summary>
    /// <param name="content">The file content.</param>
    /// <param name="password">The password; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificatePasswordException">The file does not open with the password.</exception>
    /// <exception cref="CertificateFormatException">The file is not PKCS #12.</exception>
    /// <exception cref="SmimeMessageException">The file holds no private key (<see cref="SmimeMessageErrorCode.NoDecryptionKey"/>).</exception>
    public static SmimeDecryptionKeys FromPkcs12(byte[] content, string? password)
    {
        Pkcs12Store store = UserCertificateFile.LoadPkcs12(content ?? throw new ArgumentNullException(nameof(content)), password);
        var keys = new List<(BcX509Certificate, AsymmetricKeyParameter)>();
        foreach (string alias in store.Aliases.ToList())
        {
            if (store.IsKeyEntry(alias) && store.GetCertificate(alias) is X509CertificateEntry entry)
            {
                keys.Add((entry.Certificate, store.GetKey(alias).Key));
            }
        }

        if (keys.Count == 0)
        {
            throw new SmimeMessageException(SmimeMessageErrorCode.NoDecryptionKey, null, Strings.MessageDecryptionNoKeyInFile);
        }

        return new SmimeDecryptionKeys(keys);
    }
}
