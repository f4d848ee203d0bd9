"""The public pages a citizen opens in a browser: list, detail with timeline, the report form."""

from tests.complaints.conftest import file_report


def test_report_list_and_detail_pages_show_progress_without_personal_data(client, citizen, dpupr):
    from tests.complaints.test_lifecycle_http import act

    report = file_report(
        client,
        citizen["token"],
        description="Jalan amblas <script>alert('x')</script> dekat sekolah",
        contact_phone="+62 811 0000 9999",
    )
    assert (
        act(
            client, dpupr, report["public_id"], "verify", note="Sudah dicek di lapangan"
        ).status_code
        == 200
    )

    listing = client.get("/pengaduan?category=jalan-rusak")
    assert listing.status_code == 200
    assert report["public_id"] in listing.get_data(as_text=True)

    page = client.get(f"/pengaduan/{report['public_id']}").get_data(as_text=True)
    assert "Terverifikasi" in page and "Sudah dicek di lapangan" in page and "DPUPR" in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page  # escaped
    assert citizen["email"] not in page and "0000 9999" not in page
    assert "WIB" in page


def test_report_form_lists_categories_with_their_questions(client):
    page = client.get("/pengaduan/baru").get_data(as_text=True)
    assert "Laporkan kerusakan" in page and "Jalan rusak" in page
    assert "panjang_kerusakan_m" in page  # the category's attributes feed the form


def test_unknown_report_page_is_404_and_bad_filters_400(client):
    assert client.get("/pengaduan/SRG-2026-999999").status_code == 404
    assert client.get("/pengaduan?status=hilang").status_code == 400
