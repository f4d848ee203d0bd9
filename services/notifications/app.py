"""The notifications app's manifest (registered in pyproject.toml, group `gawe.apps`).

What each app sends is still in services/notifications/apps/<app>.py; each app names its
module in its manifest (`notifications`).
"""

from servicekit.apps import AppSpec, Section

APP = AppSpec(
    name="notifications",
    service="services.notifications.service:NotificationsService",
    title="Notifikasi dan kotak masuk",
    migrations="services.notifications:migrations",
    gateway=("gateway.notifications.rest",),
    backlog="services.notifications.store:count_due",  # messages and events due, `make status`
    pages={
        # the inbox heads /saya and /staf
        "saya": (Section(template="_inbox.html", order=-1),),
        "staf": (Section(template="_inbox.html", order=-1),),
        "admin": (Section(template="_admin_failed_notifications.html"),),
    },
)
