"""The database: one SQLAlchemy Core schema, its upgrade, the build from data/, decks and the audit log."""
