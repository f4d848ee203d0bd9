"""Web pages for people who have signed in: citizens (/saya) and agency staff (/staf)."""
