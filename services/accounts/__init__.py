"""accounts: users, roles, agencies (OPD), login with throttling and lock-out."""
