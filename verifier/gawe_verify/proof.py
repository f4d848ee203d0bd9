"""`--proof CHAIN`: one chain checked against the one digest that last committed it, with an
inclusion proof instead of every digest's heads (a few hundred bytes instead of megabytes).

Read: the key, the chain's trail, and the site's proof (`/api/v1/transparency/proof`): the head
that digest committed, its leaf's index among the digest's heads, the audit path from that leaf
to the digest's root, and the digest's header as signed. Checked: the key as in a whole run; the
header's signature with the trusted (or announced) key, its hash against the copy kept from
earlier runs; the root the path leads to from the head's leaf, which must be the header's; and
the committed head, which must still be the chain's entry at its seq, the chain recomputing.

What it does not show: heads that earlier digests committed for this chain, chains the site
says no digest holds (a 404 is taken at its word, as a warning), and the `previous` links
between digests. The whole run reads all of that."""

from __future__ import annotations

import time

from gawe_verify.chains import ChainChecker, ChainResult
from gawe_verify.client import Site, Unreadable
from gawe_verify.digests import FIELDS, Anchor, Digests
from gawe_verify.formats import canonical, leaf_hash, root_from_proof, sha256_hex
from gawe_verify.keys import Keys, read_keys
from gawe_verify.state import State
from gawe_verify.verify import KINDS, Options, Outcome


def run_proof(site: Site, options: Options, name: str) -> Outcome:
    """`name`: a chain (`proposals/SO-2027-000012`) or a public id alone. Raises
    client.Unreadable when the site cannot be read or knows no such chain."""
    started = time.monotonic()
    state = State.load(options.state_dir) if options.state_dir else None
    trusted = options.pinned or (state.key if state else None)
    keys = read_keys(site.key(), trusted)
    chain, trail = _find(site, name)
    proof = site.proof(chain)
    if trail is None and proof is None:
        raise Unreadable(f"situs tidak mengenal rantai {chain} (jejak dan buktinya 404)")
    digests = Digests()
    outcome = Outcome(site.base, keys, digests, trusted or keys.current)
    outcome.failures += [("kunci", why) for why in keys.failures]
    outcome.warnings += [("kunci", why) for why in keys.warnings]
    reasons: list[str] = []
    if proof is None:
        outcome.warnings.append(
            (
                chain,
                "menurut situs belum ada digest yang mencatat rantai ini; hanya pemeriksaan "
                "lengkap (tanpa --proof) yang membaca semua digest",
            )
        )
    else:
        reasons = _check_proof(digests, chain, proof, keys, state)
    outcome.failures += [(f"digest {date}", why) for date, why in digests.failures]
    result = _check_trail(ChainChecker(digests), digests, chain, trail)
    result.reasons[:0] = reasons
    if proof is not None and not reasons and chain in digests.anchors:
        result.proof = {k: proof[k] for k in ("date", "seq", "index", "size")}
        result.proof["path_length"] = len(proof["path"])
    outcome.chains = [result]
    if state:
        state.save(digests.authentic, keys.current)
    outcome.seconds = time.monotonic() - started
    return outcome


def _find(site: Site, name: str) -> tuple[str, dict | None]:
    if "/" in name:
        return name, site.trail(name)
    for kind in KINDS:
        chain = f"{kind}/{name}"
        trail = site.trail(chain)
        if trail is not None:
            return chain, trail
    raise Unreadable(f"situs tidak mengenal {name} sebagai usulan maupun pengaduan")


def _check_trail(checker: ChainChecker, digests: Digests, chain: str, trail) -> ChainResult:
    if trail is None:
        if chain in digests.anchors:
            return checker.missing(chain)
        return ChainResult(chain, reasons=["situs tidak menerbitkan jejak rantai ini"])
    if trail.get("chain") != chain:
        return ChainResult(
            chain, reasons=[f"situs menjawab jejak rantai lain ({trail.get('chain')})"]
        )
    return checker.check(trail)


def _well_formed(proof: dict) -> bool:
    header = proof.get("digest")
    return (
        all(isinstance(proof.get(k), str) for k in ("date", "chain", "hash", "root", "signature"))
        and all(type(proof.get(k)) is int for k in ("seq", "index", "size"))
        and proof["seq"] >= 1
        and isinstance(proof.get("path"), list)
        and isinstance(header, dict)
        and all(name in header for name in FIELDS)
        and all(isinstance(header[name], str) for name in ("date", "period_end", "root"))
    )


def _check_proof(digests: Digests, chain: str, proof: dict, keys: Keys, state) -> list[str]:
    """The signed header into `digests` (its failures, and the committed head as an anchor when
    the signature and the proof hold); what is wrong with the proof itself, for the chain."""
    if not _well_formed(proof):
        return ["format bukti dari situs tidak sah"]
    date, header = proof["date"], proof["digest"]
    digests.checked = 1
    body = canonical(header)
    recomputed = sha256_hex(body)
    digests.recomputed[date] = recomputed
    if header["date"] != date:
        digests.fail(date, f"bukti menyebut digest {date}, header-nya bertanggal {header['date']}")
    if header["version"] != 1:
        digests.fail(date, f"versi digest {header['version']!r} tidak dikenal")
    key = keys.by_id.get(header["key_id"]) if isinstance(header["key_id"], str) else None
    if key is None:
        digests.fail(date, f"ditandatangani kunci {header['key_id']} yang tidak diumumkan")
    elif not key.verifies(proof["signature"], body):
        digests.fail(date, f"tanda tangan tidak sah (kunci {key.key_id})")
    if state:
        kept = set(state.digests) | {date}
        digests.failures += state.compare(kept, {date: recomputed})
    reasons = []
    if proof["chain"] != chain:
        reasons.append(f"bukti untuk rantai lain ({proof['chain']})")
    if proof["size"] != header["heads"]:
        reasons.append(
            f"bukti untuk {proof['size']} heads, digest {date} mencatat {header['heads']}"
        )
    if proof["root"] != header["root"]:
        reasons.append(f"bukti menyebut root yang bukan root digest {date}")
    leaf = leaf_hash(chain, proof["seq"], proof["hash"])
    try:
        rooted = root_from_proof(leaf, proof["index"], proof["size"], proof["path"])
    except ValueError:
        reasons.append(
            f"bukti Merkle tidak sah: indeks, jumlah heads dan panjang jalurnya tidak cocok "
            f"(digest {date})"
        )
    else:
        if rooted != header["root"]:
            reasons.append(
                f"bukti Merkle tidak sampai ke root digest {date}: entri ke-{proof['seq']} "
                f"tidak terbukti tercatat di sana"
            )
    if not reasons and not digests.failures:  # the head, committed by the key's holder
        digests.authentic[date] = recomputed
        digests.anchors[chain] = {proof["seq"]: Anchor(proof["seq"], proof["hash"], date)}
        digests.sealed_until = header["period_end"]
    return reasons
