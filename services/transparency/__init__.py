"""Transparency: a new app of the Serang suite (made by `make new-app NAME=transparency`)."""
