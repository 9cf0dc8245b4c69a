using System;
using System.IO;
using System.Threading;
using SmimeAdmin.Core.Store;
using Xunit;

namespace SmimeAdmin.Core.Tests.Store;

public sealed class FileLockTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string LockPath => _folder.Combine(".lock");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Acquire_creates_the_lock_file()
    {
        using (FileLock.Acquire(LockPath, TimeSpan.Zero, CancellationToken.None))
        {
            Assert.True(File.Exists(LockPath));
        }
    }

    [Fact]
    public void A_held_lock_cannot_be_acquired_again_until_it_is_released()
    {
        IDisposable held = FileLock.Acquire(LockPath, TimeSpan.Zero, CancellationToken.None);

        SmimeStoreLockTimeoutException exception = Assert.Throws<SmimeStoreLockTimeoutException>(
            () => FileLock.Acquire(LockPath, TimeSpan.FromMilliseconds(50), CancellationToken.None));
        held.Dispose();
        using IDisposable again = FileLock.Acquire(LockPath, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(LockPath, exception.Path);
        Assert.Equal(TimeSpan.FromMilliseconds(50), exception.Timeout);
        Assert.IsAssignableFrom<IOException>(exception.InnerException);
    }

    [Fact]
    public void A_file_opened_elsewhere_with_FileShare_None_holds_the_lock()
    {
        using (new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.Throws<SmimeStoreLockTimeoutException>(() => FileLock.Acquire(LockPath, TimeSpan.FromMilliseconds(200), CancellationToken.None));
        }

        using IDisposable acquired = FileLock.Acquire(LockPath, TimeSpan.Zero, CancellationToken.None);
    }

    [Fact]
    public void The_lock_shuts_out_other_openers_while_held()
    {
        using (FileLock.Acquire(LockPath, TimeSpan.Zero, CancellationToken.None))
        {
            Assert.Throws<IOException>(() => new FileStream(LockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None));
        }
    }

    [Fact]
    public void A_cancelled_token_stops_the_wait_with_OperationCanceledException()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        using (FileLock.Acquire(LockPath, TimeSpan.Zero, CancellationToken.None))
        {
            Assert.ThrowsAny<OperationCanceledException>(() => FileLock.Acquire(LockPath, TimeSpan.FromMinutes(10), cancellation.Token));
        }
    }

    [Fact]
    public void A_missing_folder_is_reported_at_once_not_waited_out()
    {
        string path = _folder.Combine("missing", ".lock");

        Assert.Throws<DirectoryNotFoundException>(() => FileLock.Acquire(path, TimeSpan.Zero, CancellationToken.None));
    }
}
