# Exchange's SmimeConfig facts that the tests hold SmimeAdmin to, restated from the parity reference
# (shared/reference/exchange-smime.md, sections 1 and 3). Kept apart from the code under test on purpose.
@{
    # Every S/MIME setting: its .NET type and Exchange's default, in the declaration order of Exchange's object.
    Settings = @(
        @{ Name = 'OWACheckCRLOnSend'; Type = 'Boolean'; Default = $false }
        @{ Name = 'OWADLExpansionTimeout'; Type = 'UInt32'; Default = 60000 }
        @{ Name = 'OWAUseSecondaryProxiesWhenFindingCertificates'; Type = 'Boolean'; Default = $true }
        @{ Name = 'OWACRLConnectionTimeout'; Type = 'UInt32'; Default = 60000 }
        @{ Name = 'OWACRLRetrievalTimeout'; Type = 'UInt32'; Default = 10000 }
        @{ Name = 'OWADisableCRLCheck'; Type = 'Boolean'; Default = $false }
        @{ Name = 'OWAAlwaysSign'; Type = 'Boolean'; Default = $false }
        @{ Name = 'OWAAlwaysEncrypt'; Type = 'Boolean'; Default = $false }
        @{ Name = 'OWAClearSign'; Type = 'Boolean'; Default = $true }
        @{ Name = 'OWAIncludeCertificateChainWithoutRootCertificate'; Type = 'Boolean'; Default = $false }
        @{ Name = 'OWAIncludeCertificateChainAndRootCertificate'; Type = 'Boolean'; Default = $false }
        @{ Name = 'OWAEncryptTemporaryBuffers'; Type = 'Boolean'; Default = $true }
        @{ Name = 'OWASignedEmailCertificateInclusion'; Type = 'Boolean'; Default = $true }
        @{ Name = 'OWABCCEncryptedEmailForking'; Type = 'UInt32'; Default = 0 }
        @{ Name = 'OWAIncludeSMIMECapabilitiesInMessage'; Type = 'Boolean'; Default = $false }
        @{ Name = 'OWACopyRecipientHeaders'; Type = 'Boolean'; Default = $false }
        @{ Name = 'OWAOnlyUseSmartCard'; Type = 'Boolean'; Default = $false }
        @{ Name = 'OWATripleWrapSignedEncryptedMail'; Type = 'Boolean'; Default = $false }
        @{ Name = 'OWAUseKeyIdentifier'; Type = 'Boolean'; Default = $false }
        @{ Name = 'OWAEncryptionAlgorithms'; Type = 'String'; Default = '6610' }
        @{ Name = 'OWASigningAlgorithms'; Type = 'String'; Default = '8004' }
        @{ Name = 'OWAForceSMIMEClientUpgrade'; Type = 'Boolean'; Default = $true }
        @{ Name = 'OWASenderCertificateAttributesToDisplay'; Type = 'String'; Default = '' }
        @{ Name = 'OWAAllowUserChoiceOfSigningCertificate'; Type = 'Boolean'; Default = $false }
        @{ Name = 'NoSignOnReply'; Type = 'Boolean'; Default = $true }
    )

    # The properties Get-SmimeConfig shows, in Exchange's order: the settings, the collection fields, then the
    # generic object properties.
    PropertyOrder = @(
        'OWACheckCRLOnSend', 'OWADLExpansionTimeout', 'OWAUseSecondaryProxiesWhenFindingCertificates',
        'OWACRLConnectionTimeout', 'OWACRLRetrievalTimeout', 'OWADisableCRLCheck', 'OWAAlwaysSign', 'OWAAlwaysEncrypt',
        'OWAClearSign', 'OWAIncludeCertificateChainWithoutRootCertificate', 'OWAIncludeCertificateChainAndRootCertificate',
        'OWAEncryptTemporaryBuffers', 'OWASignedEmailCertificateInclusion', 'OWABCCEncryptedEmailForking',
        'OWAIncludeSMIMECapabilitiesInMessage', 'OWACopyRecipientHeaders', 'OWAOnlyUseSmartCard',
        'OWATripleWrapSignedEncryptedMail', 'OWAUseKeyIdentifier', 'OWAEncryptionAlgorithms', 'OWASigningAlgorithms',
        'OWAForceSMIMEClientUpgrade', 'OWASenderCertificateAttributesToDisplay', 'OWAAllowUserChoiceOfSigningCertificate',
        'SMIMECertificateIssuingCA', 'SMIMECertificatesExpiryDate', 'SMIMEExpiredCertificateThumbprint', 'NoSignOnReply',
        'AdminDisplayName', 'ExchangeVersion', 'Name', 'DistinguishedName', 'Identity', 'Guid', 'ObjectCategory',
        'ObjectClass', 'WhenChanged', 'WhenCreated', 'WhenChangedUTC', 'WhenCreatedUTC', 'OrganizationId', 'Id',
        'OriginatingServer', 'IsValid', 'ObjectState'
    )
}
