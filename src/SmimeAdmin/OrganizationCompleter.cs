using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SmimeAdmin;

/// <summary>Completes organization names from the session's store. Reads local state only and never throws.</summary>
public sealed class OrganizationCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        try
        {
            var pattern = WildcardPattern.Get((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            return SmimeSession.Current().Store.GetOrganizations()
                .Where(pattern.IsMatch)
                .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name))
                .ToArray();
        }
#pragma warning disable CA1031 // A completer must not fail the user's tab press, whatever the store's state.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
