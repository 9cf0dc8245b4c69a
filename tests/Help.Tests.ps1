BeforeDiscovery {
    # Names only, read from files: the module is imported in BeforeAll, never at discovery.
    $cmdlets = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../SmimeAdmin.psd1')).CmdletsToExport
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $manifestPath = Get-TestModulePath
    Import-Module $manifestPath -Force
    $docsFolder = Join-Path $PSScriptRoot '../docs'
    $helpFolder = Join-Path (Split-Path $manifestPath) 'en-US'
    $mamlPath = Join-Path $helpFolder 'SmimeAdmin.dll-Help.xml'
    $ignoredParameters = [System.Management.Automation.PSCmdlet]::CommonParameters
    # The ids ErrorMap gives every ErrorRecord the module writes; each page's NOTES lists those its cmdlet can emit.
    $errorIds = [SmimeAdmin.SmimeConfig].Assembly.GetType('SmimeAdmin.ErrorMap', $true).GetFields([System.Reflection.BindingFlags] 'Public, NonPublic, Static') |
        Where-Object IsLiteral | ForEach-Object { $_.GetRawConstantValue() }
    $pageSections = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'

    function Get-DocPageName {
        # Cmdlet pages are docs/Verb-Noun.md, as build.ps1 compiles them; other markdown in docs/ is not help.
        Get-ChildItem -Path $docsFolder -Filter '*.md' | Where-Object Name -CMatch '^[A-Z][A-Za-z]*-[A-Z][A-Za-z0-9]*\.md$' |
            ForEach-Object BaseName
    }

    function Read-HelpPage {
        <#
        .SYNOPSIS
            Splits a platyPS schema 2.0.0 page into its front matter, '##' sections and their '###' entries, with each
            entry's yaml blocks read as key/value tables (the only yaml the schema has).
        #>
        param([Parameter(Mandatory)] [string] $Path)
        $page = [pscustomobject]@{ FrontMatter = @{}; Title = $null; Sections = [ordered]@{} }
        $lines = (Get-Content -Raw -LiteralPath $Path) -split '\r?\n'
        $index = 0
        if ($lines[0] -eq '---') {
            for ($index = 1; $index -lt $lines.Count -and $lines[$index] -ne '---'; $index++) {
                if ($lines[$index] -match '^([^:]+):\s*(.*)$') { $page.FrontMatter[$Matches[1].Trim()] = $Matches[2].Trim() }
            }
            $index++
        }
        $section = $null
        $entry = $null
        $fence = $null
        for (; $index -lt $lines.Count; $index++) {
            $line = $lines[$index]
            if ($fence) {
                if ($line -match '^\s*(```+|~~~+)\s*$' -and $Matches[1].StartsWith($fence.Marker)) {
                    $target = if ($entry) { $entry } else { $section }
                    if ($fence.Info -eq 'yaml') { $target.Yaml.Add($fence.Values) } else { $target.Code.Add($fence.Lines -join "`n") }
                    $fence = $null
                }
                elseif ($fence.Info -eq 'yaml' -and $line -match '^([^:]+):\s*(.*)$') { $fence.Values[$Matches[1].Trim()] = $Matches[2].Trim() }
                else { $fence.Lines.Add($line) }
                continue
            }
            if ($line -match '^\s*(```+|~~~+)\s*(\S*)') {
                $fence = @{ Marker = $Matches[1]; Info = $Matches[2]; Lines = [System.Collections.Generic.List[string]]::new(); Values = [ordered]@{} }
                continue
            }
            if ($line -match '^# (.+)$') { $page.Title = $Matches[1].Trim(); continue }
            if ($line -match '^## (.+)$') {
                $section = [pscustomobject]@{ Text = [System.Collections.Generic.List[string]]::new(); Code = [System.Collections.Generic.List[string]]::new()
                    Yaml = [System.Collections.Generic.List[object]]::new(); Entries = [System.Collections.Generic.List[object]]::new() }
                $page.Sections[$Matches[1].Trim()] = $section
                $entry = $null
                continue
            }
            if ($line -match '^### (.+)$' -and $section) {
                $entry = [pscustomobject]@{ Title = $Matches[1].Trim(); Text = [System.Collections.Generic.List[string]]::new()
                    Code = [System.Collections.Generic.List[string]]::new(); Yaml = [System.Collections.Generic.List[object]]::new() }
                $section.Entries.Add($entry)
                continue
            }
            if ($line.Trim() -and $section) {
                $target = if ($entry) { $entry } else { $section }
                $target.Text.Add($line.Trim())
            }
        }
        $page
    }

    function ConvertTo-PipelineInput {
        # Exactly what platyPS writes for a parameter's pipeline attributes.
        param([System.Management.Automation.ParameterSetMetadata] $Set)
        $kinds = @(if ($Set.ValueFromPipelineByPropertyName) { 'ByPropertyName' }; if ($Set.ValueFromPipeline) { 'ByValue' })
        if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
    }

    function Get-ParameterDrift {
        <#
        .SYNOPSIS
            Every difference between a cmdlet's parameter metadata and its page's PARAMETERS yaml, one line each, as
            platyPS's Update-MarkdownHelp would find them.
        #>
        param([Parameter(Mandatory)] $Command, [Parameter(Mandatory)] $Page)
        $setNames = @($Command.ParameterSets.Name)
        $documented = @{}
        foreach ($entry in $Page.Sections['PARAMETERS'].Entries | Where-Object Title -like '-*') { $documented[$entry.Title.Substring(1)] = $entry }
        $parameters = @($Command.Parameters.Values | Where-Object Name -notin $ignoredParameters)

        foreach ($name in $documented.Keys | Where-Object { $_ -notin $parameters.Name } | Sort-Object) {
            "-${name}: documented, but the cmdlet has no such parameter"
        }
        foreach ($parameter in $parameters | Sort-Object Name) {
            $label = "-$($parameter.Name)"
            $entry = $documented[$parameter.Name]
            if (-not $entry) { "${label}: the cmdlet has it, but the page does not document it"; continue }
            if (-not $entry.Yaml.Count) { "${label}: no yaml block"; continue }

            $type = $parameter.ParameterType
            if ($type.IsGenericType -and $type.GetGenericTypeDefinition() -eq [Nullable`1]) { $type = $type.GenericTypeArguments[0] }
            $typeNames = @($type.Name, $type.FullName) + @(if ($type -eq [switch]) { 'switch' })
            foreach ($yaml in $entry.Yaml) {
                if ($yaml['Type'] -notin $typeNames) { "${label}: Type is '$($yaml['Type'])' in docs, $($type.Name) ($($type.FullName)) in the cmdlet" }
                $aliases = @("$($yaml['Aliases'])".Split(',').Trim() | Where-Object { $_ })
                if ((@($aliases | Sort-Object) -join ', ') -ne (@($parameter.Aliases | Sort-Object) -join ', ')) {
                    "${label}: Aliases are '$($aliases -join ', ')' in docs, '$($parameter.Aliases -join ', ')' in the cmdlet"
                }
                $wildcards = [bool] ($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                if ("$($yaml['Accept wildcard characters'])" -ne "$wildcards") {
                    "${label}: Accept wildcard characters is '$($yaml['Accept wildcard characters'])' in docs, $wildcards in the cmdlet"
                }
            }

            # Each parameter set the cmdlet puts the parameter in, with the yaml block that documents it.
            $cmdletSets = if ($parameter.ParameterSets.ContainsKey('__AllParameterSets')) { $setNames } else { @($parameter.ParameterSets.Keys) }
            $docSets = @{}
            foreach ($yaml in $entry.Yaml) {
                $names = if ($yaml['Parameter Sets'] -eq '(All)') { $setNames } else { "$($yaml['Parameter Sets'])".Split(',').Trim() | Where-Object { $_ } }
                foreach ($name in $names) { $docSets[$name] = $yaml }
            }
            $missing = @($cmdletSets | Where-Object { -not $docSets.ContainsKey($_) } | Sort-Object)
            $extra = @($docSets.Keys | Where-Object { $_ -notin $cmdletSets } | Sort-Object)
            if ($missing -or $extra) {
                "${label}: Parameter Sets are '$(@($docSets.Keys | Sort-Object) -join ', ')' in docs, '$(@($cmdletSets | Sort-Object) -join ', ')' in the cmdlet"
            }
            foreach ($setName in $cmdletSets | Where-Object { $docSets.ContainsKey($_) }) {
                $yaml = $docSets[$setName]
                $set = if ($parameter.ParameterSets.ContainsKey($setName)) { $parameter.ParameterSets[$setName] } else { $parameter.ParameterSets['__AllParameterSets'] }
                $position = if ($set.Position -lt 0) { 'Named' } else { "$($set.Position)" }
                $pipeline = ConvertTo-PipelineInput $set
                $where = if ($setNames.Count -gt 1) { " in set $setName" } else { '' }
                if ("$($yaml['Required'])" -ne "$($set.IsMandatory)") { "${label}${where}: Required is '$($yaml['Required'])' in docs, $($set.IsMandatory) in the cmdlet" }
                if ("$($yaml['Position'])" -ne $position) { "${label}${where}: Position is '$($yaml['Position'])' in docs, $position in the cmdlet" }
                if ("$($yaml['Accept pipeline input'])" -ne $pipeline) { "${label}${where}: Accept pipeline input is '$($yaml['Accept pipeline input'])' in docs, $pipeline in the cmdlet" }
            }
        }
    }
}

Describe 'The pages in docs/' {
    It 'include one for every exported cmdlet' {
        $pages = @(Get-DocPageName)
        (Get-Command -Module SmimeAdmin).Name | Where-Object { $_ -cnotin $pages } | Should -BeNullOrEmpty -Because 'each cmdlet needs docs/<Verb-Noun>.md'
    }

    It 'document only cmdlets the module exports' {
        $exported = @((Get-Command -Module SmimeAdmin).Name)
        Get-DocPageName | Where-Object { $_ -cnotin $exported } | Should -BeNullOrEmpty -Because 'a page without a cmdlet is stale'
    }

    It 'include about_SmimeAdmin.md in the about schema' {
        $topic = Join-Path $docsFolder 'about_SmimeAdmin.md'
        $topic | Should -Exist
        $about = Read-HelpPage $topic
        $sections = @($about.Sections.Keys)
        $about.Title | Should -BeExactly 'about_SmimeAdmin'
        $sections[0] | Should -BeExactly 'SHORT DESCRIPTION'
        $sections[1] | Should -BeExactly 'LONG DESCRIPTION'
        $sections | Should -Contain 'SEE ALSO'
    }
}

Describe '<_>' -ForEach $cmdlets {
    BeforeAll {
        $name = $_
        $command = Get-Command -Module SmimeAdmin -Name $name
        $pagePath = Join-Path $docsFolder "$name.md"
        $page = if (Test-Path $pagePath) { Read-HelpPage $pagePath }
    }

    Context 'its page' {
        It 'exists as docs/<_>.md' {
            $pagePath | Should -Exist
        }

        It 'has the front matter, title and sections of platyPS schema 2.0.0, in order' {
            $page.FrontMatter['external help file'] | Should -BeExactly 'SmimeAdmin.dll-Help.xml'
            $page.FrontMatter['Module Name'] | Should -BeExactly 'SmimeAdmin'
            $page.FrontMatter['schema'] | Should -BeExactly '2.0.0'
            $page.Title | Should -BeExactly $name
            @($page.Sections.Keys | Where-Object { $_ -ne 'ALIASES' }) | Should -Be $pageSections
        }

        It 'has a SYNTAX entry for each parameter set, the default one marked' {
            $entries = @($page.Sections['SYNTAX'].Entries.Title)
            if ($command.ParameterSets.Count -gt 1) {
                $expected = foreach ($set in $command.ParameterSets) { if ($set.IsDefault) { "$($set.Name) (Default)" } else { $set.Name } }
                $entries | Sort-Object | Should -Be ($expected | Sort-Object)
            }
            @($page.Sections['SYNTAX'].Code) + @($page.Sections['SYNTAX'].Entries.Code) | Should -HaveCount $command.ParameterSets.Count
        }

        It 'documents every parameter with the metadata the cmdlet declares' {
            Get-ParameterDrift -Command $command -Page $page | Should -BeNullOrEmpty
        }

        It 'has at least two examples, each with code' {
            $examples = @($page.Sections['EXAMPLES'].Entries)
            $examples.Count | Should -BeGreaterOrEqual 2
            $examples | Where-Object { -not $_.Code.Count } | ForEach-Object Title | Should -BeNullOrEmpty
        }

        It 'lists in NOTES the error ids the cmdlet can write' {
            $notes = $page.Sections['NOTES'].Text -join ' '
            $errorIds | Where-Object { $notes -cmatch "\b$_\b" } | Should -Not -BeNullOrEmpty -Because "NOTES should name ids such as $($errorIds[0..2] -join ', ')"
        }

        It 'names in OUTPUTS every type the cmdlet declares, each with a sentence' {
            $outputs = @($page.Sections['OUTPUTS'].Entries)
            $outputs | Should -Not -BeNullOrEmpty
            $command.OutputType.Name | Where-Object { $_ -notin $outputs.Title } | Should -BeNullOrEmpty
            @($page.Sections['INPUTS'].Entries) + $outputs | Where-Object { -not $_.Text.Count } | ForEach-Object Title | Should -BeNullOrEmpty
        }
    }

    Context 'Get-Help <_> -Full' {
        BeforeAll {
            $help = Get-Help -Name $command.Name -Full
        }

        It 'shows the synopsis and description from the compiled help' {
            # Without compiled help, Get-Help makes up a synopsis from the syntax and has no description.
            "$($help.Synopsis)".Trim() | Should -Not -BeNullOrEmpty
            "$($help.Synopsis)".Trim() | Should -Not -Match "^$name\s+[\[-]"
            ($help.description.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty
        }

        It 'describes every parameter' {
            $described = @($help.parameters.parameter | Where-Object { ($_.description.Text -join '').Trim() } | ForEach-Object name)
            $command.Parameters.Keys | Where-Object { $_ -notin $ignoredParameters -and $_ -notin $described } | Should -BeNullOrEmpty
        }

        It 'shows at least two examples' {
            @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        }
    }
}

Describe 'The staged help' {
    It 'has MAML that is well-formed XML in the maml and command namespaces, one command per cmdlet' {
        $mamlPath | Should -Exist
        $document = [System.Xml.XmlDocument]::new()
        $document.Load($mamlPath)
        $namespaces = [System.Xml.XmlNamespaceManager]::new($document.NameTable)
        $namespaces.AddNamespace('msh', 'http://msh')
        $namespaces.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $namespaces.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $namespaces.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')

        $document.DocumentElement.LocalName | Should -BeExactly 'helpItems'
        $document.DocumentElement.NamespaceURI | Should -BeExactly 'http://msh'
        $document.DocumentElement.GetAttribute('schema') | Should -BeExactly 'maml'
        $names = $document.SelectNodes('/msh:helpItems/command:command/command:details/command:name', $namespaces) | ForEach-Object InnerText
        $names | Sort-Object | Should -Be ((Get-Command -Module SmimeAdmin).Name | Sort-Object)
        $document.SelectNodes('//command:command/command:syntax/command:syntaxItem', $namespaces).Count | Should -BeGreaterThan 0
        $document.SelectNodes('//command:command/command:examples/command:example/dev:code', $namespaces).Count | Should -BeGreaterOrEqual (2 * @($names).Count)
        $document.SelectNodes('//*', $namespaces) | ForEach-Object NamespaceURI | Sort-Object -Unique |
            Where-Object { $_ -notin $namespaces.LookupNamespace('msh'), $namespaces.LookupNamespace('maml'), $namespaces.LookupNamespace('command'), $namespaces.LookupNamespace('dev') } |
            Should -BeNullOrEmpty
    }

    It 'serves about_SmimeAdmin to Get-Help' {
        $topic = Get-Help about_SmimeAdmin | Out-String
        $topic | Should -Match 'about_SmimeAdmin'
        $topic | Should -Match 'SHORT DESCRIPTION'
        $topic | Should -Match 'SEE ALSO'
    }

    It 'fits about_SmimeAdmin.help.txt in 80 columns' {
        $topic = Join-Path $helpFolder 'about_SmimeAdmin.help.txt'
        $long = Get-Content $topic | Select-String -Pattern '^.{81,}' | ForEach-Object { "line $($_.LineNumber): $($_.Line)" }
        $long | Should -BeNullOrEmpty
    }
}
