using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Validation;

namespace SmimeAdmin.Commands;

/// <summary>
/// Publish-UserSmimeCertificate: validates a user's certificates as a sender would find them, then writes them to
/// the recipient's userCertificate and userSMIMECertificate, creating the recipient when it is new.
/// </summary>
[Cmdlet(VerbsData.Publish, "UserSmimeCertificate", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(SmimeUserCertificate))]
public sealed class PublishUserSmimeCertificateCommand : UserSmimeCertificateCmdletBase
{
    private const string PathSet = "Path";
    private const string CertificateSet = "Certificate";
    private const string ProgressActivity = "Publish-UserSmimeCertificate";
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(250);
    private static readonly char[] s_addressSeparators = { ';', ',' };

    private readonly Dictionary<string, OrganizationPolicy> _organizations = new(StringComparer.OrdinalIgnoreCase);
    private readonly Stopwatch _sinceProgress = new();
    private int _processed;
    private int _published;
    private int _failed;

    private enum Outcome
    {
        Published,
        Unchanged,
        Failed,
    }

    /// <summary>The recipient: its primary SMTP address or one of its proxy addresses. A new address creates the recipient.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PrimarySmtpAddress")]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = string.Empty;

    /// <summary>The user's certificate file: .cer, .crt, .pem, .p7b or .pfx (with -Password).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The user's certificates as objects; CA certificates among them serve as the chain.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public X509Certificate2[] Certificate { get; set; } = Array.Empty<X509Certificate2>();

    /// <summary>The password of a .pfx file.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public SecureString? Password { get; set; }

    /// <summary>The attributes to write: UserCertificate, UserSMIMECertificate or Both (the default).</summary>
    [Parameter]
    [ValidateSet("UserCertificate", "UserSMIMECertificate", "Both")]
    public string Attribute { get; set; } = "Both";

    /// <summary>Keeps the certificates already published beside the new ones (renewal overlap).</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>Publishes certificates that fail validation, with a warning, instead of refusing them.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// Sets the recipient's proxy addresses; one value may list several, separated by ';' or ','. Empty values (an
    /// empty CSV cell) leave the addresses as they are.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? EmailAddresses { get; set; }

    /// <summary>Writes the recipient's published certificates.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing() => _sinceProgress.Start();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Outcome outcome = Outcome.Failed;
        RunForInput(Identity, () => outcome = Publish());
        _processed++;
        _published += outcome == Outcome.Published ? 1 : 0;
        _failed += outcome == Outcome.Failed ? 1 : 0;
        if (_sinceProgress.Elapsed >= s_progressInterval)
        {
            WriteProgress(Progress(ProgressRecordType.Processing));
            _sinceProgress.Restart();
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        WriteProgress(Progress(ProgressRecordType.Completed));
        if (_processed > 1)
        {
            WriteVerbose(ProgressStatus());
        }
    }

    // Publishes the current input: Failed when an error was written, Unchanged when -WhatIf or nothing was new.
    private Outcome Publish()
    {
        string organization = ResolveOrganization(Organization);
        OrganizationPolicy policy = PolicyOf(organization);
        string identity = RecipientAddress.Validate(Identity);
        UserCertificateFileContent? file = ReadUserCertificates();
        if (file is null)
        {
            return Outcome.Failed;
        }

        SmimeRecipient? existing = Store.ReadRecipient(organization, identity);
        string primary = existing?.PrimarySmtpAddress ?? identity;
        string[]? proxies = EmailAddresses?
            .SelectMany(value => (value ?? string.Empty).Split(s_addressSeparators, StringSplitOptions.RemoveEmptyEntries))
            .Select(address => address.Trim())
            .Where(address => address.Length > 0)
            .Select(RecipientAddress.Validate)
            .ToArray();

        // An empty CSV cell names no addresses: the recipient's stay as they are.
        if (proxies is { Length: 0 })
        {
            proxies = null;
        }

        IReadOnlyList<string> addresses = UserCertificatePublication.LookupAddresses(
            primary, proxies ?? existing?.ProxyAddresses ?? (IEnumerable<string>)Array.Empty<string>(), policy.Settings);

        IReadOnlyList<SmimeValidationResult> results = UserCertificatePublication.Validate(file, policy.Validator, addresses, DateTime.UtcNow, Cancellation);
        if (!Accept(results, primary))
        {
            return Outcome.Failed;
        }

        UserCertificatePublication publication;
        try
        {
            publication = UserCertificatePublication.Create(file, policy.Settings, DateTime.UtcNow, results, policy.Collection);
        }
        catch (ArgumentException ex)
        {
            // The file's key does not belong to its certificate.
            WriteError(new ErrorRecord(ex, ErrorMap.InvalidCertificateData, ErrorCategory.InvalidData, ParameterSetName == PathSet ? Path : nameof(Certificate)));
            return Outcome.Failed;
        }

        UserCertificateAttributes attributes = ParseAttributes(Attribute);
        IReadOnlyList<SmimeSettingChange> Change(SmimeRecipientDraft draft)
        {
            var changes = new List<SmimeSettingChange>();
            if (proxies is not null && draft.SetProxyAddresses(proxies) is SmimeSettingChange proxyChange)
            {
                changes.Add(proxyChange);
            }

            changes.AddRange(publication.ApplyTo(draft, attributes, Append));
            return changes;
        }

        // As Set- cmdlets do, nothing to change is said before asking, not after.
        if (Change(existing is null ? new SmimeRecipientDraft(identity) : new SmimeRecipientDraft(existing)).Count == 0)
        {
            WriteVerbose(string.Format(CultureInfo.CurrentCulture, Strings.PublishNothingChanged, primary));
            WritePassThru(existing);
            return Outcome.Unchanged;
        }

        string action = string.Format(
            CultureInfo.CurrentCulture,
            Append ? Strings.PublishAppendAction : Strings.PublishAction,
            string.Join(", ", publication.Thumbprints),
            DescribeAttributes(attributes));
        if (!ShouldProcess(primary, action))
        {
            return Outcome.Unchanged;
        }

        SmimeRecipientUpdateResult result = Store.UpdateRecipient(organization, identity, Change, AuditContext, createIfMissing: true, Cancellation);
        if (result.Changes.Count == 0)
        {
            // Another writer published the same certificates in the meantime.
            WriteVerbose(string.Format(CultureInfo.CurrentCulture, Strings.PublishNothingChanged, primary));
        }

        WritePassThru(result.Recipient);
        return result.Changes.Count > 0 ? Outcome.Published : Outcome.Unchanged;
    }

    private void WritePassThru(SmimeRecipient? recipient)
    {
        if (PassThru && recipient is not null)
        {
            WriteCertificates(recipient, null);
        }
    }

    // The certificates to publish, sorted into the user's and their chain; null when an error was written.
    private UserCertificateFileContent? ReadUserCertificates()
    {
        string source = nameof(Certificate);
        UserCertificateFileContent file;
        try
        {
            if (ParameterSetName == CertificateSet)
            {
                file = UserCertificateFile.FromCertificates(Certificate.Select(certificate => certificate.RawData));
            }
            else
            {
                List<(string File, byte[] Content)> files = ReadFiles(new[] { Path }, out bool failed);
                if (failed)
                {
                    return null;
                }

                if (files.Count > 1)
                {
                    WriteError(new ErrorRecord(
                        new ArgumentException(string.Format(CultureInfo.CurrentCulture, Strings.PathAmbiguous, Path, files.Count)),
                        ErrorMap.PathAmbiguous,
                        ErrorCategory.InvalidArgument,
                        Path));
                    return null;
                }

                source = files[0].File;
                file = UserCertificateFile.Read(files[0].Content, Plain(Password));
            }
        }
        catch (CertificateFormatException ex)
        {
            WriteError(InvalidCertificateData(ex, source, Strings.UserCertificateDataInvalid));
            return null;
        }
        catch (CertificatePasswordException ex)
        {
            WriteError(ErrorMap.ToErrorRecord(ex, source));
            return null;
        }

        return file;
    }

    // Writes what validation found; false when the certificates are refused.
    private bool Accept(IReadOnlyList<SmimeValidationResult> results, string primary)
    {
        foreach (SmimeValidationFailure warning in results.SelectMany(result => result.Failures).Where(failure => failure.Severity == SmimeValidationSeverity.Warning))
        {
            WriteWarning(warning.Message);
        }

        SmimeValidationResult[] invalid = results.Where(result => !result.IsValid).ToArray();
        if (invalid.Length == 0)
        {
            return true;
        }

        string findings = string.Join(
            " ",
            invalid.SelectMany(result => result.Failures).Where(failure => failure.Severity == SmimeValidationSeverity.Error).Select(failure => failure.Code + ": " + failure.Message));
        if (Force)
        {
            WriteWarning(string.Format(CultureInfo.CurrentCulture, Strings.PublishingInvalidCertificate, primary, findings));
            return true;
        }

        var record = new ErrorRecord(
            new SecurityException(string.Format(CultureInfo.CurrentCulture, Strings.CertificateValidationFailed, primary, findings)),
            ErrorMap.CertificateValidationFailed,
            ErrorCategory.SecurityError,
            Identity);
        record.ErrorDetails = new ErrorDetails(record.Exception.Message) { RecommendedAction = Strings.CertificateValidationFailedAction };
        WriteError(record);
        return false;
    }

    // An organization's settings and collection are read once per pipeline, with its first input.
    private OrganizationPolicy PolicyOf(string organization)
    {
        if (!_organizations.TryGetValue(organization, out OrganizationPolicy? policy))
        {
            SmimeOrganizationConfig config = Store.ReadConfig(organization);
            var collection = SmimeCertificateCollection.FromRecord(config.CertificateCollection);
            policy = new OrganizationPolicy(config.Settings, collection, CreateValidator(collection, config.Settings));
            _organizations.Add(organization, policy);
        }

        return policy;
    }

    private ProgressRecord Progress(ProgressRecordType type) => new(0, ProgressActivity, ProgressStatus()) { RecordType = type };

    private string ProgressStatus() =>
        string.Format(CultureInfo.CurrentCulture, Strings.PublishProgress, _processed, _published, _failed);

    private sealed class OrganizationPolicy
    {
        public OrganizationPolicy(SmimeSettings settings, SmimeCertificateCollection collection, SmimeCertificateValidator validator)
        {
            Settings = settings;
            Collection = collection;
            Validator = validator;
        }

        public SmimeSettings Settings { get; }

        public SmimeCertificateCollection Collection { get; }

        public SmimeCertificateValidator Validator { get; }
    }
}
