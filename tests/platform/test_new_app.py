"""`make new-app` on a scratch copy of the tree: only new files (plus the entry point in
pyproject.toml), lint clean, and the new app's own tests pass on the real bus with the app
found through its manifest, as a fresh clone would see it."""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
NEW = next(
    n for n in ("contoh", "contoh_uji", "contoh_lain") if not (ROOT / "services" / n).exists()
)
ALLOWED = (f"?? services/{NEW}/", f"?? gateway/{NEW}/", f"?? tests/{NEW}/")

pytestmark = pytest.mark.slow


def run(args, cwd, env=None, timeout=600) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A git tree holding exactly the tracked files of this checkout, as they are now."""
    tree = tmp_path_factory.mktemp("scratch") / "gawe"
    # tracked and untracked-not-ignored: the tree as it is now (an app already made is kept)
    listed = subprocess.check_output(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT
    ).split(b"\0")
    for raw in filter(None, listed):
        source = ROOT / raw.decode()
        if source.is_file():
            target = tree / raw.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git = ["git", "-c", "user.name=uji", "-c", "user.email=uji@gawe.example"]
    run([*git, "init", "-q"], tree)
    run([*git, "add", "-A"], tree)
    run([*git, "commit", "-qm", "salinan"], tree)
    return tree


def test_new_app_writes_only_its_folders_and_its_entry_point(scratch):
    env = os.environ | {"PYTHONPATH": str(scratch)}
    run([sys.executable, "-m", "servicekit.scaffold", NEW], scratch, env)
    status = run(["git", "status", "--porcelain", "--untracked-files=all"], scratch).splitlines()
    assert " M pyproject.toml" in status
    others = [line for line in status if line != " M pyproject.toml"]
    assert others and all(line.startswith(ALLOWED) for line in others), status
    assert f"?? services/{NEW}/contract.py" in status and f"?? services/{NEW}/app.py" in status
    assert any(line.startswith(f"?? services/{NEW}/migrations/versions/") for line in status)
    refused = subprocess.run(
        [sys.executable, "-m", "servicekit.scaffold", NEW],
        cwd=scratch,
        env=env,
        text=True,
        capture_output=True,
    )
    assert refused.returncode == 2 and "sudah ada" in refused.stderr  # never overwrites


def test_the_new_app_passes_lint_and_its_own_tests(scratch):
    bin_dir = Path(sys.executable).parent
    env = os.environ | {"PYTHONPATH": str(scratch)}
    run([bin_dir / "ruff", "check", "."], scratch)
    run([bin_dir / "ruff", "format", "--check", "."], scratch)
    run([bin_dir / "lint-imports"], scratch, env)

    # A virtualenv with the project's dependencies in which the scratch tree is the installed
    # project: its manifests (entry points) are the ones the platform finds.
    venv = scratch.parent / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], scratch)
    packages = next(venv.glob("lib/python*/site-packages"))
    (packages / "gawe_dependencies.pth").write_text(site.getsitepackages()[0] + "\n")
    pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check", "-q"]
    run([*pip, "install", "--no-deps", "--no-build-isolation", "--no-index", "-e", "."], scratch)
    drift = run([venv / "bin" / "python", "-m", "servicekit.deployfiles", "--check"], scratch)
    assert "not yet in the deploy files:" in drift and NEW in drift  # passes, says what to do
    out = run([venv / "bin" / "python", "-m", "pytest", "-q", f"tests/{NEW}"], scratch, timeout=900)
    # its HTTP tests on both databases, its unit tests once: nothing failed, skipped or left out
    passed = re.search(r"(\d+) passed", out)
    assert passed and int(passed.group(1)) >= 8, out[-2000:]
    assert not re.search(r"\d+ (failed|skipped|errors?)\b", out), out[-2000:]
