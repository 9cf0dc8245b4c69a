using System;
using System.Globalization;

namespace SmimeAdmin.HelpCompiler;

/// <summary>A page that does not follow the schema the compiler accepts; the message names the file and line.</summary>
internal sealed class HelpSchemaException : Exception
{
    public HelpSchemaException()
    {
    }

    public HelpSchemaException(string message)
        : base(message)
    {
    }

    public HelpSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="file">The page, as given to the compiler.</param>
    /// <param name="line">Markdig's zero-based line number.</param>
    /// <param name="message">What is wrong, in terms of the schema.</param>
    public HelpSchemaException(string file, int line, string message)
        : base(string.Format(CultureInfo.InvariantCulture, "{0}({1}): {2}", file, line + 1, message))
    {
    }
}
