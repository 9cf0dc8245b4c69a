using System;

namespace SmimeAdmin.Core;

/// <summary>The base of every error SmimeAdmin.Core reports on purpose.</summary>
public abstract class SmimeAdminException : Exception
{
    /// <summary>Creates the exception with a message and an optional cause.</summary>
    protected SmimeAdminException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
