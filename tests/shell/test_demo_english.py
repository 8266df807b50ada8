"""The installed console script runs the whole demo in English: minutes of both cores, so in the
slow suite (`make test-slow`, which .ci/run runs after `make test`); `make test` runs the demo in
Indonesian in-process (tests/shell/test_cli.py) and the English texts are checked key by key
(tests/unit/test_catalog.py)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.long


def test_the_installed_console_script_runs_the_demo_in_english(tmp_path):
    script = Path(sys.executable).parent / "puspaga"
    assert script.exists(), "make test installs the package with its console script"
    done = subprocess.run(
        [str(script), "demo", "--data-dir", str(tmp_path / "d"), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=600,  # minutes on a loaded 2-core machine; a hang still ends
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "8 new messages stored" in out and "Unified inbox" in out
    assert "Timeline of case #1" in out and "A complaint (4 working days)" in out
    # the setup act in English: its questions, the check of what it wrote, nothing Indonesian
    assert "Step 3 of 5: the staff" in out and "Setup done:" in out
    assert "OK    telegram: bot @puspaga_local_bot in the group «Admin PUSPAGA»" in out
    assert "Langkah" not in out and "Pemasangan" not in out
