using System;

namespace SmimeAdmin.Core.Store;

/// <summary>What a batch operation did for one of its identities: a value, or the error that stopped this one alone.</summary>
/// <typeparam name="T">What the operation gives for one identity.</typeparam>
public sealed class SmimeBatchItem<T>
    where T : class
{
    internal SmimeBatchItem(string identity, T? value, SmimeAdminException? error)
    {
        Identity = identity;
        Value = value;
        Error = error;
    }

    /// <summary>The identity the item is for, as it was given.</summary>
    public string Identity { get; }

    /// <summary>The value; <see langword="null"/> when <see cref="Error"/> is set, or when there is none (a recipient not found).</summary>
    public T? Value { get; }

    /// <summary>Why this identity failed; the batch's other identities are not affected.</summary>
    public SmimeAdminException? Error { get; }
}

/// <summary>Makes <see cref="SmimeBatchItem{T}"/> values.</summary>
public static class SmimeBatchItem
{
    /// <summary>An item that succeeded.</summary>
    public static SmimeBatchItem<T> Success<T>(string identity, T? value)
        where T : class => new(identity, value, null);

    /// <summary>An item that failed.</summary>
    public static SmimeBatchItem<T> Failure<T>(string identity, SmimeAdminException error)
        where T : class => new(identity, null, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>Runs one identity's part of a batch on its own, turning its failure into the item's error.</summary>
    public static SmimeBatchItem<T> Run<T>(string identity, Func<T?> operation)
        where T : class
    {
        if (operation is null)
        {
            throw new ArgumentNullException(nameof(operation));
        }

        try
        {
            return Success(identity, operation());
        }
        catch (SmimeAdminException ex)
        {
            return Failure<T>(identity, ex);
        }
    }
}
