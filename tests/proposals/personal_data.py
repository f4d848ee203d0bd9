"""Serang Open's own part of the personal-data scan (tests/security/test_personal_data.py), for
the routes added after the platform's scan (issue 16):

- each printable document of every planted proposal is asked for, as an anonymous visitor and
  as another citizen (both are refused; the scan proves no planted value comes out);
- the conversation on a proposal: the world's citizen writes to the OPD about its hibah with a
  planted NIK, phone and email, and the OPD's verifier answers (planted names are not used: the
  platform's pool of them is spent by the apps planting before); the scan then calls every GET
  route (the conversation's among them) as an anonymous visitor and another citizen, and reads
  every log line: none may show them.

- an organisation's standing documents (issue 16): the world's citizen keeps its chair's KTP on
  its organisation's profile twice (the first replaced: history), the file named with a planted
  NIK and carrying it; the scan calls the profile's listing, each version's file and the
  profile page (their ids fill `document_id` and `applicant_id`), none may show it.

The application rounds take no personal data.
"""

from __future__ import annotations

import io

from tests.support.factories import auth


def plant(platform, admin_token: str, w) -> None:
    w.values |= {"document": ["berita-acara", "nphd", "kuitansi"]}
    client, p = platform.client, w.plant
    pid = w.proposals[0]  # the citizen's hibah (DISPORA), approved
    where = "proposal message (API)"
    body = f"NIK saya {p.nik(where)}, telepon {p.phone(where)}, surel {p.email(where)}."
    path = f"/api/v1/proposals/{pid}/messages"
    sent = client.post(path, json={"body": body}, headers=auth(w.people["citizen"]["token"]))
    assert sent.status_code == 201, sent.get_json()
    answer = "Terima kasih, data kontak Anda sudah kami terima."
    sent = client.post(path, json={"body": answer}, headers=auth(w.people["dispora"]["token"]))
    assert sent.status_code == 201, sent.get_json()

    organisation, kept = w.applicants[0], []  # the citizen's organisation (its hibah above)
    for where in ("standing document (API)", "standing document replaced (API)"):
        number = p.nik(where)
        pdf = b"%PDF-1.4\n% KTP ketua NIK " + number.encode() + b"\n%%EOF\n"
        sent = client.post(
            f"/api/v1/proposals/applicants/{organisation}/documents",
            data={"kind": "ktp_ketua", "file": (io.BytesIO(pdf), f"ktp-ketua-{number}.pdf")},
            headers=auth(w.people["citizen"]["token"]),
            content_type="multipart/form-data",
        )
        assert sent.status_code == 201, sent.get_json()
        kept.append(next(i for i in sent.get_json()["items"] if i["kind"] == "ktp_ketua"))
    w.values |= {"document_id": [item["document"]["id"] for item in kept]}
