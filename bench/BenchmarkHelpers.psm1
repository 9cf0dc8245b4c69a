# What the benchmarks share: percentiles, number formatting, temporary folders and the rows of the result table.

$Invariant = [Globalization.CultureInfo]::InvariantCulture

function Get-Percentile {
    # Nearest-rank percentile; the 50th is the usual median (mean of the middle two for an even count).
    param([Parameter(Mandatory)] [double[]] $Values, [Parameter(Mandatory)] [double] $Percent)
    $sorted = [double[]] $Values.Clone()
    [Array]::Sort($sorted)
    if ($Percent -eq 50) {
        $middle = [int][Math]::Floor($sorted.Length / 2)
        if ($sorted.Length % 2 -eq 1) { return $sorted[$middle] }
        return ($sorted[$middle - 1] + $sorted[$middle]) / 2
    }
    $rank = [int][Math]::Ceiling($Percent / 100 * $sorted.Length)
    $sorted[[Math]::Max(0, $rank - 1)]
}

function Format-Number {
    param([double] $Value, [string] $Format = '0.00')
    $Value.ToString($Format, $Invariant)
}

function New-TempFolder {
    param([Parameter(Mandatory)] [string] $Prefix)
    $path = Join-Path ([IO.Path]::GetTempPath()) "$Prefix-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $path | Out-Null
    $path
}

function New-Row {
    # Target is in milliseconds for a time; for a ratio row pass -Value, the measured ratio, instead of -Samples.
    param(
        [string] $Measure, [double[]] $Samples, [double] $Value = [double]::NaN, [double] $Target = 0,
        [string] $Note = 'reference', [string] $Format = '0.0'
    )
    $isRatio = -not [double]::IsNaN($Value)
    $figure = if ($isRatio) { $Value } else { Get-Percentile -Values $Samples -Percent 50 }
    $row = [ordered]@{
        Measure     = $Measure
        'Median ms' = if ($isRatio) { (Format-Number $figure) + 'x' } else { Format-Number $figure $Format }
        'P95 ms'    = if ($isRatio) { '-' } else { Format-Number (Get-Percentile -Values $Samples -Percent 95) $Format }
        Target      = '-'
        Ratio       = '-'
        Result      = $Note
    }
    if ($Target -gt 0) {
        $row.Target = '<= ' + (Format-Number $Target '0') + $(if ($isRatio) { 'x' } else { ' ms' })
        $row.Ratio = Format-Number ($figure / $Target)
        $row.Result = if ($figure -le $Target) { 'PASS' } else { 'MISS' }
    }
    [pscustomobject] $row
}

Export-ModuleMember -Function Get-Percentile, Format-Number, New-TempFolder, New-Row
