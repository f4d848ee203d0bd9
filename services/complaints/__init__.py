"""complaints: citizens report damaged roads and other infrastructure; Open311 GeoReport v2."""
