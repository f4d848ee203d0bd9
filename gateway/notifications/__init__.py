"""Notifications over HTTP: the in-app inbox, preferences, and the admin delivery console."""
