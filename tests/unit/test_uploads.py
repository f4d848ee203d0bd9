import io

import pytest
from PIL import Image

from gateway.problems import Problem
from gateway.uploads import LocalBlobStore, public_image_copy, sniff


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
