<#
.SYNOPSIS
    Checks that an organization complies with an S/MIME baseline, with one test per setting so that a failure
    names the setting.

.DESCRIPTION
    The module ships this file in its examples folder: (Get-Module SmimeAdmin).ModuleBase.
    Copy it next to your baseline and run it with Pester 5 or later:

        $data = @{ Baseline = "$PWD/contoso.smime.json"; Organization = 'contoso.com' }
        Invoke-Pester -Container (New-PesterContainer -Path ./Baseline.Tests.ps1 -Data $data) -Output Detailed

    Baseline is a file that Export-SmimeConfig wrote (or one written by hand, see docs/config-format.md), or a
    hashtable of only the settings your team cares about, for example
    @{ OWASigningAlgorithms = '800E;800C'; OWADisableCRLCheck = $false }.
    Organization is optional; without it the session's organization is checked. The store is the session's:
    run Connect-SmimeStore first, or set $env:SMIMEADMIN_STORE.
#>
param(
    [Parameter(Mandatory)]
    [object] $Baseline,

    [string] $Organization
)

BeforeDiscovery {
    # Discovery needs only the names the baseline checks. The file is plain JSON, so it is read without the module.
    $collectionName = 'SMIMECertificateIssuingCA'
    if ($Baseline -is [System.Collections.IDictionary]) {
        $settings = @($Baseline.Keys | Where-Object { $_ -ne $collectionName } | ForEach-Object { @{ Setting = [string] $_ } })
        $checksCollection = $Baseline.Contains($collectionName)
        $recipients = $null
    } else {
        $document = Get-Content -LiteralPath $Baseline -Raw | ConvertFrom-Json
        $settings = @(if ($document.settings) { $document.settings.PSObject.Properties.Name | ForEach-Object { @{ Setting = $_ } } })
        $checksCollection = $null -ne $document.certificateCollection
        $recipients = if ($null -ne $document.recipients) { @($document.recipients | ForEach-Object { @{ Address = $_.address } }) }
    }
}

BeforeAll {
    if (-not (Get-Module SmimeAdmin)) { Import-Module SmimeAdmin -ErrorAction Stop }
    $target = @{}
    if ($Organization) { $target.Identity = $Organization }

    # One comparison for the whole file; each test then looks for its own setting among the differences.
    $differences = @(Test-SmimeConfig @target -Baseline $Baseline)

    function Get-Difference([string] $Name) { $differences | Where-Object Setting -EQ $Name }

    function Format-Value($Value) { if ($Value -is [array]) { '{' + ($Value -join ', ') + '}' } else { "'$Value'" } }
}

Describe 'S/MIME baseline' {
    Context 'Settings' {
        It '<Setting> is as the baseline says' -ForEach $settings {
            $difference = Get-Difference $Setting
            $difference | Should -BeNullOrEmpty -Because ('the baseline expects {0} and the organization has {1}' -f (Format-Value $difference.Expected), (Format-Value $difference.Actual))
        }
    }

    # Sections the baseline leaves out get no tests at all, so the counts show only what was checked.
    if ($checksCollection) {
        Context 'Certificate collection' {
            It 'holds exactly the CA certificates of the baseline' {
                $difference = Get-Difference 'SMIMECertificateIssuingCA'
                $difference | Should -BeNullOrEmpty -Because ('the baseline lists {0} and the organization has {1}' -f (Format-Value $difference.Expected), (Format-Value $difference.Actual))
            }
        }
    }

    if ($null -ne $recipients) {
        Context 'Published recipients' {
            It '<Address> has the certificates of the baseline published' -ForEach $recipients {
                $difference = @(Get-Difference "$($Address):userCertificate") + @(Get-Difference "$($Address):userSMIMECertificate")
                $difference | Should -BeNullOrEmpty -Because (($difference | ForEach-Object { '{0} should be {1}, is {2}' -f $_.Setting, (Format-Value $_.Expected), (Format-Value $_.Actual) }) -join '; ')
            }

            It 'no recipient outside the baseline has certificates published' {
                $listed = @($recipients | ForEach-Object { $_.Address.ToLowerInvariant() })
                $others = @($differences | Where-Object { $_.Setting -match '^(.+):user(SMIME)?Certificate$' -and $Matches[1].ToLowerInvariant() -notin $listed })
                $others.Setting | Should -BeNullOrEmpty
            }
        }
    }
}
