"""The maps' part of the personal-data scan (tests/security/test_personal_data.py): the vendor
files the gateway serves (gateway/vendor) are scanned too, named by a script, a style sheet and
an image of each package; they hold nothing of anyone, and the scan says so."""

from tests.gis.authz import VARIABLES


def plant(platform, admin_token: str, w) -> None:
    w.values |= {
        "leaflet_file": [VARIABLES["leaflet_file"].lstrip("="), "leaflet.css"],
        "cluster_file": [VARIABLES["cluster_file"].lstrip("="), "MarkerCluster.css"],
    }
