"""Serang Open's open data in the 360Giving Data Standard (issue #17).

- `grant_360`: one awarded grant as the standard's JSON wants it: amounts as numbers, dates as
  dates, no `null` where the schema wants a value (an absent figure is left out), an individual
  recipient as the standard's `recipientIndividual` object with initials only, a description
  for every grant, the regency's own fields under the `serangOpen` extension key;
- `application_json`: a proposal not (yet) awarded, in a shape of its own (the standard has no
  place for applications, and a grants file must hold grants);
- the data package around them is the contract's (`contract/opendata.py`: the gateway builds it,
  since it knows the URLs).

Public fields only, as views.public_view: individuals by initials and desa.
"""

from __future__ import annotations

from services.proposals.contract.catalogue import INDIVIDUAL, KIND_LABELS
from services.proposals.contract.opendata import FUNDER_ID, FUNDER_NAME
from services.proposals.contract.stages import STAGE_LABELS
from services.proposals.models import Proposal, StageChange
from services.proposals.views import grant_row


def _present(values: dict) -> dict:
    return {k: v for k, v in values.items() if v is not None}


def _award_date(proposal: Proposal, timeline: list[StageChange]) -> str:
    """The regent's decision: the decree's date, else the day the proposal was approved."""
    if proposal.decree_date is not None:
        return proposal.decree_date.isoformat()
    approved = [e.at for e in timeline if e.action == "approve"]
    return (approved[-1] if approved else proposal.updated_at).date().isoformat()


def _description(proposal: Proposal, row: dict) -> str:
    if proposal.applicant.kind != INDIVIDUAL and proposal.purpose:
        return proposal.purpose
    place = row["Beneficiary Location:Name"] or "Kabupaten Serang"
    return f"{row['Grant Programme:Title']} untuk penerima perorangan di {place}."


def grant_360(proposal: Proposal, timeline: list[StageChange], site: str) -> dict:
    """One awarded grant, valid against the 360Giving 1.4 grant schema."""
    row = grant_row(proposal, timeline)
    is_person = proposal.applicant.kind == INDIVIDUAL
    year = proposal.budget_year
    grant = {
        "id": row["Identifier"],
        "title": row["Title"],
        "description": _description(proposal, row),
        "currency": "IDR",
        "amountAppliedFor": row["Amount Applied For"],
        "amountAwarded": row["Amount Awarded"] or 0,
        "amountDisbursed": row["Amount Disbursed"],
        "awardDate": _award_date(proposal, timeline),
        "dateModified": row["Last Modified"],
        "fundingOrganization": [
            _present({"id": FUNDER_ID, "name": FUNDER_NAME, "department": proposal.agency_code})
        ],
        "grantProgramme": [{"code": proposal.kind, "title": row["Grant Programme:Title"]}],
        "beneficiaryLocation": [
            _present(
                {
                    "name": row["Beneficiary Location:Name"],
                    "geoCode": proposal.desa_code,
                    "geoCodeType": "KEMENDAGRI-DESA" if proposal.desa_code else None,
                    "countryCode": "ID",
                }
            )
        ],
        "plannedDates": [{"startDate": f"{year}-01-01", "endDate": f"{year}-12-31"}],
        "dataSource": f"{site}/api/v1/registry/proposals/{proposal.public_id}",
        "serangOpen": _present(
            {
                "stage": proposal.stage,
                "stageLabel": STAGE_LABELS[proposal.stage],
                "budgetYear": year,
                "amountRecommended": row["Amount Recommended"],
                "applicationDate": row["Application Date"],
                "recommendationDate": row["Recommendation Date"],
                "disbursementDate": row["Disbursement Date"],
                "decreeNumber": proposal.decree_number,
                "agreementNumber": proposal.nphd_number,
                "lpjStatus": row["LPJ Status"],
                "kecamatan": proposal.kecamatan_name,
            }
        ),
    }
    if is_person:
        grant["recipientIndividual"] = {
            "id": row["Recipient Ind:Identifier"],
            "name": row["Recipient Ind:Name"],
        }
    else:
        grant["recipientOrganization"] = [
            {"id": row["Recipient Org:Identifier"], "name": row["Recipient Org:Name"]}
        ]
    return _present(grant)


def application_json(proposal: Proposal, timeline: list[StageChange]) -> dict:
    """A submitted proposal not (yet) awarded: what was asked, by whom (initials for a person),
    where, and where it stands."""
    row = grant_row(proposal, timeline)
    is_person = proposal.applicant.kind == INDIVIDUAL
    return _present(
        {
            "id": row["Identifier"],
            "title": row["Title"],
            "kind": proposal.kind,
            "kindLabel": KIND_LABELS[proposal.kind],
            "budgetYear": proposal.budget_year,
            "currency": "IDR",
            "amountAppliedFor": row["Amount Applied For"],
            "amountRecommended": row["Amount Recommended"],
            "applicationDate": row["Application Date"],
            "stage": proposal.stage,
            "stageLabel": STAGE_LABELS[proposal.stage],
            "recipientType": "individual" if is_person else "organisation",
            "recipientName": row["Recipient Ind:Name"] if is_person else row["Recipient Org:Name"],
            "agency": proposal.agency_code,
            "location": row["Beneficiary Location:Name"],
            "geoCode": proposal.desa_code,
            "dateModified": row["Last Modified"],
        }
    )
