"""Uploaded photos and documents: type checked by content, size-limited, stored by key.

Files go to a blob store (a local directory by default: GAWE_BLOB_DIR); messages on
the bus carry only the key. Images are re-encoded for their public copy, which drops
EXIF (GPS position, camera, owner) and any other metadata.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, request
from PIL import Image, UnidentifiedImageError

from gateway.problems import Problem
from servicekit.config import env_int, env_str, var_dir

KINDS = {
    "image/jpeg": ("jpg", (b"\xff\xd8\xff",)),
    "image/png": ("png", (b"\x89PNG\r\n\x1a\n",)),
    "image/webp": ("webp", ()),  # RIFF....WEBP, checked below
    "application/pdf": ("pdf", (b"%PDF-",)),
}
IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs


def sniff(data: bytes) -> str | None:
    """The real type of a file from its first bytes, whatever its name or declared type."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for mime, (_, signatures) in KINDS.items():
        if any(data.startswith(sig) for sig in signatures):
            return mime
    return None


def public_image_copy(data: bytes, mime: str) -> bytes:
    """Re-encode an image without its metadata; a file that does not decode is refused."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.mode not in ("L", "RGB", "RGBA") or (
                mime == "image/jpeg" and image.mode == "RGBA"
            ):
                image = image.convert("RGBA" if mime != "image/jpeg" else "RGB")
            # A new image holds pixels only: EXIF, XMP, ICC and text chunks stay behind.
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            out = io.BytesIO()
            options = {"quality": 88} if mime in {"image/jpeg", "image/webp"} else {}
            clean.save(out, format=PIL_FORMATS[mime], **options)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise Problem(
            422,
            "Gambar tidak dapat dibaca.",
            {"file": [f"Berkas gambar rusak atau tidak didukung ({exc})."]},
        ) from None


@dataclass(frozen=True)
class StoredBlob:
    key: str
    content_type: str
    size: int
    sha256: str


class LocalBlobStore:
    """Blobs as files under one directory, named by their content hash (idempotent puts)."""

    def __init__(self, root: Path):
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes, content_type: str, prefix: str) -> StoredBlob:
        digest = hashlib.sha256(data).hexdigest()
        key = f"{prefix}/{digest[:2]}/{digest}.{KINDS[content_type][0]}"
        path = self.root / key
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        return StoredBlob(key=key, content_type=content_type, size=len(data), sha256=digest)

    def path(self, key: str) -> Path | None:
        candidate = (self.root / key).resolve()
        if self.root.resolve() not in candidate.parents or not candidate.is_file():
            return None
        return candidate


def blob_store() -> LocalBlobStore:
    store = current_app.extensions.get("gawe_blobs")
    if store is None:
        root = Path(env_str("GAWE_BLOB_DIR") or (var_dir() / "blobs"))
        store = current_app.extensions["gawe_blobs"] = LocalBlobStore(root)
    return store


def max_upload_bytes() -> int:
    return env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)


def allow_upload_body(max_files: int) -> None:
    """Let this request's multipart body be as large as `max_files` uploads need (beyond the
    1 MiB of JSON bodies). Call it before anything reads request.form: the body is parsed once."""
    if request.mimetype == "multipart/form-data":
        request.max_content_length = max_upload_bytes() * max_files + 64 * 1024


@dataclass(frozen=True)
class Upload:
    """One checked upload, held in memory: nothing is written until store_files."""

    field: str  # the form field and index it came in, e.g. "photos[0]"
    data: bytes
    content_type: str


def read_files(field: str, allowed: frozenset[str], max_files: int) -> list[Upload]:
    """Read multipart files under `field` and check each by content and size; images become
    their metadata-free public copy. Nothing is stored: check permissions, then store_files."""
    limit = max_upload_bytes()
    allow_upload_body(max_files)
    if request.mimetype != "multipart/form-data":
        raise Problem(415, "Kirim berkas sebagai multipart/form-data.")
    files = request.files.getlist(field)
    if not files:
        raise Problem(422, "Tidak ada berkas.", {field: ["Lampirkan paling sedikit satu berkas."]})
    if len(files) > max_files:
        raise Problem(
            422, "Terlalu banyak berkas.", {field: [f"Paling banyak {max_files} berkas."]}
        )
    uploads = []
    for index, upload in enumerate(files):
        data = upload.read(limit + 1)
        name = f"{field}[{index}]"
        if len(data) > limit:
            raise Problem(
                413,
                "Berkas terlalu besar.",
                {name: [f"Ukuran maksimum {limit // (1024 * 1024)} MiB."]},
            )
        mime = sniff(data)
        if mime not in allowed:
            kinds = ", ".join(sorted(KINDS[m][0].upper() for m in allowed))
            raise Problem(
                415,
                "Jenis berkas tidak didukung.",
                {name: [f"Hanya {kinds} (diperiksa dari isinya)."]},
            )
        if mime in IMAGES:
            data = public_image_copy(data, mime)
        uploads.append(Upload(field=name, data=data, content_type=mime))
    return uploads


def store_files(uploads: list[Upload], prefix: str) -> list[StoredBlob]:
    """Write checked uploads to the blob store (after the caller may add them)."""
    store = blob_store()
    return [store.put(upload.data, upload.content_type, prefix) for upload in uploads]


def receive_files(
    field: str, allowed: frozenset[str], max_files: int, prefix: str
) -> list[StoredBlob]:
    """read_files then store_files, for callers that check permissions only afterwards."""
    return store_files(read_files(field, allowed, max_files), prefix)
