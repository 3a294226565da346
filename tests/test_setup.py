"""The two set-up commands do the set-up: `make test` installs the system programs it needs as
root, and otherwise stops before any test with the one command to run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .helpers import ROOT


def test_make_test_without_graphviz_stops_at_once_with_the_command_to_run(tmp_path: Path):
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    bin_dir = tmp_path / "bin"  # a PATH with no dot and an `id` of an ordinary user
    bin_dir.mkdir()
    fake_id = bin_dir / "id"
    fake_id.write_text("#!/bin/sh\necho 1000\n")
    fake_id.chmod(0o755)
    done = subprocess.run(
        [make, "-s", "-C", str(ROOT), "system-tools"],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "make test needs Graphviz's dot: run  sudo apt-get install graphviz" in done.stderr
