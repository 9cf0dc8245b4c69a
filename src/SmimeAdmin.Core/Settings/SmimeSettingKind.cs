namespace SmimeAdmin.Core.Settings;

/// <summary>The value kinds a setting can have; each kind has its own validation.</summary>
public enum SmimeSettingKind
{
    /// <summary>A <see cref="bool"/>.</summary>
    Boolean,

    /// <summary>A <see cref="uint"/>, optionally limited to a range.</summary>
    WholeNumber,

    /// <summary>A list of content-encryption algorithms in Exchange's grammar.</summary>
    EncryptionAlgorithmList,

    /// <summary>A list of signing digest algorithms in Exchange's grammar.</summary>
    SigningAlgorithmList,

    /// <summary>A comma-separated list of object identifiers.</summary>
    OidList,
}
