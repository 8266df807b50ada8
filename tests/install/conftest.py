"""The install tests follow the README as root (sudo), in a folder the service's user can walk."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def base():
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the deployment test runs as root in CI (.ci/run)")
        pytest.skip("the deployment follows README as root (sudo): run as root, as CI does")
    folder = Path(tempfile.mkdtemp(prefix="puspaga-deploy-"))
    folder.chmod(0o755)  # the service's user walks through it, as through /opt and /etc
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
