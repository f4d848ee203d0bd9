import io
import os
import stat

import pytest
from flask import Flask
from PIL import Image, ImageFile

from gateway.blobs import CannotTell, sweep
from gateway.problems import Problem
from gateway.uploads import (
    IMAGES,
    LocalBlobStore,
    image_pixels,
    public_image_copy,
    read_files,
    sniff,
    store_files,
)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "KameraWarga"  # Make
    exif[0x8825] = {1: "S", 2: (6.0, 7.0, 11.0), 3: "E", 4: (106.0, 9.0, 1.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_type_is_taken_from_content_not_name():
    assert sniff(jpeg_with_gps()) == "image/jpeg"
    assert sniff(b"%PDF-1.7\n...") == "application/pdf"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"MZ\x90\x00 an executable") is None
    assert sniff(b"<html><script>") is None


def test_public_copy_drops_exif_and_gps():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the fixture really has EXIF
    clean = public_image_copy(original, "image/jpeg")
    reopened = Image.open(io.BytesIO(clean))
    assert not reopened.getexif()
    assert reopened.size == (40, 30)


def test_a_file_that_only_looks_like_an_image_is_refused():
    with pytest.raises(Problem) as exc:
        public_image_copy(b"\xff\xd8\xff" + b"not really a jpeg", "image/jpeg")
    assert exc.value.status == 422


def test_blob_keys_are_content_addressed_and_paths_cannot_escape(tmp_path):
    store = LocalBlobStore(tmp_path / "blobs")
    first = store.put(b"%PDF-1.4 a", "application/pdf", "proposals")
    again = store.put(b"%PDF-1.4 a", "application/pdf", "proposals")
    assert first == again and first.key.endswith(".pdf")
    assert store.path(first.key).read_bytes() == b"%PDF-1.4 a"
    assert store.path("../../etc/passwd") is None


def blank_png(width: int, height: int, mode: str = "1") -> bytes:
    """A PNG of one colour: a 1-bit one of tens of megapixels is a few kilobytes."""
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb_48_megapixels() -> bytes:
    return blank_png(8000, 6000)


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails a test that decodes pixels: the limits must be checked from the header alone."""

    def refuse(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_an_image_over_the_pixel_limit_is_refused_from_its_header(bomb_48_megapixels, no_decoding):
    assert len(bomb_48_megapixels) < 50 * 1024  # small on disk, 48 MP once decoded
    with pytest.raises(Problem) as exc:
        public_image_copy(bomb_48_megapixels, "image/png", "photos[0]")
    assert exc.value.status == 422
    assert "40 juta piksel" in exc.value.errors["photos[0]"][0]


def test_the_pixel_limit_is_the_configured_one_not_twice_it(monkeypatch, no_decoding):
    monkeypatch.setenv("UPLOAD_MAX_PIXELS", "1000")  # Pillow alone would raise only above 2000
    assert image_pixels(blank_png(40, 25), "image/png") == 1000
    with pytest.raises(Problem) as exc:
        image_pixels(blank_png(41, 25), "image/png", "photos[2]")
    assert exc.value.status == 422 and "photos[2]" in exc.value.errors


def multipart(app, *files: bytes):
    return app.test_request_context(
        "/",
        method="POST",
        data={"photos": [(io.BytesIO(data), f"foto{i}.png") for i, data in enumerate(files)]},
        content_type="multipart/form-data",
    )


@pytest.fixture
def app(tmp_path):
    app = Flask(__name__)
    app.extensions["gawe_blobs"] = LocalBlobStore(tmp_path / "blobs")
    return app


def test_one_request_may_not_decode_more_than_its_pixel_budget(app, monkeypatch, no_decoding):
    monkeypatch.setenv("UPLOAD_MAX_REQUEST_PIXELS", "2500")
    three = [blank_png(40, 30)] * 3
    with multipart(app, *three), pytest.raises(Problem) as exc:
        read_files("photos", IMAGES, 5)
    assert exc.value.status == 422 and "photos" in exc.value.errors


def test_read_files_checks_and_cleans_but_writes_nothing(app, tmp_path):
    with multipart(app, jpeg_with_gps(), blank_png(30, 20, "RGB")):
        uploads = read_files("photos", IMAGES, 5)
    assert [u.field for u in uploads] == ["photos[0]", "photos[1]"]
    assert [u.content_type for u in uploads] == ["image/jpeg", "image/png"]
    assert not Image.open(io.BytesIO(uploads[0].data)).getexif()
    assert not any(p.is_file() for p in (tmp_path / "blobs").rglob("*"))

    with app.app_context():
        stored = store_files(uploads, "complaints")
    assert [app.extensions["gawe_blobs"].path(b.key).read_bytes() for b in stored] == [
        u.data for u in uploads
    ]


@pytest.fixture
def usual_umask():
    previous = os.umask(0o022)  # with it, files used to come out 0644 and folders 0755
    yield
    os.umask(previous)


def test_stored_blobs_are_readable_by_their_owner_only(tmp_path, usual_umask):
    store = LocalBlobStore(tmp_path / "blobs")
    blob = store.put(b"%PDF-1.4 ktp", "application/pdf", "proposals")
    path = store.path(blob.key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (store.root, path.parent, path.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_storing_a_file_again_makes_it_fresh_for_the_sweeper(tmp_path):
    store = LocalBlobStore(tmp_path / "blobs")
    path = store.path(store.put(b"%PDF-1.4 a", "application/pdf", "complaints").key)
    os.utime(path, (1_000_000, 1_000_000))
    store.put(b"%PDF-1.4 a", "application/pdf", "complaints")
    assert path.stat().st_mtime > 1_000_000


def test_the_sweeper_deletes_only_old_files_nobody_refers_to(tmp_path):
    store = LocalBlobStore(tmp_path / "blobs")
    keys = {
        name: store.put(f"%PDF-1.4 {name}".encode(), "application/pdf", prefix).key
        for name, prefix in [
            ("referenced", "complaints"),
            ("orphan", "complaints"),
            ("young", "complaints"),
            ("unknown", "proposals"),
        ]
    }
    for name in ("referenced", "orphan", "unknown"):
        os.utime(store.path(keys[name]), (1_000_000, 1_000_000))

    def keys_of(service):
        if service == "proposals":
            raise CannotTell("proposals has no blob_keys RPC")
        return {keys["referenced"]}

    result = sweep(store.root, keys_of, ["complaints", "proposals"], older_than=3600)
    assert result.deleted == [keys["orphan"]]
    assert result.skipped == {"proposals": "proposals has no blob_keys RPC"}
    assert store.path(keys["orphan"]) is None
    assert all(store.path(keys[n]) for n in ("referenced", "young", "unknown"))
