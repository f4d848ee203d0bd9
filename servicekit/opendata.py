"""What the regency publishes as open data (issue #17): each app names its datasets in its
manifest (`AppSpec.datasets`), and the gateway lists every installed app's in one catalogue,
`/api/v1/data/catalog` (DCAT-US 1.1 JSON, the Project Open Data shape that CKAN's harvester
reads) and the page `/data`.

A dataset: an identifier, a title and description in Bahasa Indonesia, keywords, how often it
changes (ISO 8601 repeating durations, e.g. "R/P1D"; "irregular"), and its distributions: the
format, media type and the path (on this site) where anyone downloads it. Every dataset carries
the regency's open-data license (GAWE_OPEN_DATA_LICENSE, CC BY 4.0 by default).
"""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.config import env_str

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "Pemerintah Kabupaten Serang"
DAILY, WEEKLY, CONTINUOUS, IRREGULAR = "R/P1D", "R/P1W", "R/PT1S", "irregular"
FREQUENCY_LABELS = {
    DAILY: "harian",
    WEEKLY: "mingguan",
    CONTINUOUS: "terus-menerus (setiap perubahan)",
    IRREGULAR: "tidak tetap",
}


def open_data_license() -> str:
    """The license of every published dataset (GAWE_OPEN_DATA_LICENSE, CC BY 4.0 by default)."""
    return env_str("GAWE_OPEN_DATA_LICENSE", CC_BY)


@dataclass(frozen=True)
class Distribution:
    format: str  # "JSON", "CSV", "GeoJSON", "Atom", ...
    media_type: str
    path: str  # on this site, from "/": the download link
    title: str = ""


@dataclass(frozen=True)
class Dataset:
    identifier: str  # unique in the catalogue, e.g. "serang-open-grants"
    title: str
    description: str
    keywords: tuple[str, ...]
    frequency: str  # DAILY, WEEKLY, CONTINUOUS, IRREGULAR
    distributions: tuple[Distribution, ...]
    theme: str = ""

    def __post_init__(self):
        if self.frequency not in FREQUENCY_LABELS:
            raise ValueError(f"dataset {self.identifier!r}: unknown frequency {self.frequency!r}")
        if not self.distributions or not all(d.path.startswith("/") for d in self.distributions):
            raise ValueError(f"dataset {self.identifier!r}: distributions need paths from '/'")


def dcat(datasets: list[tuple[str, Dataset]], site: str, modified: str) -> dict:
    """The catalogue as DCAT-US 1.1 JSON: `datasets` as (app name, Dataset) pairs."""
    license_url = open_data_license()
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "title": "Data terbuka Kabupaten Serang",
        "publisher": {"@type": "org:Organization", "name": PUBLISHER},
        "dataset": [
            {
                "@type": "dcat:Dataset",
                "identifier": f"{site}/data#{dataset.identifier}",
                "title": dataset.title,
                "description": dataset.description,
                "keyword": list(dataset.keywords),
                "modified": modified,
                "publisher": {"@type": "org:Organization", "name": PUBLISHER},
                "contactPoint": {
                    "@type": "vcard:Contact",
                    "fn": "Diskominfosatik Kabupaten Serang",
                    "hasEmail": "mailto:data@serangkab.go.id",
                },
                "accessLevel": "public",
                "license": license_url,
                "accrualPeriodicity": dataset.frequency,
                "spatial": "Kabupaten Serang, Banten, Indonesia",
                "language": ["id"],
                "theme": [dataset.theme] if dataset.theme else [],
                "landingPage": f"{site}/data#{dataset.identifier}",
                "source": app,
                "distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "title": d.title or f"{dataset.title} ({d.format})",
                        "format": d.format,
                        "mediaType": d.media_type,
                        "downloadURL": site + d.path,
                    }
                    for d in dataset.distributions
                ],
            }
            for app, dataset in datasets
        ],
    }
