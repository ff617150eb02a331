"""Individual-level (pseudonymous) data: the tables a case system would export, and a demo generator.

No names and no personnummer anywhere: a person is a pseudonym, a kön, an age band and a home stadsdel.
Every row carries its `dataset`, so demo rows can never be mistaken for the city's own.
"""
