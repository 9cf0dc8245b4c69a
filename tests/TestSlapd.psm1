<#
    A throwaway OpenLDAP server for the tests and benchmarks: slapd.conf, an mdb database and the pid file in a
    temporary folder, listening on 127.0.0.1 at a port of the caller's choice. Debian's slapd and ldap-utils.
#>
Set-StrictMode -Version 3.0

$script:SchemaFolder = '/etc/ldap/schema'
$script:ModuleFolder = '/usr/lib/ldap'

function Get-SlapdPath {
    # /usr/sbin is not on every PATH (CI's environment, a non-login shell).
    $command = Get-Command slapd -ErrorAction Ignore
    if ($command) { return $command.Source }
    if (Test-Path '/usr/sbin/slapd') { return '/usr/sbin/slapd' }
    $null
}

function Test-SlapdInstalled {
    [bool] (Get-SlapdPath) -and [bool] (Get-Command ldapmodify -ErrorAction Ignore) -and
        (Test-Path (Join-Path $script:SchemaFolder 'inetorgperson.schema'))
}

function Start-TestSlapd {
    <#
    .SYNOPSIS
        Starts slapd and creates the base entry and ou=people; returns what a client needs to connect.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Folder,
        [int] $Port = 38900,
        [string] $BaseDn = 'dc=smimeadmin,dc=test',
        # A test password, made per server unless given (a second server may share the first one's).
        [string] $Password = [guid]::NewGuid().ToString('N'),
        # PEM server certificate and key: the server then also listens with TLS (ldaps://) on -TlsPort and offers
        # StartTLS on the plain port.
        [string] $TlsCertificateFile,
        [string] $TlsKeyFile,
        [int] $TlsPort,
        # With a TLS certificate: refuse simple binds without TLS (slapd's security simple_bind=128). The helpers
        # below then bind with StartTLS, trusting -TlsCaFile.
        [switch] $RequireTlsForBind,
        [string] $TlsCaFile
    )
    if (-not (Test-SlapdInstalled)) {
        throw "slapd is not installed: apt-get install -y slapd ldap-utils (Debian's packages)."
    }
    $slapd = Get-SlapdPath
    New-Item -ItemType Directory -Force -Path (Join-Path $Folder 'db') | Out-Null
    $password = $Password
    $adminDn = "cn=admin,$BaseDn"
    $schema = Join-Path $PSScriptRoot 'ldap/directory-user.schema'
    $conf = Join-Path $Folder 'slapd.conf'
    $tls = if ($TlsCertificateFile) { "TLSCertificateFile $TlsCertificateFile`nTLSCertificateKeyFile $TlsKeyFile`n" } else { '' }
    if ($RequireTlsForBind) { $tls += "security simple_bind=128`n" }
    @"
include $script:SchemaFolder/core.schema
include $script:SchemaFolder/cosine.schema
include $script:SchemaFolder/inetorgperson.schema
include $schema
$tls
pidfile $Folder/slapd.pid
argsfile $Folder/slapd.args
modulepath $script:ModuleFolder
moduleload back_mdb
sizelimit unlimited
database mdb
maxsize 1073741824
dbnosync
suffix "$BaseDn"
rootdn "$adminDn"
rootpw $password
directory $Folder/db
index objectClass eq
index mail,uid,userPrincipalName,proxyAddresses eq
access to * by dn.exact="$adminDn" manage by * none
"@ | Set-Content -Path $conf -Encoding utf8NoBOM

    $uri = "ldap://127.0.0.1:$Port"
    $listeners = if ($TlsCertificateFile) { "$uri/ ldaps://127.0.0.1:$TlsPort/" } else { "$uri/" }
    & $slapd -f $conf -h $listeners -s 0 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "slapd did not start (exit code $LASTEXITCODE); check that port $Port is free." }
    $server = [pscustomobject]@{
        Uri = $uri; Port = $Port; BaseDn = $BaseDn; AdminDn = $adminDn; Password = $password
        Folder = $Folder; PidFile = (Join-Path $Folder 'slapd.pid'); Config = $conf; Listeners = $listeners
        RequireTlsForBind = [bool] $RequireTlsForBind; TlsCaFile = $TlsCaFile
    }
    Wait-TestSlapd $server
    $base = ($BaseDn -split ',')[0] -replace '^dc=', ''
    Invoke-TestLdif $server @"
dn: $BaseDn
objectClass: dcObject
objectClass: organization
dc: $base
o: SmimeAdmin tests

dn: ou=people,$BaseDn
objectClass: organizationalUnit
ou: people
"@
    $server
}

function Wait-TestSlapd {
    param([Parameter(Mandatory)] $Server, [int] $Seconds = 20)
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        Invoke-TestLdapTool $Server ldapwhoami @('-x', '-H', $Server.Uri, '-D', $Server.AdminDn, '-w', $Server.Password) | Out-Null
        if ($LASTEXITCODE -eq 0) { return }
        Start-Sleep -Milliseconds 100
    }
    throw "slapd at $($Server.Uri) did not answer within $Seconds s."
}

function Restart-TestSlapd {
    # Starts a stopped server again on its configuration and database.
    param([Parameter(Mandatory)] $Server)
    & (Get-SlapdPath) -f $Server.Config -h $Server.Listeners -s 0 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "slapd did not start again (exit code $LASTEXITCODE)." }
    Wait-TestSlapd $Server
}

function Stop-TestSlapd {
    # Stops the server and waits for it to exit; -Kill sends SIGKILL (a crash) instead of SIGTERM.
    param([Parameter(Mandatory)] $Server, [switch] $Kill)
    if (-not (Test-Path $Server.PidFile)) { return }
    $id = [int] (Get-Content -Raw $Server.PidFile).Trim()
    $process = Get-Process -Id $id -ErrorAction Ignore
    if ($process) {
        & kill $(if ($Kill) { '-KILL' } else { '-TERM' }) $id
        if (-not $process.WaitForExit(20000)) { & kill -KILL $id; $process.WaitForExit(5000) | Out-Null }
    }
    Remove-Item $Server.PidFile -ErrorAction Ignore
}

function Invoke-TestLdif {
    # Applies LDIF (changetype add by default) as the admin with ldapmodify.
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $Ldif, [switch] $Modify)
    $file = [System.IO.Path]::GetTempFileName()
    try {
        Set-Content -Path $file -Value $Ldif -Encoding utf8NoBOM
        $arguments = @('-x', '-H', $Server.Uri, '-D', $Server.AdminDn, '-w', $Server.Password, '-f', $file)
        if (-not $Modify) { $arguments = @('-a') + $arguments }
        $output = Invoke-TestLdapTool $Server ldapmodify $arguments
        if ($LASTEXITCODE -ne 0) { throw "ldapmodify failed ($LASTEXITCODE): $output" }
    }
    finally {
        Remove-Item $file -ErrorAction Ignore
    }
}

function Invoke-TestLdapTool {
    # Runs an ldap-utils tool against the server, with StartTLS (-ZZ) when the server refuses clear-text binds.
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $Tool, [Parameter(Mandatory)] [string[]] $Arguments)
    $tlsOnly = $Server.PSObject.Properties['RequireTlsForBind'] -and $Server.RequireTlsForBind
    if (-not $tlsOnly) { return & $Tool @Arguments 2>&1 }
    $previous = $env:LDAPTLS_CACERT
    try {
        $env:LDAPTLS_CACERT = $Server.TlsCaFile
        & $Tool -ZZ @Arguments 2>&1
    }
    finally {
        $env:LDAPTLS_CACERT = $previous
    }
}

function Get-TestLdapFreePort {
    # A port nobody listens on now, from the ephemeral range the kernel hands out.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

Export-ModuleMember -Function Test-SlapdInstalled, Start-TestSlapd, Stop-TestSlapd, Restart-TestSlapd, Wait-TestSlapd, Invoke-TestLdif, Invoke-TestLdapTool, Get-TestLdapFreePort
