using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SmimeAdmin.Core.Baselines;

/// <summary>A baseline has values that cannot be compared or applied; every problem is listed, not just the first.</summary>
public sealed class SmimeBaselineInvalidException : SmimeAdminException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file or parameter the baseline came from.</param>
    /// <param name="problems">Every problem found; at least one.</param>
    public SmimeBaselineInvalidException(string source, IReadOnlyList<SmimeBaselineProblem> problems)
        : base(string.Format(
            CultureInfo.CurrentCulture,
            Strings.BaselineInvalid,
            source,
            problems.Count,
            string.Join(Environment.NewLine, problems.Select(problem => "  " + problem))))
    {
        Origin = source;
        Problems = problems;
    }

    /// <summary>The file or parameter the baseline came from.</summary>
    public string Origin { get; }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<SmimeBaselineProblem> Problems { get; }
}
