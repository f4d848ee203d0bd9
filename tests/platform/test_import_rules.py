"""The import rules of `make lint` (import-linter, contracts in pyproject.toml) hold on this
tree and catch each kind of breach: the gateway reaching into a service, a service into
another app, a contract into its own service or into SQLAlchemy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=os.environ | {"PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """The Python packages and pyproject.toml of this checkout, to break on purpose."""
    copy = tmp_path_factory.mktemp("imports")
    for package in ("gateway", "servicekit", "services"):
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy2(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_the_tree_keeps_every_import_rule(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "rule"),
    [
        ("gateway/ops/rest.py", "import services.complaints.store", "The gateway knows"),
        ("services/gis/service.py", "import services.accounts.store", "A service imports"),
        ("services/complaints/contract/__init__.py", "import sqlalchemy", "A contract depends"),
        ("services/accounts/contract.py", "import services.accounts.models", "A contract depends"),
        ("servicekit/health.py", "import gateway.api", "servicekit is app-agnostic"),
    ],
)
def test_each_rule_catches_its_breach(tree, module, line, rule):
    path = tree / module
    if not path.exists():  # a contract may be a module or a package
        path = path.parent.with_suffix(".py") if path.name == "__init__.py" else path
    original = path.read_text()
    try:
        path.write_text(original + f"\n{line}  # noqa\n")
        result = lint_imports(tree)
    finally:
        path.write_text(original)
    assert result.returncode != 0, f"{line} in {module} was not caught"
    verdicts = [line for line in result.stdout.splitlines() if line.startswith(rule)]
    assert any(" BROKEN" in v for v in verdicts), result.stdout[-2000:]
