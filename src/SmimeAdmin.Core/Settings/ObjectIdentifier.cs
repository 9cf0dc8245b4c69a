using System;
using System.Collections.Generic;

namespace SmimeAdmin.Core.Settings;

/// <summary>Checks and splits dotted-decimal object identifiers (X.660).</summary>
public static class ObjectIdentifier
{
    // Arcs longer than this do not occur in practice; the bound keeps hostile input cheap.
    private const int MaximumArcDigits = 39;

    private static readonly char[] s_listSeparators = { ',', ';', ' ', '\t', '\r', '\n' };

    /// <summary>
    /// Whether <paramref name="text"/> is a dotted-decimal OID: at least two arcs, the first 0, 1 or 2, the second
    /// below 40 under 0 and 1, decimal digits without leading zeros.
    /// </summary>
    public static bool IsValid(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        string[] arcs = text!.Split('.');
        if (arcs.Length < 2)
        {
            return false;
        }

        foreach (string arc in arcs)
        {
            if (arc.Length == 0 || arc.Length > MaximumArcDigits || (arc.Length > 1 && arc[0] == '0'))
            {
                return false;
            }

            foreach (char c in arc)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }
        }

        if (arcs[0].Length != 1 || arcs[0][0] > '2')
        {
            return false;
        }

        return arcs[0][0] == '2' || (arcs[1].Length <= 2 && int.Parse(arcs[1], System.Globalization.CultureInfo.InvariantCulture) < 40);
    }

    /// <summary>Splits a list of OIDs separated by commas, semicolons or white space.</summary>
    public static IReadOnlyList<string> SplitList(string text) =>
        text.Split(s_listSeparators, StringSplitOptions.RemoveEmptyEntries);
}
