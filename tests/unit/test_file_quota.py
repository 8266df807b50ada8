"""One client's files and the disk: what is kept, what is refused and what the message says."""

from pathlib import Path

from channels.file_quota import DAY_SECONDS, FileQuota

MB = 1024 * 1024


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def quota(clock, free=10_000 * MB, per_client=5 * MB, floor=100 * MB):
    return FileQuota(
        Path("/nowhere"),
        per_client_bytes=per_client,
        min_free_bytes=floor,
        clock=clock,
        free=lambda _path: free() if callable(free) else free,
    )


def test_a_client_may_keep_up_to_the_daily_allowance_then_is_refused_until_a_day_passes():
    clock = Clock()
    files = quota(clock)
    assert files.take("hotline", "42", "a.jpg", 3 * MB) is None
    assert files.take("hotline", "42", "b.jpg", 2 * MB) is None  # exactly the allowance
    assert files.take("hotline", "42", "c.jpg", 1) == "client"
    assert files.take("hotline", "43", "d.jpg", 1 * MB) is None  # another client is not held
    assert files.take("email", "42", "e.eml", 1 * MB) is None  # nor the same id on another channel
    clock.now += DAY_SECONDS - 1
    assert files.take("hotline", "42", "c.jpg", 1) == "client"  # a rolling day, not a date
    clock.now += 2
    assert files.used("hotline", "42") == 0
    assert files.take("hotline", "42", "c.jpg", 4 * MB) is None


def test_the_same_file_asked_again_is_counted_once():
    """A mail read again after its store failed asks for the same paths again."""
    files = quota(Clock())
    for _ in range(5):
        assert files.take("email", "a@b.id", "x/pesan-asli.eml", 2 * MB) is None
    assert files.used("email", "a@b.id") == 2 * MB


def test_no_file_is_kept_while_the_disk_is_nearly_full_and_a_disk_that_cannot_be_read_keeps():
    free = [150 * MB]
    files = quota(Clock(), free=lambda: free[0], per_client=500 * MB)
    assert files.take("instagram", "1", "a.jpg", 40 * MB) is None
    assert files.take("instagram", "1", "b.mp4", 60 * MB) == "disk"  # would leave 90 MB
    assert files.used("instagram", "1") == 40 * MB

    def unreadable():
        raise OSError("stale NFS handle")

    files = quota(Clock(), free=unreadable)
    assert files.take("instagram", "1", "a.jpg", MB) is None


def test_the_note_says_why_where_the_file_still_is_and_which_key_sets_the_limit():
    files = quota(Clock())
    note = files.note("client", "foto.jpg", "hotline", "id")
    assert "foto.jpg" in note and "5 MB" in note and "client_files_mb_per_day" in note
    assert "Telegram" in note
    disk = files.note("disk", "surat.pdf", "email", "en")
    assert "min_free_disk_mb" in disk and "100 MB" in disk and "mailbox" in disk


def test_old_senders_are_forgotten():
    clock = Clock()
    files = quota(clock)
    for n in range(100):
        files.take("hotline", str(n), f"{n}.jpg", 10)
    clock.now += DAY_SECONDS + 3600
    files.take("hotline", "new", "x.jpg", 10)
    assert len(files._kept) == 1


def test_a_size_learnt_after_the_download_replaces_the_reservation():
    """Telegram may not announce a file's size (0), or the download may fail."""
    files = quota(Clock())
    assert files.take("hotline", "42", "a.jpg", 0) is None
    assert files.settle("hotline", "42", "a.jpg", 4 * MB) is None
    assert files.used("hotline", "42") == 4 * MB
    assert files.take("hotline", "42", "b.jpg", 0) is None
    assert files.settle("hotline", "42", "b.jpg", 2 * MB) == "client"  # the caller removes it
    assert files.used("hotline", "42") == 4 * MB
    assert files.take("hotline", "42", "c.jpg", 1 * MB) is None
    assert files.settle("hotline", "42", "c.jpg", None) is None  # nothing kept after all
    assert files.used("hotline", "42") == 4 * MB


def test_a_fractional_limit_is_written_as_configured():
    files = quota(Clock(), per_client=int(0.1 * MB))
    assert "0.1 MB" in files.note("client", "a.jpg", "email", "id")
