"""Uploaded photos and documents: type checked by content, size-limited, stored by key.

Files go to a blob store (a local directory by default: GAWE_BLOB_DIR); messages on
the bus carry only the key. Images are re-encoded for their public copy, which drops
EXIF (GPS position, camera, owner) and any other metadata.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass, replace
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
# Images over UPLOAD_MAX_PIXELS are refused by our own header check, so Pillow's warning for
# those between its limit and twice it (where it raises) is noise.
warnings.simplefilter("ignore", Image.DecompressionBombWarning)


def sniff(data: bytes) -> str | None:
    """The real type of a file from its first bytes, whatever its name or declared type."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for mime, (_, signatures) in KINDS.items():
        if any(data.startswith(sig) for sig in signatures):
            return mime
    return None


def max_pixels() -> int:
    """Largest image (width × height) accepted; larger ones are refused from their header."""
    return env_int("UPLOAD_MAX_PIXELS", 40_000_000, minimum=1)


def max_request_pixels() -> int:
    """Pixels all images of one request may have together: bounds the decoding one request
    costs (memory grows with pixels, not with the file's bytes)."""
    return env_int("UPLOAD_MAX_REQUEST_PIXELS", 100_000_000, minimum=1)


def _millions(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".replace(".", ",").removesuffix(",0")


def _unreadable(field: str, exc: Exception) -> Problem:
    return Problem(
        422,
        "Gambar tidak dapat dibaca.",
        {field: [f"Berkas gambar rusak atau tidak didukung ({exc})."]},
    )


def _too_many_pixels(field: str, limit: int, size: tuple[int, int] | None = None) -> Problem:
    shown = f" ({size[0]} × {size[1]} piksel)" if size else ""
    return Problem(
        422,
        "Gambar terlalu besar.",
        {
            field: [
                f"Gambar paling besar {_millions(limit)} juta piksel{shown}; perkecil gambarnya."
            ]
        },
    )


def _open(data: bytes, mime: str) -> Image.Image:
    """Read an image's header only (pixels are decoded later, by load()); the sniffed format
    is the only decoder tried. Pillow's own bomb check stays as a backstop at our limit."""
    Image.MAX_IMAGE_PIXELS = max_pixels()
    return Image.open(io.BytesIO(data), formats=[PIL_FORMATS[mime]])


def image_pixels(data: bytes, mime: str, field: str = "file") -> int:
    """Width × height from the header, without decoding; an image over UPLOAD_MAX_PIXELS or
    one that cannot be read is refused (422 naming `field`)."""
    limit = max_pixels()
    try:
        with _open(data, mime) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        raise _too_many_pixels(field, limit) from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise _unreadable(field, exc) from None
    if width * height > limit:
        raise _too_many_pixels(field, limit, (width, height))
    return width * height


def public_image_copy(data: bytes, mime: str, field: str = "file") -> bytes:
    """Re-encode an image without its metadata; a file that does not decode, or has more
    pixels than allowed (checked before any decoding), is refused."""
    image_pixels(data, mime, field)
    try:
        with _open(data, mime) as image:
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
    except Image.DecompressionBombError:
        raise _too_many_pixels(field, max_pixels()) from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise _unreadable(field, exc) from None


@dataclass(frozen=True)
class StoredBlob:
    key: str
    content_type: str
    size: int
    sha256: str


class LocalBlobStore:
    """Blobs as files under one directory, named by their content hash (idempotent puts).

    Uploads hold personal data (ID cards, faces, homes): files are 0600 and directories 0700,
    readable by the gateway's own user only.
    """

    def __init__(self, root: Path):
        self.root = root
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.root.chmod(0o700)  # also a store made before blobs were private

    def put(self, data: bytes, content_type: str, prefix: str) -> StoredBlob:
        digest = hashlib.sha256(data).hexdigest()
        key = f"{prefix}/{digest[:2]}/{digest}.{KINDS[content_type][0]}"
        path = self.root / key
        if path.exists():
            os.utime(path)  # fresh again: the sweeper's grace period starts now
        else:
            for directory in reversed(path.relative_to(self.root).parents[:-1]):
                (self.root / directory).mkdir(mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")  # created 0600
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        return StoredBlob(key=key, content_type=content_type, size=len(data), sha256=digest)

    def path(self, key: str) -> Path | None:
        candidate = (self.root / key).resolve()
        if self.root.resolve() not in candidate.parents or not candidate.is_file():
            return None
        return candidate


def blob_root() -> Path:
    return Path(env_str("GAWE_BLOB_DIR") or (var_dir() / "blobs"))


def blob_store() -> LocalBlobStore:
    store = current_app.extensions.get("gawe_blobs")
    if store is None:
        store = current_app.extensions["gawe_blobs"] = LocalBlobStore(blob_root())
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
    checked, pixels, budget = [], 0, max_request_pixels()
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
        if mime in IMAGES:  # every header is checked before any image is decoded
            pixels += image_pixels(data, mime, name)
            if pixels > budget:
                raise Problem(
                    422,
                    "Gambar terlalu besar.",
                    {
                        field: [
                            f"Semua gambar sekaligus paling besar {_millions(budget)} juta "
                            "piksel; kirim lebih sedikit atau perkecil gambarnya."
                        ]
                    },
                )
        checked.append(Upload(field=name, data=data, content_type=mime))
    return [
        replace(u, data=public_image_copy(u.data, u.content_type, u.field))
        if u.content_type in IMAGES
        else u
        for u in checked
    ]


def store_files(uploads: list[Upload], prefix: str) -> list[StoredBlob]:
    """Write checked uploads to the blob store (after the caller may add them)."""
    store = blob_store()
    return [store.put(upload.data, upload.content_type, prefix) for upload in uploads]


def receive_files(
    field: str, allowed: frozenset[str], max_files: int, prefix: str
) -> list[StoredBlob]:
    """read_files then store_files, for callers that check permissions only afterwards."""
    return store_files(read_files(field, allowed, max_files), prefix)


def form_body(
    files: str, max_files: int, *, optional: dict[str, dict] | None = None, **choices: list[str]
) -> dict:
    """The JSON schema of an upload's multipart/form-data body, for the API document: the file
    field (one file, or one to `max_files`) and each text field with its choices; all required
    (read_files refuses a request without a file with a 422 naming the field), but the
    `optional` fields (name -> their JSON schema, e.g. a date)."""
    file = {"type": "string", "format": "binary"}
    properties: dict = {name: {"type": "string", "enum": list(v)} for name, v in choices.items()}
    properties[files] = (
        file
        if max_files == 1
        else {"type": "array", "items": file, "minItems": 1, "maxItems": max_files}
    )
    required = sorted(properties)
    properties |= optional or {}
    return {"type": "object", "required": required, "properties": properties}
