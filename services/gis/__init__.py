"""gis: kecamatan and desa boundaries, point location, spatial queries, OGC API - Features."""
