"""What a run found, as lines for people (one per chain, then a summary) or as one JSON
document for machines."""

from __future__ import annotations

import json

from gawe_verify.chains import ChainResult
from gawe_verify.verify import Outcome

HOLDS, FAILS, UNREADABLE = 0, 1, 2


def exit_code(outcome: Outcome) -> int:
    return HOLDS if outcome.holds else FAILS


def chain_line(result: ChainResult) -> str:
    if not result.ok:
        return f"RUSAK {result.chain}: {'; '.join(result.reasons)}"
    line = f"OK {result.chain}: {result.entries} entri, {result.anchored} di digest"
    if result.pending:
        line += f", {result.pending} belum di digest"
    if result.proof:
        proof = result.proof
        line += (
            f" (bukti Merkle: entri ke-{proof['seq']} di digest {proof['date']}, daun "
            f"{proof['index'] + 1} dari {proof['size']}, {proof['path_length']} hash)"
        )
    return line


def text_lines(outcome: Outcome, quiet: bool = False):
    if not quiet:
        trusted = outcome.trusted.key_id if outcome.trusted else "-"
        yield f"Situs {outcome.site} (kunci dipercaya: {trusted})"
    for subject, why in outcome.failures:
        yield f"RUSAK {subject}: {why}"
    if not quiet:
        for subject, why in outcome.warnings:
            yield f"PERINGATAN {subject}: {why}"
    for result in outcome.chains:
        if not (quiet and result.ok):
            yield chain_line(result)
    if not quiet:
        yield summary(outcome)
        problems = len(outcome.failures) + len(outcome.broken_chains)
        yield "Hasil: SEMUA COCOK" if outcome.holds else f"Hasil: ADA YANG RUSAK ({problems})"


def summary(outcome: Outcome) -> str:
    chains, broken = len(outcome.chains), len(outcome.broken_chains)
    entries = sum(c.entries for c in outcome.chains)
    pending = sum(c.pending for c in outcome.chains)
    seconds = f"{outcome.seconds:.1f}".replace(".", ",")
    return (
        f"Ringkasan: {outcome.digests.checked} digest ({outcome.digests.broken} rusak), "
        f"{chains} rantai ({chains - broken} OK, {broken} rusak), {entries} entri "
        f"({pending} belum di digest), {len(outcome.warnings)} peringatan; {seconds} detik"
    )


def as_json(outcome: Outcome, quiet: bool = False) -> str:
    chains = outcome.chains
    document = {
        "site": outcome.site,
        "ok": outcome.holds,
        "exit_code": exit_code(outcome),
        "seconds": round(outcome.seconds, 3),
        "key": {
            "published": outcome.keys.current.key_id if outcome.keys.current else None,
            "trusted": outcome.trusted.key_id if outcome.trusted else None,
        },
        "failures": [{"subject": s, "reason": why} for s, why in outcome.failures],
        "warnings": [{"subject": s, "reason": why} for s, why in outcome.warnings],
        "digests": {
            "count": outcome.digests.checked,
            "broken": outcome.digests.broken,
            "sealed_until": outcome.digests.sealed_until,
        },
        "chains": {
            "count": len(chains),
            "broken": len(outcome.broken_chains),
            "entries": sum(c.entries for c in chains),
            "pending": sum(c.pending for c in chains),
        },
        "results": [
            {
                "chain": c.chain,
                "ok": c.ok,
                "entries": c.entries,
                "anchored": c.anchored,
                "pending": c.pending,
                "reasons": c.reasons,
            }
            | ({"proof": c.proof} if c.proof else {})
            for c in chains
            if not (quiet and c.ok)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def unreadable_json(site: str, why: str) -> str:
    return json.dumps(
        {"site": site, "ok": False, "exit_code": UNREADABLE, "unreadable": why},
        ensure_ascii=False,
    )
