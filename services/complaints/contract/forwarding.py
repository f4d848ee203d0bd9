"""Moving a report elsewhere, as other processes know it: to another OPD of the regency (the
`forward` action with `to_agency`), or out of the regency to the government it belongs to
(the same action with one of EXTERNAL_BODIES: the report is closed here as
`forwarded_external`), and changing its category (`recategorise`)."""

from __future__ import annotations

FORWARD = "forward"
RECATEGORISE = "recategorise"

# Bodies outside the regency's government a report may belong to: code -> name, as the public
# reads it on the report, its timeline and Open311.
EXTERNAL_BODIES = {
    "PROV_BANTEN": "Pemerintah Provinsi Banten",
    "KOTA_SERANG": "Pemerintah Kota Serang",
    "BPJN_BANTEN": "Balai Pelaksanaan Jalan Nasional Banten (jalan nasional)",
}

# Actions of the transitions endpoint besides the lifecycle's (statuses.TRANSITIONS).
EXTRA_ACTIONS = (RECATEGORISE,)
# What a recategorising's timeline entry is, in words (it changes no status).
RECATEGORISE_LABEL = "Kategori diubah"
