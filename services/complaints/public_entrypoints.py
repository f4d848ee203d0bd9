"""The complaints app's open data entrypoints (issue 16), mixed into ComplaintsService: an
area's Atom feed and the public statistics, for anyone (public facts only)."""

from __future__ import annotations

from servicekit.entrypoints import rpc
from services.complaints import public_data


class PublicDataEntrypoints:
    @rpc
    def area_feed(self, level: str, code: str) -> dict:
        """The newest public reports of a kecamatan or desa (unknown code: 422 naming it)."""
        return public_data.area_feed(self._desk(), level, code)

    @rpc
    def statistics(self) -> dict:
        """Reports per agency, category and month; median working days to resolve; the share
        resolved within the SLA."""
        return public_data.statistics(self._desk())
