using System;
using System.DirectoryServices.Protocols;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace SmimeAdmin.Ldap;

/// <summary>
/// Sends a request on a connection without waiting for its answer, and waits for the answer later, so that one
/// connection carries several requests at once (LDAP tells answers apart by message ID). LdapConnection does both
/// halves inside SendRequest, and its public asynchronous requests poll for answers with growing sleeps; the halves
/// themselves (SendRequestHelper, ConstructResponseAsync) are private, hence the reflection. When they are not found
/// (another version of System.DirectoryServices.Protocols), <see cref="Find"/> returns null and callers send one
/// request at a time.
/// </summary>
internal sealed class PipelinedRequests
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

    private readonly MethodInfo _send;
    private readonly MethodInfo _receive;
    private readonly Type _operationType;
    private readonly object _allResults;

    private PipelinedRequests(MethodInfo send, MethodInfo receive, Type operationType, object allResults)
    {
        _send = send;
        _receive = receive;
        _operationType = operationType;
        _allResults = allResults;
    }

    /// <summary>The two halves of LdapConnection.SendRequest, or null when this version does not have them as expected.</summary>
    public static PipelinedRequests? Find()
    {
        Assembly assembly = typeof(LdapConnection).Assembly;
        Type? operationType = assembly.GetType("System.DirectoryServices.Protocols.LdapOperation");
        Type? resultAllType = assembly.GetType("System.DirectoryServices.Protocols.ResultAll");
        if (operationType is not { IsEnum: true } || resultAllType is not { IsEnum: true }
            || !Enum.IsDefined(resultAllType, "LDAP_MSG_ALL") || !Enum.IsDefined(operationType, "LdapModify"))
        {
            return null;
        }

        MethodInfo? send = typeof(LdapConnection).GetMethod(
            "SendRequestHelper", Private, null, new[] { typeof(DirectoryRequest), typeof(int).MakeByRefType() }, null);
        MethodInfo? receive = typeof(LdapConnection).GetMethod(
            "ConstructResponseAsync", Private, null, new[] { typeof(int), operationType, resultAllType, typeof(TimeSpan), typeof(bool), typeof(bool) }, null);
        return send?.ReturnType == typeof(int) && receive?.ReturnType == typeof(ValueTask<DirectoryResponse>)
            ? new PipelinedRequests(send, receive, operationType, Enum.Parse(resultAllType, "LDAP_MSG_ALL"))
            : null;
    }

    /// <summary>Sends the request; its message ID, or null when the client could not send it (SendRequest then says why).</summary>
    /// <exception cref="LdapException">The connection failed.</exception>
    public int? Send(LdapConnection connection, DirectoryRequest request)
    {
        object[] arguments = { request, 0 };
        int result = (int)Invoke(_send, connection, arguments);
        int messageId = (int)arguments[1];
        return result == 0 && messageId != -1 ? messageId : null;
    }

    /// <summary>Waits for the answer to a request sent by <see cref="Send"/>, as SendRequest would.</summary>
    /// <exception cref="LdapException">No answer came, or the connection failed.</exception>
    /// <exception cref="DirectoryOperationException">The server refused the request.</exception>
    public DirectoryResponse Receive(LdapConnection connection, int messageId, DirectoryRequest request, TimeSpan timeout)
    {
        object operation = Enum.Parse(_operationType, OperationName(request));
        var response = (ValueTask<DirectoryResponse>)Invoke(_receive, connection, new object[] { messageId, operation, _allResults, timeout, true, true });
        return response.GetAwaiter().GetResult();
    }

    // The names SendRequest itself gives each request type.
    private static string OperationName(DirectoryRequest request) => request switch
    {
        ModifyRequest => "LdapModify",
        AddRequest => "LdapAdd",
        DeleteRequest => "LdapDelete",
        ModifyDNRequest => "LdapModifyDn",
        CompareRequest => "LdapCompare",
        ExtendedRequest => "LdapExtendedRequest",
        _ => "LdapSearch",
    };

    private static object Invoke(MethodInfo method, LdapConnection connection, object[] arguments)
    {
        try
        {
            return method.Invoke(connection, arguments)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
