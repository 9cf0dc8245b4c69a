#Requires -Version 7.2
<#
.SYNOPSIS
    Measures a bulk publish of users' certificates into an OpenLDAP directory through SmimeAdmin, against ldapmodify
    applying the equivalent LDIF to the same server in the same run.

.DESCRIPTION
    Starts a throwaway slapd (tests/TestSlapd.psm1: mdb, 127.0.0.1, a free port) and creates, untimed, -Users users
    four times over: under ou=source each with a certificate for its address (EC P-256, issued by a generated root),
    and under ou=smimeadmin, ou=publish and ou=floor without one; and a CSV file (Identity, Path) of the certificates
    as .cer files. Then, timed, in one run:

      Publish     `Import-Csv | Publish-UserSmimeCertificate -Attribute UserCertificate` into ou=publish: every
                  certificate read from its file and validated against the organization's collection (CRL checking
                  off) for its user's addresses, and written with userCertificate;binary under an optimistic-concurrency
                  assertion, in batches of 100 rows: one lookup search and one audit entry per batch, the modifies sent
                  over two connections.
      Sync        `Sync-UserSmimeCertificate` from ou=source into ou=smimeadmin: the same validation and writes, with
                  the certificates read from the source directory.
      ldapmodify  one `ldapmodify` process applying an LDIF that replaces userCertificate;binary of every user under
                  ou=floor with the same certificates: the floor, one write per user and nothing else.
      Ratio       each SmimeAdmin rate divided by ldapmodify's, in users per second (target >= 0.5x for Publish).

    It also prints where the processor time went: for Publish and Sync this process's (and of it the time the .NET JIT
    compiler spent compiling, with the number of methods compiled) and slapd's; for ldapmodify slapd's.

    The script checks that both sides wrote -Users certificates and fails otherwise. Nothing else is asserted.

.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Invoke-LdapBenchmark.ps1 -ModulePath ./out/SmimeAdmin/SmimeAdmin.psd1
#>
[CmdletBinding()]
param(
    # The staged manifest, out/SmimeAdmin/SmimeAdmin.psd1.
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # Users published on each side.
    [ValidateRange(10, 100000)]
    [int] $Users = 10000
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchmarkHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../tests/TestSlapd.psm1') -Force
Import-Module $ModulePath

if (-not (Test-SlapdInstalled)) { throw 'slapd and ldap-utils are needed: apt-get install -y slapd ldap-utils' }
$folder = New-TempFolder -Prefix 'smimeadmin-ldap-bench'
$server = Start-TestSlapd -Folder (Join-Path $folder 'slapd') -Port (Get-TestLdapFreePort)
try {
    $credential = [pscredential]::new($server.AdminDn, (ConvertTo-SecureString $server.Password -AsPlainText -Force))
    $names = 1..$Users | ForEach-Object { 'user{0:D6}' -f $_ }

    Write-Host "Generating $Users certificates and three directories of $Users users (not timed)..."
    $rootKey = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    $rootRequest = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Benchmark Root, O=SmimeAdmin', $rootKey, 'SHA256')
    $rootRequest.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $rootRequest.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new('KeyCertSign, CrlSign', $true))
    $root = $rootRequest.CreateSelfSigned([datetime]::UtcNow.AddDays(-1), [datetime]::UtcNow.AddYears(5))
    $userKey = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    $emailProtection = [System.Security.Cryptography.OidCollection]::new()
    $emailProtection.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.4')) | Out-Null
    $certificates = @{}
    foreach ($name in $names) {
        # One key for every user keeps the setup short; the certificates, and so the values written, all differ.
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$name, O=SmimeAdmin", $userKey, 'SHA256')
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new('DigitalSignature', $true))
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($emailProtection, $false))
        $san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $san.AddEmailAddress("$name@contoso.com")
        $request.CertificateExtensions.Add($san.Build())
        $serial = [byte[]]::new(12); [System.Security.Cryptography.RandomNumberGenerator]::Fill($serial); $serial[0] = $serial[0] -band 0x7F
        $certificates[$name] = $request.Create($root, [datetime]::UtcNow.AddDays(-1), [datetime]::UtcNow.AddYears(1), $serial).RawData
    }

    $setup = [System.Text.StringBuilder]::new()
    foreach ($unit in 'source', 'smimeadmin', 'publish', 'floor') {
        [void] $setup.Append("dn: ou=$unit,$($server.BaseDn)`nobjectClass: organizationalUnit`nou: $unit`n`n")
        foreach ($name in $names) {
            [void] $setup.Append("dn: uid=$name,ou=$unit,$($server.BaseDn)`nobjectClass: inetOrgPerson`nuid: $name`ncn: $name`nsn: $name`nmail: $name@contoso.com`n")
            if ($unit -eq 'source') { [void] $setup.Append("userCertificate;binary:: $([Convert]::ToBase64String($certificates[$name]))`n") }
            [void] $setup.Append("`n")
        }
    }
    Invoke-TestLdif -Server $server -Ldif $setup.ToString()

    $userFolder = Join-Path $folder 'users'
    $null = New-Item -ItemType Directory -Path $userFolder
    $csv = Join-Path $folder 'users.csv'
    $rows = foreach ($name in $names) {
        $file = Join-Path $userFolder "$name.cer"
        [IO.File]::WriteAllBytes($file, $certificates[$name])
        "$name@contoso.com,$file"
    }
    Set-Content -LiteralPath $csv -Value (@('Identity,Path') + $rows)

    $floorLdif = Join-Path $folder 'floor.ldif'
    $writer = [System.IO.StreamWriter]::new($floorLdif)
    try {
        foreach ($name in $names) {
            $writer.Write("dn: uid=$name,ou=floor,$($server.BaseDn)`nchangetype: modify`nreplace: userCertificate;binary`nuserCertificate;binary:: $([Convert]::ToBase64String($certificates[$name]))`n-`n`n")
        }
    }
    finally { $writer.Dispose() }

    $source = Connect-SmimeStore -LdapUri $server.Uri -BaseDN "ou=source,$($server.BaseDn)" -Credential $credential -PassThru
    $rootFile = Join-Path $folder 'root.cer'
    [IO.File]::WriteAllBytes($rootFile, $root.RawData)
    foreach ($unit in 'publish', 'smimeadmin') {
        Connect-SmimeStore -LdapUri $server.Uri -BaseDN "ou=$unit,$($server.BaseDn)" -Credential $credential -Organization 'contoso.com'
        Set-SmimeCertificateCollection -Path $rootFile
        Set-SmimeConfig -OWADisableCRLCheck $true
    }

    # Processor time of this process and of slapd, and the JIT compiler's share, taken before and after each command.
    $slapd = [System.Diagnostics.Process]::GetProcessById([int] (Get-Content -Raw $server.PidFile).Trim())
    $processorUse = {
        $slapd.Refresh()
        [pscustomobject]@{
            Process = [System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds
            Jit = [System.Runtime.JitInfo]::GetCompilationTime().TotalSeconds
            JitMethods = [System.Runtime.JitInfo]::GetCompiledMethodCount()
            Slapd = $slapd.TotalProcessorTime.TotalSeconds
        }
    }
    $describeUse = {
        param($name, $before, $after)
        '{0}: this process {1} s of processor time (the JIT compiler {2} s for {3} methods), slapd {4} s.' -f $name,
            (Format-Number ($after.Process - $before.Process)), (Format-Number ($after.Jit - $before.Jit)),
            ($after.JitMethods - $before.JitMethods), (Format-Number ($after.Slapd - $before.Slapd))
    }

    Write-Host 'Timing Publish-UserSmimeCertificate...'
    Connect-SmimeStore -LdapUri $server.Uri -BaseDN "ou=publish,$($server.BaseDn)" -Credential $credential -Organization 'contoso.com'
    $before = & $processorUse
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    Import-Csv -LiteralPath $csv | Publish-UserSmimeCertificate -Attribute UserCertificate
    $watch.Stop()
    $publishUse = & $describeUse 'Publish' $before (& $processorUse)
    $publishSeconds = $watch.Elapsed.TotalSeconds
    Connect-SmimeStore -LdapUri $server.Uri -BaseDN "ou=smimeadmin,$($server.BaseDn)" -Credential $credential -Organization 'contoso.com'

    Write-Host 'Timing Sync-UserSmimeCertificate...'
    $before = & $processorUse
    $watch.Restart()
    $result = Sync-UserSmimeCertificate -Source $source
    $watch.Stop()
    $syncUse = & $describeUse 'Sync' $before (& $processorUse)
    $smimeSeconds = $watch.Elapsed.TotalSeconds
    if ($result.Added -ne $Users -or $result.Failed -ne 0) { throw "Sync wrote $($result.Added) users with $($result.Failed) failures; expected $Users and 0." }

    Write-Host 'Timing ldapmodify...'
    $before = & $processorUse
    $watch.Restart()
    $output = & ldapmodify -x -H $server.Uri -D $server.AdminDn -w $server.Password -f $floorLdif 2>&1
    $watch.Stop()
    $floorSlapdSeconds = (& $processorUse).Slapd - $before.Slapd
    if ($LASTEXITCODE -ne 0) { throw "ldapmodify failed: $($output | Select-Object -Last 3)" }
    $floorSeconds = $watch.Elapsed.TotalSeconds

    $count = { param($unit) @(& ldapsearch -x -LLL -H $server.Uri -D $server.AdminDn -w $server.Password -b "ou=$unit,$($server.BaseDn)" '(userCertificate;binary=*)' dn | Where-Object { $_ -like 'dn:*' }).Count }
    foreach ($unit in 'publish', 'smimeadmin', 'floor') {
        $written = & $count $unit
        if ($written -ne $Users) { throw "ou=$unit has $written users with a certificate; expected $Users." }
    }

    $publishRate = $Users / $publishSeconds
    $smimeRate = $Users / $smimeSeconds
    $floorRate = $Users / $floorSeconds
    $ratio = $publishRate / $floorRate
    @(
        [pscustomobject]@{ Measure = "Publish-UserSmimeCertificate, $Users users"; Seconds = Format-Number $publishSeconds; 'Users/s' = Format-Number $publishRate '0' }
        [pscustomobject]@{ Measure = "Sync-UserSmimeCertificate, $Users users"; Seconds = Format-Number $smimeSeconds; 'Users/s' = Format-Number $smimeRate '0' }
        [pscustomobject]@{ Measure = "ldapmodify (floor), $Users users"; Seconds = Format-Number $floorSeconds; 'Users/s' = Format-Number $floorRate '0' }
    ) | Format-Table -AutoSize | Out-Host
    $verdict = if ($ratio -ge 0.5) { 'PASS' } else { 'MISS' }
    Write-Host ("Publish rate / ldapmodify rate: {0}x (target >= 0.50x): {1}" -f (Format-Number $ratio), $verdict)
    Write-Host ("Sync rate / ldapmodify rate: {0}x (for information)" -f (Format-Number ($smimeRate / $floorRate)))
    Write-Host ("Per user: Publish {0} ms and Sync {1} ms (validation, a share of the batch lookup and audit entry, a guarded modify), ldapmodify {2} ms (one modify)." -f
        (Format-Number (1000 * $publishSeconds / $Users) '0.000'), (Format-Number (1000 * $smimeSeconds / $Users) '0.000'), (Format-Number (1000 * $floorSeconds / $Users) '0.000'))
    Write-Host $publishUse
    Write-Host $syncUse
    Write-Host ('ldapmodify: slapd {0} s of processor time.' -f (Format-Number $floorSlapdSeconds))
}
finally {
    Stop-TestSlapd $server
    Remove-Item -Recurse -Force $folder -ErrorAction Ignore
}
