using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Baselines;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Messages;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin;

/// <summary>
/// The one place that turns Core's exceptions into ErrorRecords with stable ids (listed in each cmdlet's help).
/// </summary>
internal static class ErrorMap
{
    public const string InvalidSettingValue = nameof(InvalidSettingValue);
    public const string InvalidOrganizationName = nameof(InvalidOrganizationName);
    public const string StoreLockTimeout = nameof(StoreLockTimeout);
    public const string StoreSchemaTooNew = nameof(StoreSchemaTooNew);
    public const string StoreFileCorrupt = nameof(StoreFileCorrupt);
    public const string StoreUnavailable = nameof(StoreUnavailable);
    public const string StorePathNotFolder = nameof(StorePathNotFolder);
    public const string InvalidLockTimeout = nameof(InvalidLockTimeout);
    public const string InvalidCertificateData = nameof(InvalidCertificateData);
    public const string CertificateExpired = nameof(CertificateExpired);
    public const string CertificateCollectionTooLarge = nameof(CertificateCollectionTooLarge);
    public const string CertificateNotFound = nameof(CertificateNotFound);
    public const string NoCertificateCollection = nameof(NoCertificateCollection);
    public const string NoCertificates = nameof(NoCertificates);
    public const string PathNotFound = nameof(PathNotFound);
    public const string FileExists = nameof(FileExists);
    public const string FileUnreadable = nameof(FileUnreadable);
    public const string PathNotFileSystem = nameof(PathNotFileSystem);
    public const string ExportFailed = nameof(ExportFailed);
    public const string CertificatePasswordInvalid = nameof(CertificatePasswordInvalid);
    public const string CertificateValidationFailed = nameof(CertificateValidationFailed);
    public const string InvalidRecipientAddress = nameof(InvalidRecipientAddress);
    public const string RecipientNotFound = nameof(RecipientNotFound);
    public const string RecipientAddressInUse = nameof(RecipientAddressInUse);
    public const string PathAmbiguous = nameof(PathAmbiguous);
    public const string InvalidBaseline = nameof(InvalidBaseline);
    public const string InvalidConfigFile = nameof(InvalidConfigFile);
    public const string InvalidConfig = nameof(InvalidConfig);
    public const string StoreConflict = nameof(StoreConflict);
    public const string StoreAccessDenied = nameof(StoreAccessDenied);
    public const string DirectoryStoreNotSupported = nameof(DirectoryStoreNotSupported);
    public const string InvalidLdapUri = nameof(InvalidLdapUri);
    public const string SyncCertificateNotValid = nameof(SyncCertificateNotValid);

    // Messages (Protect-/Unprotect-/Test-SmimeMessage); SmimeMessageErrorCode names are used as ids as they are.
    public const string InvalidMessageInput = nameof(InvalidMessageInput);
    public const string SignerConflict = nameof(SignerConflict);
    public const string OutputFileConflict = nameof(OutputFileConflict);
    public const string MessageNotSigned = nameof(MessageNotSigned);

    // The collection rules' codes (CertificateCollectionProblemCode) are used as ids as they are.
    public const string NotCertificateAuthority = nameof(NotCertificateAuthority);
    public const string IssuerNotInCollection = nameof(IssuerNotInCollection);
    public const string OperationStopped = nameof(OperationStopped);
    public const string UnexpectedError = nameof(UnexpectedError);

    /// <summary>Builds the record for <paramref name="exception"/>; <paramref name="target"/> is the failing input.</summary>
    public static ErrorRecord ToErrorRecord(Exception exception, object? target)
    {
        (string id, ErrorCategory category, object? errorTarget) = exception switch
        {
            SmimeSettingValueException e => (InvalidSettingValue, ErrorCategory.InvalidArgument, e.Value),
            SmimeBaselineFormatException e => (InvalidConfigFile, ErrorCategory.InvalidData, e.Origin),
            SmimeBaselineInvalidException e => (InvalidConfig, ErrorCategory.InvalidData, e.Problems.Select(problem => new SmimeConfigProblem(problem)).ToArray()),
            SmimeMessageException e => (e.Code.ToString(), MessageCategory(e.Code), (object?)e.Target ?? target),
            CertificatePasswordException => (CertificatePasswordInvalid, ErrorCategory.SecurityError, target),
            CertificateFormatException => (InvalidCertificateData, ErrorCategory.InvalidData, target),
            SmimeOrganizationNameException e => (InvalidOrganizationName, ErrorCategory.InvalidArgument, (object?)e.Name),
            SmimeRecipientAddressException e => (InvalidRecipientAddress, ErrorCategory.InvalidArgument, e.Address),
            SmimeRecipientNotFoundException e => (RecipientNotFound, ErrorCategory.ObjectNotFound, e.Identity),
            SmimeRecipientAddressInUseException e => (RecipientAddressInUse, ErrorCategory.ResourceExists, e.Address),
            SmimeStoreLockTimeoutException e => (StoreLockTimeout, ErrorCategory.ResourceBusy, e.Path),
            SmimeStoreConflictException e => (StoreConflict, ErrorCategory.ResourceBusy, e.Path),
            SmimeStoreAccessDeniedException e => (StoreAccessDenied, ErrorCategory.PermissionDenied, e.Path),
            PlatformNotSupportedException => (DirectoryStoreNotSupported, ErrorCategory.NotImplemented, target),
            SmimeStoreVersionException e => (StoreSchemaTooNew, ErrorCategory.InvalidData, e.Path),
            SmimeStoreCorruptException e => (StoreFileCorrupt, ErrorCategory.InvalidData, e.Path),
            SmimeStoreException e => (StoreUnavailable, ErrorCategory.ResourceUnavailable, e.Path),
            IOException or UnauthorizedAccessException => (StoreUnavailable, ErrorCategory.ResourceUnavailable, target),
            OperationCanceledException => (OperationStopped, ErrorCategory.OperationStopped, target),
            _ => (UnexpectedError, ErrorCategory.NotSpecified, target),
        };

        var record = new ErrorRecord(exception, id, category, errorTarget ?? target);
        if (exception is SmimeSettingValueException invalid)
        {
            record.ErrorDetails = new ErrorDetails(invalid.Message) { RecommendedAction = invalid.AcceptedValues };
        }

        return record;
    }

    /// <summary>
    /// The ErrorRecord of one input among many (a pipeline row, a synced recipient): as <see cref="ToErrorRecord"/>,
    /// except that a store failure, which names the store, names the input instead, so that the inputs a store outage
    /// stopped can be told apart.
    /// </summary>
    public static ErrorRecord ToInputErrorRecord(Exception exception, object input)
    {
        ErrorRecord record = ToErrorRecord(exception, input);
        return exception is SmimeStoreException
            ? new ErrorRecord(record.Exception, record.FullyQualifiedErrorId, record.CategoryInfo.Category, input) { ErrorDetails = record.ErrorDetails }
            : record;
    }

    private static ErrorCategory MessageCategory(SmimeMessageErrorCode code) => code switch
    {
        SmimeMessageErrorCode.NotMime or SmimeMessageErrorCode.MalformedCms or SmimeMessageErrorCode.NoRecipients => ErrorCategory.InvalidData,
        SmimeMessageErrorCode.NothingToDo or SmimeMessageErrorCode.SignerRequired or SmimeMessageErrorCode.SignerKeyUnusable => ErrorCategory.InvalidArgument,
        SmimeMessageErrorCode.SignerCertificateInvalid or SmimeMessageErrorCode.DecryptionFailed => ErrorCategory.SecurityError,
        SmimeMessageErrorCode.RecipientCertificateUnavailable or SmimeMessageErrorCode.NoDecryptionKey => ErrorCategory.ObjectNotFound,
        SmimeMessageErrorCode.TooManyLayers => ErrorCategory.LimitsExceeded,
        _ => ErrorCategory.InvalidOperation,
    };
}
