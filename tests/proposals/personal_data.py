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

- an applicant's details changed on its web form (/saya/pemohon/<id>/ubah): the world's web
  citizen makes an organisation and an individual profile through the API with values of no
  one, then types planted ones (address, phone, email, NPWP, bank account, the responsible
  people's NIK and phone; the individual's NIK) into each profile's form, once refused (a point
  that is no number) and then saved; the scan calls the profile, its form and the API's
  routes with their ids (`applicant_id`) as strangers, and reads every log line of both saves.

The application rounds take no personal data.
"""

from __future__ import annotations

import io
import re

from tests.proposals.conftest import create_applicant
from tests.proposals.forms import profile_form
from tests.support.factories import auth

CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


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

    w.applicants += changed_on_the_form(w, "organisation"), changed_on_the_form(w, "individual")


def changed_on_the_form(w, kind: str) -> int:
    """A profile of the web citizen made through the API, its details then changed on its form
    with planted values: refused once (the point is no number), then saved; its id."""
    p, web = w.plant, w.people["web"]
    kept = create_applicant(web["browser"], web["token"], kind)
    where = f"{kind} changed on its form (web /saya/pemohon/<id>/ubah)"
    planted = dict(address=p.address(where), phone=p.phone(where), email=p.email(where))
    planted |= dict(bank_account_number=p.bank(where))
    if kind == "organisation":
        planted |= dict(npwp=p.npwp(where))
        for row, role in ((1, "Ketua"), (2, "Bendahara")):
            person = {"name": f"Pengurus {role} Uji", "position": role}
            person |= {"nik": p.nik(f"{where}, {role}"), "phone": p.phone(f"{where}, {role}")}
            planted |= {f"person{row}_{k}": v for k, v in person.items()}
    else:
        planted |= dict(nik=p.nik(where))
    path = f"/saya/pemohon/{kept['id']}/ubah"
    form = web["browser"].get(path)
    assert form.status_code == 200, form.status_code
    typed = profile_form(kept, **planted) | {"csrf": CSRF.search(form.text).group(1)}
    refused = web["browser"].post(path, data=typed | {"lat": "bukan angka"})
    assert refused.status_code == 422, refused.status_code
    saved = web["browser"].post(path, data=typed)
    assert saved.status_code == 303, saved.get_data(as_text=True)[:500]
    return kept["id"]
