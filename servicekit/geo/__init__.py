"""Geographic code shared by the gis service and the gateway: pure, no I/O."""
