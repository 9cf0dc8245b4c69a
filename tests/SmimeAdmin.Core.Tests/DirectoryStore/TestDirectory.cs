using System;
using System.Collections.Generic;
using System.DirectoryServices.Protocols;
using System.Net;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Ldap;

namespace SmimeAdmin.Core.Tests.DirectoryStore;

/// <summary>
/// The slapd that build.ps1 starts for the tests (tests/TestSlapd.psm1), named by environment variables. Each test
/// works in an organizational unit of its own under ou=people, used as its store's base DN. Without the server the
/// tests fail, never skip: start one with Start-TestSlapd and set the variables, or run build.ps1 -Task Test.
/// </summary>
internal sealed class TestDirectory : IDisposable
{
    public const string UriVariable = "SMIMEADMIN_TEST_LDAP_URI";
    public const string BaseDnVariable = "SMIMEADMIN_TEST_LDAP_BASEDN";
    public const string BindDnVariable = "SMIMEADMIN_TEST_LDAP_BINDDN";
    public const string PasswordVariable = "SMIMEADMIN_TEST_LDAP_PASSWORD";

    private readonly LdapConnection _admin;
    private readonly List<LdapSmimeStore> _stores = new();

    public TestDirectory()
    {
        Uri = new Uri(Required(UriVariable));
        ServerBaseDn = Required(BaseDnVariable);
        Credential = new NetworkCredential(Required(BindDnVariable), Required(PasswordVariable));
        UnitName = "t" + Guid.NewGuid().ToString("N")[..12];
        BaseDn = "ou=" + UnitName + ",ou=people," + ServerBaseDn;
        _admin = new LdapConnection(new LdapDirectoryIdentifier(Uri.Host, Uri.Port), Credential, AuthType.Basic);
        _admin.SessionOptions.ProtocolVersion = 3;
        _admin.Bind();
        var unit = new AddRequest(BaseDn, "organizationalUnit");
        unit.Attributes.Add(new DirectoryAttribute("ou", UnitName));
        _admin.SendRequest(unit);
    }

    public Uri Uri { get; }

    /// <summary>The name of the test's organizational unit.</summary>
    public string UnitName { get; }

    public string ServerBaseDn { get; }

    /// <summary>This test's own base DN.</summary>
    public string BaseDn { get; }

    public NetworkCredential Credential { get; }

    public LdapStoreOptions Options(string? baseDn = null) => new(Uri, baseDn ?? BaseDn) { Credential = Credential };

    public LdapSmimeStore Connect(Func<DateTime>? utcNow = null)
    {
        LdapSmimeStore store = LdapSmimeStore.Connect(Options(), utcNow);
        _stores.Add(store);
        return store;
    }

    /// <summary>Adds an inetOrgPerson under the test's base DN; returns its DN.</summary>
    public string AddUser(string uid, string? mail = null, string? userPrincipalName = null, params string[] proxyAddresses)
    {
        string dn = "uid=" + uid + "," + BaseDn;
        var add = new AddRequest(dn, new DirectoryAttribute("objectClass", "inetOrgPerson", "smimeAdminTestDirectoryUser"));
        add.Attributes.Add(new DirectoryAttribute("uid", uid));
        add.Attributes.Add(new DirectoryAttribute("cn", uid));
        add.Attributes.Add(new DirectoryAttribute("sn", uid));
        if (mail is not null)
        {
            add.Attributes.Add(new DirectoryAttribute("mail", mail));
        }

        if (userPrincipalName is not null)
        {
            add.Attributes.Add(new DirectoryAttribute("userPrincipalName", userPrincipalName));
        }

        if (proxyAddresses.Length > 0)
        {
            add.Attributes.Add(new DirectoryAttribute("proxyAddresses", proxyAddresses));
        }

        _admin.SendRequest(add);
        return dn;
    }

    /// <summary>Replaces an attribute of an entry as another client would.</summary>
    public void Replace(string dn, string attribute, params object[] values)
    {
        var modification = new DirectoryAttributeModification { Name = attribute, Operation = DirectoryAttributeOperation.Replace };
        foreach (object value in values)
        {
            switch (value)
            {
                case byte[] bytes: modification.Add(bytes); break;
                default: modification.Add((string)value); break;
            }
        }

        _admin.SendRequest(new ModifyRequest(dn, modification));
    }

    public SearchResultEntry Read(string dn, params string[] attributes) =>
        ((SearchResponse)_admin.SendRequest(new SearchRequest(dn, "(objectClass=*)", SearchScope.Base, attributes))).Entries[0];

    /// <summary>The entries right under an entry.</summary>
    public SearchResultEntryCollection Children(string dn) =>
        ((SearchResponse)_admin.SendRequest(new SearchRequest(dn, "(objectClass=*)", SearchScope.OneLevel, "cn"))).Entries;

    public void Dispose()
    {
        foreach (LdapSmimeStore store in _stores)
        {
            store.Dispose();
        }

        // The subtree goes with the test; the server itself is thrown away after the run.
        var delete = new DeleteRequest(BaseDn);
        delete.Controls.Add(new TreeDeleteControl());
        try
        {
            _admin.SendRequest(delete);
        }
        catch (DirectoryOperationException)
        {
            // slapd without the tree-delete control: the throwaway server keeps the subtree.
        }

        _admin.Dispose();
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: the directory store tests need the slapd that build.ps1 -Task Test starts (tests/TestSlapd.psm1).");
}
