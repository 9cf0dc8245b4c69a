using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Validation;

namespace SmimeAdmin.Core.Publishing;

/// <summary>
/// Copies users' userCertificate and userSMIMECertificate values from one store to another, as directory
/// synchronization does for Exchange Online: only what changed is written, certificates gone from the source are
/// removed from the destination, and every certificate is validated against the destination's collection first.
/// </summary>
/// <remarks>
/// A userCertificate value is copied when it validates for signing or for encryption; a userSMIMECertificate blob is
/// copied when every user (non-CA) certificate it carries does. Re-running a sync right after it changes nothing.
/// </remarks>
public sealed class UserCertificateSync
{
    // Recipients written per request to the destination.
    private const int WriteBatchSize = 200;

    private readonly ISmimeStore _source;
    private readonly string _sourceOrganization;
    private readonly ISmimeStore _destination;
    private readonly string _destinationOrganization;
    private readonly SmimeCertificateValidator _validator;
    private readonly Func<DateTime> _utcNow;

    /// <summary>Creates the sync.</summary>
    /// <param name="source">Where the users' certificates come from.</param>
    /// <param name="sourceOrganization">The organization read in the source.</param>
    /// <param name="destination">Where they go.</param>
    /// <param name="destinationOrganization">The organization written in the destination.</param>
    /// <param name="validator">Validates against the destination organization's collection and settings.</param>
    /// <param name="utcNow">The validation time.</param>
    public UserCertificateSync(
        ISmimeStore source,
        string sourceOrganization,
        ISmimeStore destination,
        string destinationOrganization,
        SmimeCertificateValidator validator,
        Func<DateTime> utcNow)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _sourceOrganization = OrganizationName.Validate(sourceOrganization);
        _destination = destination ?? throw new ArgumentNullException(nameof(destination));
        _destinationOrganization = OrganizationName.Validate(destinationOrganization);
        _validator = validator ?? throw new ArgumentNullException(nameof(validator));
        _utcNow = utcNow ?? throw new ArgumentNullException(nameof(utcNow));
    }

    /// <summary>Runs the sync.</summary>
    /// <param name="include">Which recipients (by primary address) take part; the others are left alone on both sides.</param>
    /// <param name="shouldWrite">Asked before each write with the recipient and what would change; false skips it (-WhatIf).</param>
    /// <param name="context">Who is syncing, for the destination's audit log.</param>
    /// <param name="progress">Told about each recipient as it is done; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between recipients.</param>
    /// <returns>
    /// The counts and every recipient's outcome. A failure of one recipient does not stop the others; a destination
    /// that cannot be listed for the removals ends the run with what was done (<see cref="SmimeSyncResult.Error"/>).
    /// </returns>
    /// <exception cref="SmimeStoreException">The source cannot be listed.</exception>
    public SmimeSyncResult Run(
        Func<string, bool> include,
        Func<string, SmimeSyncAction, bool> shouldWrite,
        SmimeAuditContext context,
        IProgress<SmimeSyncItem>? progress,
        CancellationToken cancellationToken)
    {
        if (include is null)
        {
            throw new ArgumentNullException(nameof(include));
        }

        if (shouldWrite is null)
        {
            throw new ArgumentNullException(nameof(shouldWrite));
        }

        var sourceAddresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var withCertificates = new List<SmimeRecipient>();
        foreach (SmimeRecipient recipient in _source.ReadRecipients(_sourceOrganization))
        {
            // A recipient without certificates at the source is handled with the destination's recipients below.
            if (include(recipient.PrimarySmtpAddress) && recipient.HasCertificates)
            {
                sourceAddresses.Add(recipient.PrimarySmtpAddress);
                withCertificates.Add(recipient);
            }
        }

        // Validation is the costly part and the validator is thread-safe, so it runs on every core; the writes
        // follow in batches, in the source's order.
        var plans = new CopyPlan[withCertificates.Count];
        Parallel.For(
            0,
            withCertificates.Count,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            index => plans[index] = Plan(withCertificates[index], cancellationToken));

        var items = new List<SmimeSyncItem>();
        Write(plans, shouldWrite, context, progress, items, cancellationToken);

        IReadOnlyList<SmimeRecipient> destinationRecipients;
        try
        {
            destinationRecipients = _destination.ReadRecipients(_destinationOrganization);
        }
        catch (SmimeStoreException ex)
        {
            // The copies made so far stand and are reported; the removals wait for the next run.
            return new SmimeSyncResult(items, ex);
        }

        IEnumerable<CopyPlan> removals = destinationRecipients
            .Where(stale => include(stale.PrimarySmtpAddress) && !sourceAddresses.Contains(stale.PrimarySmtpAddress) && stale.HasCertificates)
            .Select(stale => new CopyPlan(stale.PrimarySmtpAddress, Array.Empty<byte[]>(), Array.Empty<byte[]>(), Array.Empty<string>(), SmimeSyncAction.Removed));
        Write(removals, shouldWrite, context, progress, items, cancellationToken);
        return new SmimeSyncResult(items);
    }

    // What to copy of one recipient: the certificates and blobs that validate, and why the others do not.
    private CopyPlan Plan(SmimeRecipient recipient, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var addresses = new List<string> { recipient.PrimarySmtpAddress };
        addresses.AddRange(recipient.ProxyAddresses);
        DateTime atUtc = _utcNow();
        var valid = new Dictionary<string, bool>(StringComparer.Ordinal);

        bool IsValid(byte[] certificate)
        {
            string thumbprint = SmimeRecipientDraft.DescribeCertificate(certificate);
            if (!valid.TryGetValue(thumbprint, out bool ok))
            {
                // Valid for the primary address or any proxy address (as Exchange looks certificates up), for signing or
                // for encryption; the first failure, for the primary address and signing, is the one reported.
                SmimeValidationResult? signing = null;
                foreach (string candidate in addresses)
                {
                    SmimeValidationResult forSigning = _validator.Validate(certificate, recipient.UserCertificates, new[] { candidate }, SmimeCertificateUsage.Signing, atUtc, cancellationToken);
                    signing ??= forSigning;
                    ok = forSigning.IsValid
                        || _validator.Validate(certificate, recipient.UserCertificates, new[] { candidate }, SmimeCertificateUsage.Encryption, atUtc, cancellationToken).IsValid;
                    if (ok)
                    {
                        break;
                    }
                }

                if (!ok)
                {
                    problems.Add(string.Format(
                        CultureInfo.CurrentCulture,
                        Strings.SyncCertificateInvalid,
                        thumbprint,
                        string.Join(" ", signing!.Failures.Where(failure => failure.Severity == SmimeValidationSeverity.Error).Select(failure => failure.Message))));
                }

                valid[thumbprint] = ok;
            }

            return ok;
        }

        List<byte[]> certificates = recipient.UserCertificates.Where(IsValid).ToList();
        var blobs = new List<byte[]>();
        foreach (byte[] blob in recipient.UserSmimeCertificates)
        {
            List<byte[]> users = UserSmimeCertificateReader.Read(blob).Certificates.Where(certificate => !IsCertificationAuthority(certificate)).ToList();
            if (users.Count > 0 && users.All(IsValid))
            {
                blobs.Add(blob);
            }
            else if (users.Count == 0)
            {
                problems.Add(string.Format(CultureInfo.CurrentCulture, Strings.SyncBlobWithoutUserCertificate, SmimeCertificateCollectionRecord.HexSha256(blob).Substring(0, 16)));
            }
        }

        return new CopyPlan(recipient.PrimarySmtpAddress, certificates, blobs, problems, SmimeSyncAction.Updated);
    }

    // Writes the recipients' certificates, or reports them unchanged, a batch at a time: the destination is read and
    // written with one request per batch where it can (a directory). A store failure is its recipient's failure.
    private void Write(
        IEnumerable<CopyPlan> plans,
        Func<string, SmimeSyncAction, bool> shouldWrite,
        SmimeAuditContext context,
        IProgress<SmimeSyncItem>? progress,
        List<SmimeSyncItem> items,
        CancellationToken cancellationToken)
    {
        foreach (CopyPlan[] batch in Chunk(plans, WriteBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcomes = new SmimeSyncItem?[batch.Length];
            var actions = new SmimeSyncAction[batch.Length];
            var toWrite = new List<int>();

            // The action is decided, and -WhatIf or -Confirm asked, on a read made outside the store's write: a prompt
            // must not hold a folder store's lock. The write then applies the same values to the state it finds, which
            // another writer may have brought in step meanwhile (then nothing is written).
            IReadOnlyList<SmimeBatchItem<SmimeRecipient>> current = _destination.FindRecipients(_destinationOrganization, batch.Select(plan => plan.Address).ToArray());
            for (int index = 0; index < batch.Length; index++)
            {
                CopyPlan plan = batch[index];
                if (current[index].Error is SmimeAdminException error)
                {
                    outcomes[index] = Failed(plan, error);
                    continue;
                }

                IReadOnlyList<byte[]> currentCertificates = current[index].Value?.UserCertificates ?? Array.Empty<byte[]>();
                IReadOnlyList<byte[]> currentBlobs = current[index].Value?.UserSmimeCertificates ?? Array.Empty<byte[]>();
                if (SameValues(currentCertificates, plan.Certificates) && SameValues(currentBlobs, plan.Blobs))
                {
                    outcomes[index] = new SmimeSyncItem(plan.Address, SmimeSyncAction.Unchanged, plan.Problems, written: false);
                    continue;
                }

                actions[index] = plan.Intended == SmimeSyncAction.Removed || (plan.Certificates.Count == 0 && plan.Blobs.Count == 0) ? SmimeSyncAction.Removed
                    : currentCertificates.Count > 0 || currentBlobs.Count > 0 ? SmimeSyncAction.Updated
                    : SmimeSyncAction.Added;
                if (shouldWrite(plan.Address, actions[index]))
                {
                    toWrite.Add(index);
                }
                else
                {
                    outcomes[index] = new SmimeSyncItem(plan.Address, SmimeSyncAction.Skipped, plan.Problems, written: false);
                }
            }

            IReadOnlyList<SmimeBatchItem<SmimeRecipientUpdateResult>> written = _destination.UpdateRecipients(
                _destinationOrganization,
                toWrite.Select(index => new SmimeRecipientChange(batch[index].Address, draft => Apply(draft, batch[index].Certificates, batch[index].Blobs), createIfMissing: true, current[index].Value)).ToArray(),
                context,
                cancellationToken);
            for (int position = 0; position < toWrite.Count; position++)
            {
                int index = toWrite[position];
                bool changed = written[position].Value?.AuditRecord is not null;
                outcomes[index] = written[position].Error is SmimeAdminException error
                    ? Failed(batch[index], error)
                    : new SmimeSyncItem(batch[index].Address, changed ? actions[index] : SmimeSyncAction.Unchanged, batch[index].Problems, changed);
            }

            foreach (SmimeSyncItem item in outcomes.Select(outcome => outcome!))
            {
                items.Add(item);
                progress?.Report(item);
            }
        }
    }

    private static SmimeSyncItem Failed(CopyPlan plan, SmimeAdminException error) =>
        new(plan.Address, SmimeSyncAction.Failed, new List<string>(plan.Problems) { error.Message }, written: false, error);

    // netstandard2.0 has no Enumerable.Chunk.
    private static IEnumerable<T[]> Chunk<T>(IEnumerable<T> source, int size)
    {
        var chunk = new List<T>(size);
        foreach (T item in source)
        {
            chunk.Add(item);
            if (chunk.Count == size)
            {
                yield return chunk.ToArray();
                chunk.Clear();
            }
        }

        if (chunk.Count > 0)
        {
            yield return chunk.ToArray();
        }
    }

    // Set equality, as the draft compares (duplicates and order do not matter).
    private static bool SameValues(IReadOnlyList<byte[]> current, IReadOnlyList<byte[]> proposed) =>
        proposed.All(value => EncodedValues.Contains(current, value)) && current.All(existing => EncodedValues.Contains(proposed, existing));

    private static SmimeSettingChange[] Apply(SmimeRecipientDraft draft, IReadOnlyList<byte[]> certificates, IReadOnlyList<byte[]> blobs) =>
        new[] { draft.SetUserCertificates(certificates), draft.SetUserSmimeCertificates(blobs) }.OfType<SmimeSettingChange>().ToArray();

    // As the publisher tells a file's CA certificates from the user's: basicConstraints cA, or a self-issued v1 root.
    private static bool IsCertificationAuthority(byte[] certificate)
    {
        try
        {
            return UserCertificateFile.IsCertificateAuthority(CertificateDer.Parse(certificate, 0));
        }
        catch (CertificateFormatException)
        {
            return false;
        }
    }

    // What to write for one recipient: the certificates and blobs that validated, and why the others did not.
    private sealed class CopyPlan
    {
        public CopyPlan(string address, IReadOnlyList<byte[]> certificates, IReadOnlyList<byte[]> blobs, IReadOnlyList<string> problems, SmimeSyncAction intended)
        {
            Address = address;
            Certificates = certificates;
            Blobs = blobs;
            Problems = problems;
            Intended = intended;
        }

        public string Address { get; }

        public IReadOnlyList<byte[]> Certificates { get; }

        public IReadOnlyList<byte[]> Blobs { get; }

        public IReadOnlyList<string> Problems { get; }

        public SmimeSyncAction Intended { get; }
    }
}
