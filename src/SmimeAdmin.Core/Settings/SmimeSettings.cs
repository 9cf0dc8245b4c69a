namespace SmimeAdmin.Core.Settings;

/// <summary>
/// The S/MIME settings of one organization, with Exchange's defaults.
/// </summary>
/// <remarks>
/// Property names, types and defaults match Exchange's SmimeConfig object. The string settings hold the
/// normalized form produced by <see cref="SmimeSettingValidator"/>.
/// </remarks>
public sealed class SmimeSettings
{
    /// <summary>Blocks sending signed or encrypted mail when a CRL distribution point cannot be reached.</summary>
    public bool OWACheckCRLOnSend { get; set; }

    /// <summary>Time limit, in milliseconds, for expanding one distribution group when encrypting.</summary>
    public uint OWADLExpansionTimeout { get; set; } = 60000;

    /// <summary>Also tries the recipient's secondary proxy addresses when finding certificates.</summary>
    public bool OWAUseSecondaryProxiesWhenFindingCertificates { get; set; } = true;

    /// <summary>Time limit, in milliseconds, for connecting to one CRL distribution point.</summary>
    public uint OWACRLConnectionTimeout { get; set; } = 60000;

    /// <summary>Time limit, in milliseconds, for retrieving all CRLs of one validation.</summary>
    public uint OWACRLRetrievalTimeout { get; set; } = 10000;

    /// <summary>Turns off CRL checking during certificate validation.</summary>
    public bool OWADisableCRLCheck { get; set; }

    /// <summary>Signs every outgoing message.</summary>
    public bool OWAAlwaysSign { get; set; }

    /// <summary>Encrypts every outgoing message.</summary>
    public bool OWAAlwaysEncrypt { get; set; }

    /// <summary>Clear-signs (multipart/signed) when true; opaque-signs when false.</summary>
    public bool OWAClearSign { get; set; } = true;

    /// <summary>Includes the certificate chain, without the root, in signed and encrypted messages.</summary>
    public bool OWAIncludeCertificateChainWithoutRootCertificate { get; set; }

    /// <summary>Includes the certificate chain and the root in signed and encrypted messages.</summary>
    public bool OWAIncludeCertificateChainAndRootCertificate { get; set; }

    /// <summary>Encrypts the client's temporary message buffers.</summary>
    public bool OWAEncryptTemporaryBuffers { get; set; } = true;

    /// <summary>Signed mail carries the signing and the encryption certificate.</summary>
    public bool OWASignedEmailCertificateInclusion { get; set; } = true;

    /// <summary>Bcc handling for encrypted mail: 0 one message per Bcc recipient, 1 one for all Bcc recipients, 2 no forking.</summary>
    public uint OWABCCEncryptedEmailForking { get; set; }

    /// <summary>Adds the SMIMECapabilities signed attribute to signed messages.</summary>
    public bool OWAIncludeSMIMECapabilitiesInMessage { get; set; }

    /// <summary>Reserved by Exchange for internal use; kept for parity.</summary>
    public bool OWACopyRecipientHeaders { get; set; }

    /// <summary>Requires smart-card certificates for signing and decryption.</summary>
    public bool OWAOnlyUseSmartCard { get; set; }

    /// <summary>Signs, encrypts and signs again (triple wrap).</summary>
    public bool OWATripleWrapSignedEncryptedMail { get; set; }

    /// <summary>Identifies recipients by subjectKeyIdentifier instead of issuer and serial number.</summary>
    public bool OWAUseKeyIdentifier { get; set; }

    /// <summary>Content-encryption algorithms in order of preference, in Exchange's grammar.</summary>
    public string OWAEncryptionAlgorithms { get; set; } = SmimeAlgorithmList.DefaultEncryption;

    /// <summary>Signing digest algorithms in order of preference, in Exchange's grammar.</summary>
    public string OWASigningAlgorithms { get; set; } = SmimeAlgorithmList.DefaultSigning;

    /// <summary>Requires an outdated S/MIME control to be upgraded before use.</summary>
    public bool OWAForceSMIMEClientUpgrade { get; set; } = true;

    /// <summary>Comma-separated OIDs of the certificate attributes shown when sender and certificate addresses differ.</summary>
    public string OWASenderCertificateAttributesToDisplay { get; set; } = string.Empty;

    /// <summary>Lets the user choose the signing certificate.</summary>
    public bool OWAAllowUserChoiceOfSigningCertificate { get; set; }

    /// <summary>Replies do not inherit the original message's signature (Exchange Online, new Outlook).</summary>
    public bool NoSignOnReply { get; set; } = true;

    /// <summary>Returns an independent copy.</summary>
    public SmimeSettings Clone() => (SmimeSettings)MemberwiseClone();
}
