using System;
using Org.BouncyCastle.Utilities;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// BouncyCastle's limits (ASN.1 depth and length, key sizes, lenient encodings) as this process started with them,
/// pinned per thread.
/// </summary>
/// <remarks>
/// BouncyCastle reads each limit from a thread property, else from the environment variable of the same name, every
/// time it needs it: for every ASN.1 stream and every integer it decodes. Reading the environment is slow on Unix, and
/// those reads cost more than the rest of decoding a certificate. Pinning sets each limit as a thread property, to the
/// environment's value when the process first needed it, or to an empty value, which BouncyCastle reads as not set
/// (its parsers take the default), so that the results are the same as without it.
/// </remarks>
internal static class BouncyCastleProperties
{
    // The limits the certificate, CMS and key code reads; every one is read with TryGetInt32/GetBoolean, which take an
    // empty value as not set.
    private static readonly string[] s_names =
    {
        Properties.Asn1AllowUnsafeInteger, Properties.Asn1MaxDepth, Properties.Asn1MaxLimit,
        Properties.ECFpMaxSize, Properties.ECFpCertainty, Properties.ECF2mMaxSize,
        Properties.RsaMaxSize, Properties.RsaAllowUnsafeModulus, Properties.DsaMaxSize, Properties.DHMaxSize,
        Properties.X509AllowNonDerTbsCertificate, Properties.X509MaxPolicyNodes,
        Properties.Pkcs1NotStrict, Properties.CmsAllowLenientRsaPkcs1,
    };

    private static readonly Lazy<string[]> s_values = new(() => Array.ConvertAll(s_names, name => Environment.GetEnvironmentVariable(name) ?? string.Empty));

    [ThreadStatic]
    private static bool t_pinned;

    /// <summary>Pins the limits on the calling thread, once; a limit the thread already set is left as it is.</summary>
    public static void PinForThisThread()
    {
        if (t_pinned)
        {
            return;
        }

        string[] values = s_values.Value;
        for (int i = 0; i < s_names.Length; i++)
        {
            if (Properties.GetThreadProperty(s_names[i]) is null)
            {
                Properties.SetThreadProperty(s_names[i], values[i]);
            }
        }

        t_pinned = true;
    }
}
