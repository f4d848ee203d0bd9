"""`python -m gawe_verify <base-url>`: exit 0 when everything holds, 1 when anything does not,
2 when the site (or the state directory) cannot be read. `--proof CHAIN` checks one chain with
an inclusion proof instead of every digest and trail (proof.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gawe_verify import __version__, report
from gawe_verify.client import Site, Unreadable
from gawe_verify.keys import Key, key_id_of
from gawe_verify.proof import run_proof
from gawe_verify.state import StateError, default_directory
from gawe_verify.verify import KINDS, Options, run


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="gawe_verify",
        description=(
            "Memeriksa jejak publik dan digest harian situs Gawe tanpa mempercayai servernya. "
            "Kode keluar: 0 semua cocok, 1 ada yang rusak, 2 situs tidak dapat dibaca."
        ),
    )
    parse.add_argument("base_url", help="alamat situs, mis. https://gawe.serangkab.go.id")
    parse.add_argument(
        "--state",
        type=Path,
        help="folder tempat hash digest dan kunci pertama disimpan antar-jalan "
        "(bawaan: ~/.cache/gawe_verify/<host>[:port])",
    )
    parse.add_argument(
        "--no-state", action="store_true", help="tidak membaca atau menyimpan apa pun"
    )
    parse.add_argument("--key", help="kunci publik Ed25519 (base64) yang dipercaya")
    scope = parse.add_mutually_exclusive_group()
    scope.add_argument("--only", choices=KINDS, help="hanya jejak usulan atau pengaduan")
    scope.add_argument(
        "--proof",
        metavar="RANTAI",
        help="hanya satu rantai, dengan bukti Merkle dari digest terakhir yang mencatatnya "
        "(mis. proposals/SO-2027-000012, atau nomor publiknya saja)",
    )
    parse.add_argument("--jobs", type=int, default=4, help="utas pengambilan (bawaan 4)")
    parse.add_argument(
        "--timeout", type=float, default=30.0, help="batas waktu tiap permintaan, detik (30)"
    )
    parse.add_argument("--quiet", action="store_true", help="hanya mencetak yang rusak")
    parse.add_argument("--json", action="store_true", help="laporan JSON untuk mesin")
    parse.add_argument("--version", action="version", version=f"gawe_verify {__version__}")
    return parse


def main(argv: list[str] | None = None) -> int:
    parse = parser()
    args = parse.parse_args(argv)
    try:
        site = Site(args.base_url, timeout=args.timeout)
    except ValueError as error:
        parse.error(str(error))
    if args.jobs < 1 or args.timeout <= 0:
        parse.error("--jobs paling sedikit 1 dan --timeout lebih dari 0")
    if args.proof is not None and not _chain_name(args.proof):
        parse.error(
            "--proof: nama rantai proposals/<nomor> atau complaints/<nomor>, atau nomornya saja"
        )
    pinned = None
    if args.key:
        try:
            pinned = Key(key_id_of(args.key), args.key)
        except ValueError:
            parse.error("--key harus base64 dari 32 bita kunci publik Ed25519")
    options = Options(
        kinds=(args.only,) if args.only else KINDS,
        jobs=args.jobs,
        state_dir=None if args.no_state else (args.state or default_directory(site.name)),
        pinned=pinned,
    )
    sys.stdout.reconfigure(errors="backslashreplace")
    try:
        outcome = run_proof(site, options, args.proof) if args.proof else run(site, options)
    except (Unreadable, StateError) as error:
        if args.json:
            print(report.unreadable_json(site.base, str(error)))
        print(f"TIDAK TERBACA: {error}", file=sys.stderr)
        return report.UNREADABLE
    if args.json:
        print(report.as_json(outcome, quiet=args.quiet))
    else:
        sys.stdout.write("".join(line + "\n" for line in report.text_lines(outcome, args.quiet)))
    return report.exit_code(outcome)


def _chain_name(name: str) -> bool:
    kind, slash, public_id = name.partition("/")
    if not slash:
        kind, public_id = KINDS[0], name
    return kind in KINDS and bool(public_id) and "/" not in public_id


if __name__ == "__main__":
    sys.exit(main())
