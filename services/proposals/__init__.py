"""proposals ("Serang Open"): hibah and bansos applications through every stage, in public view."""
