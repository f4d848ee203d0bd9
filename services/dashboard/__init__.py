"""Dashboard: a new app of the Serang suite (made by `make new-app NAME=dashboard`)."""
