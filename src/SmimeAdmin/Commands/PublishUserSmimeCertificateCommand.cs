using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using SmimeAdmin.Core;
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

    // Inputs are published in batches of this many, so that a directory is asked a few times per batch, not per input.
    // Three batches are under way at once (one read, one validated, one written), which bounds what a long pipeline
    // holds in memory.
    private const int BatchSize = 100;

    private readonly Dictionary<string, OrganizationPolicy> _organizations = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<PendingPublication> _batch = new();
    private PendingBatch? _validating;
    private WritingBatch? _writing;
    private readonly Stopwatch _sinceProgress = new();
    private int _processed;
    private int _published;
    private int _failed;

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
        PendingPublication? pending = null;
        RunForInput(Identity, () => pending = Prepare());
        _processed++;
        if (pending is null)
        {
            _failed++;
        }
        else
        {
            if (_batch.Count > 0 && !string.Equals(_batch[0].Organization, pending.Organization, StringComparison.OrdinalIgnoreCase))
            {
                Flush();
            }

            _batch.Add(pending);
            if (_batch.Count >= BatchSize)
            {
                Flush();
            }
        }

        if (_sinceProgress.Elapsed >= s_progressInterval)
        {
            WriteProgress(Progress(ProgressRecordType.Processing));
            _sinceProgress.Restart();
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        Flush();
        Report(_writing);
        Report(Finish(_validating));
        _validating = null;
        _writing = null;
        WriteProgress(Progress(ProgressRecordType.Completed));
        if (_processed > 1)
        {
            WriteVerbose(ProgressStatus());
        }
    }

    // What can be known of the current input on its own: the recipient's address and the certificates' bytes; null
    // when an error was written. The bytes are decoded with the batch, off the pipeline thread.
    private PendingPublication? Prepare()
    {
        string organization = ResolveOrganization(Organization);
        string identity = RecipientAddress.Validate(Identity);
        CertificateInput? certificates = ReadCertificateInput();
        if (certificates is null)
        {
            return null;
        }

        string[]? proxies = EmailAddresses?
            .SelectMany(value => (value ?? string.Empty).Split(s_addressSeparators, StringSplitOptions.RemoveEmptyEntries))
            .Select(address => address.Trim())
            .Where(address => address.Length > 0)
            .Select(RecipientAddress.Validate)
            .ToArray();

        // An empty CSV cell names no addresses: the recipient's stay as they are.
        return new PendingPublication(Identity, organization, identity, certificates, proxies is { Length: 0 } ? null : proxies, ParseAttributes(Attribute), Append, Force);
    }

    // Publishes the inputs gathered so far, in three steps that overlap: this batch's recipients are read and its
    // certificates validated (on the other cores), the batch before it is accepted (-WhatIf, -Confirm), and the one
    // before that is written in the background.
    private void Flush()
    {
        if (_batch.Count > 0)
        {
            PendingBatch started = Start(_batch.ToArray());
            _batch.Clear();
            Report(_writing);
            _writing = Finish(_validating);
            _validating = started;
        }
    }

    // Starts reading the batch's recipients, with one request to the store, and then validating its certificates, both
    // in the background.
    private PendingBatch Start(PendingPublication[] items)
    {
        string organization = items[0].Organization;
        try
        {
            OrganizationPolicy policy = PolicyOf(organization);
            ISmimeStore store = Store;
            CancellationToken cancellation = Cancellation;
            Task<IReadOnlyList<SmimeBatchItem<SmimeRecipient>>> checks = Task.Run(() =>
            {
                IReadOnlyList<SmimeBatchItem<SmimeRecipient>> existing = store.FindRecipients(organization, items.Select(pending => pending.Identity).ToArray());
                Parallel.For(
                    0,
                    items.Length,
                    new ParallelOptions { CancellationToken = cancellation },
                    index => items[index].Check(existing[index].Value, policy, cancellation));
                return existing;
            });
            return new PendingBatch(organization, items, checks);
        }
        catch (SmimeAdminException ex)
        {
            return new PendingBatch(organization, items, Task.FromException<IReadOnlyList<SmimeBatchItem<SmimeRecipient>>>(ex));
        }
    }

    // Writes what validation found and asks -WhatIf and -Confirm in input order, then starts writing the accepted
    // changes together in the background.
    private WritingBatch? Finish(PendingBatch? started)
    {
        if (started is null)
        {
            return null;
        }

        PendingPublication[] batch = started.Items;
        IReadOnlyList<SmimeBatchItem<SmimeRecipient>> existing;
        try
        {
            existing = started.Checks.GetAwaiter().GetResult();
        }
        catch (SmimeAdminException failure)
        {
            foreach (PendingPublication pending in batch)
            {
                WriteError(ErrorMap.ToInputErrorRecord(failure, pending.Input));
            }

            _failed += batch.Length;
            return null;
        }

        string organization = started.Organization;
        var accepted = new List<PendingPublication>();
        var changes = new List<SmimeRecipientChange>();
        for (int index = 0; index < batch.Length; index++)
        {
            if (batch[index].Unreadable is ErrorRecord unreadable)
            {
                WriteError(unreadable);
                _failed++;
            }
            else if (existing[index].Error is SmimeAdminException error)
            {
                WriteError(ErrorMap.ToInputErrorRecord(error, batch[index].Input));
                _failed++;
            }
            else if (Accept(batch[index], existing[index].Value))
            {
                accepted.Add(batch[index]);
                changes.Add(new SmimeRecipientChange(batch[index].Identity, batch[index].Change, createIfMissing: true, existing[index].Value));
            }
        }

        ISmimeStore store = Store;
        SmimeAuditContext context = AuditContext;
        return new WritingBatch(accepted, Task.Run(() => store.UpdateRecipients(organization, changes, context, Cancellation)));
    }

    // Waits for a batch's writes and reports each row: an error, or what was published.
    private void Report(WritingBatch? writing)
    {
        if (writing is null)
        {
            return;
        }

        IReadOnlyList<SmimeBatchItem<SmimeRecipientUpdateResult>> written = writing.Writes.GetAwaiter().GetResult();
        for (int index = 0; index < writing.Accepted.Count; index++)
        {
            PendingPublication pending = writing.Accepted[index];
            if (written[index].Error is SmimeAdminException error)
            {
                WriteError(ErrorMap.ToInputErrorRecord(error, pending.Input));
                _failed++;
                continue;
            }

            SmimeRecipientUpdateResult result = written[index].Value!;
            if (result.Changes.Count == 0)
            {
                // Another writer published the same certificates in the meantime.
                WriteVerbose(string.Format(CultureInfo.CurrentCulture, Strings.PublishNothingChanged, pending.Primary));
            }
            else
            {
                _published++;
            }

            WritePassThru(result.Recipient);
        }
    }

    // Writes what validation found, says when there is nothing to change, and asks -WhatIf and -Confirm; true when
    // the input is to be written.
    private bool Accept(PendingPublication pending, SmimeRecipient? existing)
    {
        if (pending.Results is not null && !Accept(pending.Results, pending.Primary, pending.Input))
        {
            _failed++;
            return false;
        }

        if (pending.Problem is Exception problem)
        {
            // An ArgumentException says the file's key does not belong to its certificate.
            WriteError(problem is ArgumentException
                ? new ErrorRecord(problem, ErrorMap.InvalidCertificateData, ErrorCategory.InvalidData, pending.Source)
                : ErrorMap.ToInputErrorRecord(problem, pending.Input));
            _failed++;
            return false;
        }

        // As Set- cmdlets do, nothing to change is said before asking, not after.
        if (pending.Change(existing is null ? new SmimeRecipientDraft(pending.Identity) : new SmimeRecipientDraft(existing)).Count == 0)
        {
            WriteVerbose(string.Format(CultureInfo.CurrentCulture, Strings.PublishNothingChanged, pending.Primary));
            WritePassThru(existing);
            return false;
        }

        string action = string.Format(
            CultureInfo.CurrentCulture,
            Append ? Strings.PublishAppendAction : Strings.PublishAction,
            string.Join(", ", pending.Publication!.Thumbprints),
            DescribeAttributes(pending.Attributes));
        return ShouldProcess(pending.Primary, action);
    }

    private void WritePassThru(SmimeRecipient? recipient)
    {
        if (PassThru && recipient is not null)
        {
            WriteCertificates(recipient, null);
        }
    }

    // The certificates to publish as given: a file's bytes or the objects' raw data; null when an error was written.
    private CertificateInput? ReadCertificateInput()
    {
        if (ParameterSetName == CertificateSet)
        {
            return new CertificateInput(nameof(Certificate), null, Certificate.Select(certificate => certificate.RawData).ToArray(), null);
        }

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

        return new CertificateInput(files[0].File, files[0].Content, null, Plain(Password));
    }

    // Writes what validation found; false when the certificates are refused.
    private bool Accept(IReadOnlyList<SmimeValidationResult> results, string primary, string input)
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
            input);
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

    // One input on its way: read and checked on its own, validated with its batch, then written with it.
    private sealed class PendingPublication
    {
        private readonly CertificateInput _certificates;
        private readonly string[]? _proxies;
        private readonly bool _append;
        private readonly bool _force;

        public PendingPublication(
            string input,
            string organization,
            string identity,
            CertificateInput certificates,
            string[]? proxies,
            UserCertificateAttributes attributes,
            bool append,
            bool force)
        {
            Input = input;
            Organization = organization;
            Identity = identity;
            Primary = identity;
            _certificates = certificates;
            _proxies = proxies;
            Attributes = attributes;
            _append = append;
            _force = force;
        }

        /// <summary>The -Identity value as given, which errors name.</summary>
        public string Input { get; }

        public string Organization { get; }

        public string Identity { get; }

        /// <summary>The recipient's primary address once it was read; the identity for a new recipient.</summary>
        public string Primary { get; private set; }

        /// <summary>The file (or "Certificate"), which errors about the certificates' data name.</summary>
        public string Source => _certificates.Source;

        public UserCertificateAttributes Attributes { get; }

        /// <summary>The error for certificates that could not be read: no certificate, or a wrong password.</summary>
        public ErrorRecord? Unreadable { get; private set; }

        public IReadOnlyList<SmimeValidationResult>? Results { get; private set; }

        public UserCertificatePublication? Publication { get; private set; }

        /// <summary>Why the certificates could not be checked (no <see cref="Results"/>) or published.</summary>
        public Exception? Problem { get; private set; }

        // Reads the certificates, validates them for the recipient's addresses and builds what to publish; runs on
        // any thread.
        public void Check(SmimeRecipient? existing, OrganizationPolicy policy, CancellationToken cancellationToken)
        {
            Primary = existing?.PrimarySmtpAddress ?? Identity;
            UserCertificateFileContent file;
            try
            {
                file = _certificates.Read();
            }
            catch (CertificateFormatException ex)
            {
                Unreadable = InvalidCertificateData(ex, Source, Strings.UserCertificateDataInvalid);
                return;
            }
            catch (CertificatePasswordException ex)
            {
                Unreadable = ErrorMap.ToErrorRecord(ex, Source);
                return;
            }

            IReadOnlyList<string> addresses = UserCertificatePublication.LookupAddresses(
                Primary, _proxies ?? existing?.ProxyAddresses ?? (IEnumerable<string>)Array.Empty<string>(), policy.Settings);
            try
            {
                Results = UserCertificatePublication.Validate(file, policy.Validator, addresses, DateTime.UtcNow, cancellationToken);
                if (_force || Results.All(result => result.IsValid))
                {
                    Publication = UserCertificatePublication.Create(file, policy.Settings, DateTime.UtcNow, Results, policy.Collection, Attributes);
                }
            }
            catch (Exception ex) when (ex is SmimeAdminException or ArgumentException)
            {
                Problem = ex;
            }
        }

        public List<SmimeSettingChange> Change(SmimeRecipientDraft draft)
        {
            var changes = new List<SmimeSettingChange>();
            if (_proxies is not null && draft.SetProxyAddresses(_proxies) is SmimeSettingChange proxyChange)
            {
                changes.Add(proxyChange);
            }

            changes.AddRange(Publication!.ApplyTo(draft, Attributes, _append));
            return changes;
        }
    }

    // The certificates of one input as given, decoded with its batch: a file's content (and its .pfx password), or
    // the raw data of -Certificate objects.
    private sealed class CertificateInput
    {
        private readonly byte[]? _content;
        private readonly byte[][]? _certificates;
        private readonly string? _password;

        public CertificateInput(string source, byte[]? content, byte[][]? certificates, string? password)
        {
            Source = source;
            _content = content;
            _certificates = certificates;
            _password = password;
        }

        public string Source { get; }

        public UserCertificateFileContent Read() =>
            _certificates is not null ? UserCertificateFile.FromCertificates(_certificates) : UserCertificateFile.Read(_content!, _password);
    }

    // A batch whose recipients are being read and whose certificates are being validated, in that order.
    private sealed class PendingBatch
    {
        public PendingBatch(string organization, PendingPublication[] items, Task<IReadOnlyList<SmimeBatchItem<SmimeRecipient>>> checks)
        {
            Organization = organization;
            Items = items;
            Checks = checks;
        }

        public string Organization { get; }

        public PendingPublication[] Items { get; }

        /// <summary>The recipients as read, once every item is checked; faults with the store's error when the read failed.</summary>
        public Task<IReadOnlyList<SmimeBatchItem<SmimeRecipient>>> Checks { get; }
    }

    // A batch's accepted rows and the store's write of them, running in the background.
    private sealed class WritingBatch
    {
        public WritingBatch(IReadOnlyList<PendingPublication> accepted, Task<IReadOnlyList<SmimeBatchItem<SmimeRecipientUpdateResult>>> writes)
        {
            Accepted = accepted;
            Writes = writes;
        }

        public IReadOnlyList<PendingPublication> Accepted { get; }

        public Task<IReadOnlyList<SmimeBatchItem<SmimeRecipientUpdateResult>>> Writes { get; }
    }

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
