"""Numbers, periods, labels, configuration, roles and the small-number protection: pure, no database."""
