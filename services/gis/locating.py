"""What `locate` answers and the snapshot of the index: shared with the gateway, so it lives in
servicekit.geo.locating (re-exported here for the bench and older callers)."""

from servicekit.geo.locating import location_dict, snapshot  # noqa: F401
