"""The component library installs on its own: a wheel built from pyproject.toml holds
`components` (with its data) and nothing of the CLI, and someone else's Pulumi program uses two
components from the installed copy, not from this checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .helpers import ROOT

PROGRAM = ROOT / "tests" / "fixtures" / "external_program" / "main.py"


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args], check=True)


def test_pip_installs_the_components_and_another_program_uses_them(tmp_path: Path):
    source = tmp_path / "source"  # build a copy: setuptools writes build/ and *.egg-info beside the sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "components", source / "components", ignore=shutil.ignore_patterns("__pycache__"))
    # pip builds the wheel from pyproject.toml and installs it; RECORD lists every file it held.
    pip("install", "--no-deps", "--no-build-isolation", "--target", str(tmp_path / "site"), str(source))
    (record,) = (tmp_path / "site").glob("webstack-*.dist-info/RECORD")
    names = [line.split(",")[0] for line in record.read_text().splitlines()]
    assert "components/__init__.py" in names and "components/instance_classes.csv" in names
    assert not [n for n in names if n.startswith(("webstack/", "tests/", "policy/", "webstack_policy/"))]

    app = tmp_path / "app"
    app.mkdir()
    shutil.copy(PROGRAM, app / "main.py")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PULUMI_TEST_MODE")}
    env["PYTHONPATH"] = str(tmp_path / "site")
    done = subprocess.run([sys.executable, "main.py"], cwd=app, env=env, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    assert Path(result["library"]).is_relative_to(tmp_path / "site")  # the installed copy
    assert result["vpc"] == ["net-vpc-id"]
    assert {"webstack:network:SecureVpc", "aws:ec2/natGateway:NatGateway", "webstack:storage:StaticSite",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"} <= set(result["types"])  # fmt: skip
