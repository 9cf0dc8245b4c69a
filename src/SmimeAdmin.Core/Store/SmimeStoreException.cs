using System;

namespace SmimeAdmin.Core.Store;

/// <summary>The organization store could not be read or written.</summary>
public class SmimeStoreException : SmimeAdminException
{
    /// <summary>Creates the exception for a file or folder of the store.</summary>
    public SmimeStoreException(string message, string path, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>The file or folder concerned.</summary>
    public string Path { get; }
}
