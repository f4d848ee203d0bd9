"""notifications: email and in-app inbox from events, templates in Bahasa Indonesia."""
