"""Pages for signed-in people, server-rendered in Bahasa Indonesia.

- /masuk, /daftar, /keluar: sign in (the accounts service's lockout applies as on the API),
  sign up as a citizen, sign out.
- /saya: a citizen's own reports, proposals and inbox; /saya/pemohon/baru and /saya/usulan/baru
  file an applicant profile and a proposal; /saya/pemohon/<id> shows a profile (its details
  changed at /saya/pemohon/<id>/ubah) and keeps an organisation's standing documents (akta, SK, NPWP, KTP ketua, domisili) with their validity;
  /saya/usulan/<id> uploads its own documents, submits it (every refused eligibility rule
  listed), withdraws it, hands in the LPJ, prints its PDFs and talks with the staff.
- /staf: an agency's complaints queue (overdue first) and its Serang Open queue;
  /staf/pengaduan/<id>: one report with the reporter's contact, the actions its status allows,
  forwarding to another OPD or government and a new category while it is open, and moderation
  (hiding it or a photo from the public; admins moderate there too);
  /staf/pengaduan/disembunyikan: what moderators hid, each leading to its report's desk;
  /staf/usulan/<id>: one proposal with the applicant's details and documents, the conflict of
  interest declaration, the steps this person may take now, its PDFs and the conversation
  with the applicant.
- /admin: staff accounts (list, create bound to an agency) and undelivered messages.
- /saya/akun: one's name, phone and password; a new address link while it is unverified.

Every call goes to the services with the signed-in person as the actor, so the services' own
checks (own agency, own reports) decide what is shown and allowed, exactly as on the API.
"""

from gateway.workspace import (  # noqa: F401  (they add routes)
    accounts,
    admin,
    citizens,
    hidden_reports,
    my_account,
    passwords,
    profiles,
    report_desk,
    staff,
    verification,
)
from gateway.workspace.common import blueprint

__all__ = ["blueprint"]
