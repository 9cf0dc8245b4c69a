# Builds throwaway CA hierarchies for the Pester tests with .NET's CertificateRequest (and openssl for a v1 root).
# Imported inside BeforeAll blocks. Keys are generated per run and never written anywhere but the test drive.

using namespace System.Security.Cryptography
using namespace System.Security.Cryptography.X509Certificates

function New-TestRequest {
    # A new RSA-2048 or P-256 key and a SHA-256 certificate request for "CN=<Name>, O=SmimeAdmin Tests".
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [ValidateSet('RSA', 'EC')] [string] $KeyType)
    $subject = "CN=$Name, O=SmimeAdmin Tests"
    if ($KeyType -eq 'RSA') {
        $key = [RSA]::Create(2048)
        return $key, [CertificateRequest]::new($subject, $key, [HashAlgorithmName]::SHA256, [RSASignaturePadding]::Pkcs1)
    }
    $key = [ECDsa]::Create([ECCurve+NamedCurves]::nistP256)
    $key, [CertificateRequest]::new($subject, $key, [HashAlgorithmName]::SHA256)
}

function New-TestCertificate {
    <#
    .SYNOPSIS
        Creates a certificate (with its private key) signed by -Issuer, or self-signed without one.
    #>
    param(
        [Parameter(Mandatory)] [string] $Name,
        [X509Certificate2] $Issuer,
        [switch] $CertificateAuthority,
        [int] $PathLength = -1,
        [datetime] $NotBefore = [datetime]::UtcNow.AddDays(-1),
        [datetime] $NotAfter = [datetime]::UtcNow.AddDays(365),
        [ValidateSet('RSA', 'EC')] [string] $KeyType = 'RSA',
        [string] $Email
    )
    $key, $request = New-TestRequest -Name $Name -KeyType $KeyType

    if ($CertificateAuthority) {
        $request.CertificateExtensions.Add([X509BasicConstraintsExtension]::new($true, $PathLength -ge 0, [Math]::Max($PathLength, 0), $true))
        $request.CertificateExtensions.Add([X509KeyUsageExtension]::new('KeyCertSign, CrlSign', $true))
    } else {
        $request.CertificateExtensions.Add([X509BasicConstraintsExtension]::new($false, $false, 0, $true))
        $request.CertificateExtensions.Add([X509KeyUsageExtension]::new('DigitalSignature, KeyEncipherment', $true))
        $usages = [OidCollection]::new()
        $usages.Add([Oid]::new('1.3.6.1.5.5.7.3.4')) | Out-Null
        $request.CertificateExtensions.Add([X509EnhancedKeyUsageExtension]::new($usages, $false))
    }
    if ($Email) {
        $san = [SubjectAlternativeNameBuilder]::new()
        $san.AddEmailAddress($Email)
        $request.CertificateExtensions.Add($san.Build())
    }
    $request.CertificateExtensions.Add([X509SubjectKeyIdentifierExtension]::new($request.PublicKey, $false))

    if (-not $Issuer) {
        return $request.CreateSelfSigned($NotBefore, $NotAfter)
    }
    $serial = [byte[]]::new(12)
    [RandomNumberGenerator]::Fill($serial)
    $serial[0] = $serial[0] -band 0x7F
    $certificate = $request.Create($Issuer, $NotBefore, $NotAfter, $serial)
    if ($KeyType -eq 'RSA') { [RSACertificateExtensions]::CopyWithPrivateKey($certificate, $key) }
    else { [ECDsaCertificateExtensions]::CopyWithPrivateKey($certificate, $key) }
}

function New-TestVersion1Root {
    <#
    .SYNOPSIS
        Creates an X.509 v1 self-signed root (no extensions) with openssl; returns the certificate.
    #>
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Folder)
    $key = Join-Path $Folder "$Name.key"
    $csr = Join-Path $Folder "$Name.csr"
    $pem = Join-Path $Folder "$Name.pem"
    & openssl req -new -newkey rsa:2048 -nodes -keyout $key -subj "/CN=$Name" -out $csr 2>$null
    & openssl x509 -req -in $csr -signkey $key -days 30 -out $pem 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'openssl could not create the v1 root.' }
    Remove-Item $key, $csr
    [X509Certificate2]::new($pem)
}

function ConvertTo-Pem {
    # PEM text of one or more certificates.
    param([Parameter(Mandatory)] [X509Certificate2[]] $Certificate)
    ($Certificate | ForEach-Object {
        "-----BEGIN CERTIFICATE-----`n" + [Convert]::ToBase64String($_.RawData, 'InsertLineBreaks') + "`n-----END CERTIFICATE-----`n"
    }) -join ''
}

function New-TestUserCertificate {
    <#
    .SYNOPSIS
        Creates an end-entity certificate (with its private key) signed by -Issuer, with the keyUsage, extended key
        usages and CRL distribution points asked for; the issuer's key type may differ from the certificate's.
    #>
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [X509Certificate2] $Issuer,
        [string[]] $Email,
        [datetime] $NotBefore = [datetime]::UtcNow.AddDays(-1),
        [datetime] $NotAfter = [datetime]::UtcNow.AddDays(365),
        [ValidateSet('RSA', 'EC')] [string] $KeyType = 'RSA',
        # The keyUsage bits; None leaves the extension out.
        [X509KeyUsageFlags] $KeyUsage = 'DigitalSignature, KeyEncipherment',
        # Extended key usage OIDs; an empty array leaves the extension out.
        [string[]] $ExtendedKeyUsage = @('1.3.6.1.5.5.7.3.4'),
        # http(s) URLs for the cRLDistributionPoints extension.
        [string[]] $CrlDistributionPoint
    )
    $key, $request = New-TestRequest -Name $Name -KeyType $KeyType

    $request.CertificateExtensions.Add([X509BasicConstraintsExtension]::new($false, $false, 0, $true))
    if ($KeyUsage -ne [X509KeyUsageFlags]::None) {
        $request.CertificateExtensions.Add([X509KeyUsageExtension]::new($KeyUsage, $true))
    }
    if ($ExtendedKeyUsage) {
        $usages = [OidCollection]::new()
        foreach ($oid in $ExtendedKeyUsage) { $usages.Add([Oid]::new($oid)) | Out-Null }
        $request.CertificateExtensions.Add([X509EnhancedKeyUsageExtension]::new($usages, $false))
    }
    if ($Email) {
        $san = [SubjectAlternativeNameBuilder]::new()
        foreach ($address in $Email) { $san.AddEmailAddress($address) }
        $request.CertificateExtensions.Add($san.Build())
    }
    if ($CrlDistributionPoint) {
        $request.CertificateExtensions.Add([CertificateRevocationListBuilder]::BuildCrlDistributionPointExtension([string[]] $CrlDistributionPoint, $false))
    }
    $request.CertificateExtensions.Add([X509SubjectKeyIdentifierExtension]::new($request.PublicKey, $false))
    $request.CertificateExtensions.Add([X509AuthorityKeyIdentifierExtension]::CreateFromCertificate($Issuer, $true, $false))

    $issuerRsa = [RSACertificateExtensions]::GetRSAPrivateKey($Issuer)
    $generator = if ($issuerRsa) { [X509SignatureGenerator]::CreateForRSA($issuerRsa, [RSASignaturePadding]::Pkcs1) }
    else { [X509SignatureGenerator]::CreateForECDsa([ECDsaCertificateExtensions]::GetECDsaPrivateKey($Issuer)) }
    $serial = [byte[]]::new(12)
    [RandomNumberGenerator]::Fill($serial)
    $serial[0] = $serial[0] -band 0x7F
    $certificate = $request.Create($Issuer.SubjectName, $generator, $NotBefore, $NotAfter, $serial)
    if ($KeyType -eq 'RSA') { [RSACertificateExtensions]::CopyWithPrivateKey($certificate, $key) }
    else { [ECDsaCertificateExtensions]::CopyWithPrivateKey($certificate, $key) }
}

function New-TestCrl {
    <#
    .SYNOPSIS
        Returns the DER bytes of a complete CRL signed by -Issuer (which must have its private key), listing the
        certificates given to -Revoked as revoked at -RevokedAt.
    #>
    param(
        [Parameter(Mandatory)] [X509Certificate2] $Issuer,
        [X509Certificate2[]] $Revoked = @(),
        [datetime] $RevokedAt = [datetime]::UtcNow.AddHours(-1),
        [datetime] $ThisUpdate = [datetime]::UtcNow.AddHours(-2),
        [datetime] $NextUpdate = [datetime]::UtcNow.AddDays(7)
    )
    $builder = [CertificateRevocationListBuilder]::new()
    foreach ($certificate in $Revoked) {
        $builder.AddEntry($certificate, [datetimeoffset] $RevokedAt.ToUniversalTime(), [X509RevocationReason]::KeyCompromise)
    }
    $padding = if ([RSACertificateExtensions]::GetRSAPublicKey($Issuer)) { [RSASignaturePadding]::Pkcs1 } else { $null }
    $builder.Build($Issuer, [System.Numerics.BigInteger]::One, [datetimeoffset] $NextUpdate.ToUniversalTime(),
        [HashAlgorithmName]::SHA256, $padding, [datetimeoffset] $ThisUpdate.ToUniversalTime())
}

Export-ModuleMember -Function New-TestCertificate, New-TestVersion1Root, ConvertTo-Pem, New-TestUserCertificate, New-TestCrl
