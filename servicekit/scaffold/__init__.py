"""`make new-app NAME=<name>`: a working app of the suite from a template.

Writes services/<name>/ (contract, manifest, thin service with one RPC and one published
event, models, a migration, demo loader), gateway/<name>/ (a blueprint with its endpoints,
found automatically), tests/<name>/ (unit tests with worker_factory, HTTP tests through the
gateway on the real bus), and registers the manifest as an entry point in pyproject.toml. No
other file changes: what lists apps is derived from the installed manifests.
"""

from __future__ import annotations

import argparse
import keyword
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

TEMPLATES = Path(__file__).parent
NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")
ENTRY_POINTS = '[project.entry-points."gawe.apps"]'


def problems(root: Path, name: str) -> list[str]:
    found = []
    if not NAME.match(name) or keyword.iskeyword(name) or name.endswith("_"):
        found.append("NAME: huruf kecil, angka dan garis bawah, 2-31 karakter, diawali huruf")
    for folder in ("services", "gateway", "tests"):
        if (root / folder / name).exists():
            found.append(f"{folder}/{name} sudah ada")
    if ENTRY_POINTS not in (root / "pyproject.toml").read_text():
        found.append(f"pyproject.toml tidak punya bagian {ENTRY_POINTS}")
    return found


def render(text: str, name: str) -> str:
    title = name.replace("_", " ").title()
    return (
        text.replace("__App__", title.replace(" ", ""))
        .replace("__Title__", title)
        .replace("__app__", name)
        .replace("__date__", datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"))
    )


def scaffold(root: Path, name: str) -> list[Path]:
    """Write the new app under `root`; returns the files written."""
    written = []
    for template in sorted(TEMPLATES.rglob("*.tmpl")):
        relative = template.relative_to(TEMPLATES)
        top, rest = relative.parts[0], relative.parts[1:]
        target = root / top / name / Path(*rest).with_suffix("")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(template.read_text(), name))
        written.append(target)
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text()
    line = f'{name} = "services.{name}.app:APP"\n'
    pyproject.write_text(text.replace(ENTRY_POINTS + "\n", ENTRY_POINTS + "\n" + line, 1))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    found = problems(args.root, args.name)
    if found:
        for problem in found:
            print(f"make new-app: {problem}", file=sys.stderr)
        return 2
    for path in scaffold(args.root, args.name):
        print(path.relative_to(args.root))
    print(f"Aplikasi {args.name} dibuat. Lanjut: make run (lihat docs/adding-an-app.md).")
    return 0
