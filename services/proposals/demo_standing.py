"""The demo organisations' standing documents (issue 16), for services/proposals/demo.py: each
demo organisation keeps every standing document on its profile, valid for this year's and the
next budget years, so the demo citizen's proposals for Karang Taruna submit with only their
own documents uploaded; each demo proposal that was submitted names the versions it used.

The files are small PDFs written into the blob store (GAWE_BLOB_DIR, as the gateway stores
uploads: `proposals/<sha256[:2]>/<sha256>.pdf`, owner-only). Idempotent: a kind the profile
already holds is left alone.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.config import env_str, var_dir
from services.proposals.contract.catalogue import EXPIRES, NEVER, ORGANISATION, STANDING_KINDS
from services.proposals.models import Applicant, ApplicantDocument, ProposalStandingDocument
from services.proposals.standing import current_of


def blob_root() -> Path:
    return Path(env_str("GAWE_BLOB_DIR") or (var_dir() / "blobs"))


def demo_pdf(title: str) -> bytes:
    """A one-page PDF saying what it stands for (fictional)."""
    shown = title.replace("\\", "").replace("(", "[").replace(")", "]")  # a PDF string's own marks
    text = f"BT /F1 14 Tf 72 760 Td ({shown} - dokumen demo) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def store_blob(root: Path, data: bytes) -> tuple[str, str]:
    """Write `data` under its content hash (as the gateway's blob store does): (key, sha256)."""
    digest = hashlib.sha256(data).hexdigest()
    key = f"proposals/{digest[:2]}/{digest}.pdf"
    path = root / key
    if not path.exists():
        for folder in (root, root / "proposals", path.parent):
            folder.mkdir(mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")  # created 0600
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    return key, digest


def validity(kind: str, this_year: int, established_on: date | None) -> tuple:
    rule = STANDING_KINDS[kind].validity
    if rule == EXPIRES:  # a board's term, a domicile letter: through the demo's budget years
        return date(this_year - 2, 1, 2), date(this_year + 3, 12, 31)
    if rule == NEVER:
        return established_on, None
    return None, None  # a KTP for life, an NPWP


def keep_demo_standing(session: Session, names: list[str], now: datetime) -> int:
    """Every standing document for each named demo organisation that lacks it; how many."""
    root, added = blob_root(), 0
    uploaded = datetime(now.year - 2, 1, 5, 2, 0, tzinfo=UTC)  # before the oldest demo proposal
    for name in names:
        applicant = session.scalar(select(Applicant).where(Applicant.name == name))
        if applicant is None or applicant.kind != ORGANISATION:
            continue
        held = current_of(session, applicant.id)
        for kind in STANDING_KINDS.values():
            if kind.code in held:
                continue
            data = demo_pdf(f"{kind.name} {applicant.name}")
            key, digest = store_blob(root, data)
            start, end = validity(kind.code, now.year, applicant.established_on)
            session.add(
                ApplicantDocument(
                    applicant_id=applicant.id,
                    kind=kind.code,
                    blob_key=key,
                    content_type="application/pdf",
                    size=len(data),
                    sha256=digest,
                    filename=f"{kind.code}.pdf",
                    valid_from=start,
                    valid_until=end,
                    uploaded_at=uploaded,
                )
            )
            added += 1
    session.flush()
    return added


def record_demo_used(session: Session, proposal, kinds: tuple[str, ...], at: datetime) -> None:
    """The versions a demo proposal was submitted with: its organisation's, for its kinds."""
    held = current_of(session, proposal.applicant_id)
    for kind in kinds:
        if kind in held:
            session.add(
                ProposalStandingDocument(
                    proposal_id=proposal.id,
                    kind=kind,
                    applicant_document_id=held[kind].id,
                    recorded_at=at,
                )
            )
