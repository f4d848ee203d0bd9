"""The maps' part of the authorisation matrix (tests/security): the vendor files the gateway
serves (gateway/vendor) are named by a file of each package."""

VARIABLES = {
    "leaflet_file": "=leaflet.js",
    "cluster_file": "=leaflet.markercluster.js",
}
