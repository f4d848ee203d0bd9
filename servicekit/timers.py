"""A timer whose interval is a setting (container config, else environment), not a constant.

nameko's `@timer(interval=...)` fixes the interval when the class is defined; tests and
operators need to change it per process. `@configured_timer("SWEEP_INTERVAL", 5.0)` reads
`SWEEP_INTERVAL` when the container is set up. Like every timer it fires on every replica:
what it does must claim its work safely, or use `servicekit.leases.leased_timer`, whose ticks
run in one replica at a time.
"""

from __future__ import annotations

from nameko.timer import Timer

from servicekit.config import setting


class ConfiguredTimer(Timer):
    def __init__(self, setting_name: str, default: float, eager: bool = False, **kwargs):
        self.setting_name = setting_name
        super().__init__(interval=default, eager=eager, **kwargs)

    def setup(self):
        self.interval = setting(self.container.config, self.setting_name, self.interval, float)
        if self.interval <= 0:
            raise ValueError(f"{self.setting_name} must be a positive number of seconds")


configured_timer = ConfiguredTimer.decorator
