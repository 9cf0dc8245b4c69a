using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// The recipients of an organization, read one at a time as they are reached: only the file names are held, so
/// going through tens of thousands of recipients takes the memory of one.
/// </summary>
/// <remarks>
/// The names are taken when the list is made, in ordinal order. A recipient removed after that is passed over by the
/// enumerator; the indexer reports it as <see cref="SmimeRecipientNotFoundException"/>.
/// </remarks>
internal sealed class RecipientList : IReadOnlyList<SmimeRecipient>
{
    private readonly RecipientFolder _folder;
    private readonly string[] _fileNames;

    public RecipientList(RecipientFolder folder, string[] fileNames)
    {
        _folder = folder;
        _fileNames = fileNames;
        Array.Sort(_fileNames, StringComparer.Ordinal);
    }

    public int Count => _fileNames.Length;

    public SmimeRecipient this[int index] =>
        _folder.ReadByFileName(_fileNames[index])
        ?? throw new SmimeRecipientNotFoundException(_folder.Organization, Path.GetFileNameWithoutExtension(_fileNames[index]));

    public IEnumerator<SmimeRecipient> GetEnumerator()
    {
        foreach (string fileName in _fileNames)
        {
            if (_folder.ReadByFileName(fileName) is SmimeRecipient recipient)
            {
                yield return recipient;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
