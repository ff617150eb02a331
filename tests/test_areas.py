"""Areas read back from the database: fokusområden, the outreach set of VP 2026, boundary versions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from queries.areas import memberships_at
from queries.karta import boundary_version


def test_the_outreach_set_is_the_fokusomraden_and_hasselby_vallingby(db: Engine) -> None:
    day = date(2026, 1, 1)
    fokus = memberships_at(day, "fokusomrade", "insatsomrade", db)
    assert sorted(fokus["member"]) == ["Farsta", "Hagsätra-Rågsved", "Järva", "Skärholmen"]
    districts = memberships_at(day, "stadsdelsomrade", "insatsomrade", db)
    assert list(districts["member"]) == ["Hässelby-Vällingby"]
    assert set(districts["source_location"]) == {"rad 282"}


def test_fokusomrade_jarva_is_not_the_stadsdelsomrade_jarva(db: Engine) -> None:
    fokus = set(memberships_at(date(2024, 1, 1), "stadsdel", "fokusomrade", db).query("parent == 'Järva'")["member"])
    district = set(memberships_at(date(2024, 1, 1), "stadsdel", "stadsdelsomrade", db)
                   .query("parent == 'Järva'")["member"])
    assert fokus < district, "the fokusområde Järva is a part of the stadsdelsområde Järva"
    assert not memberships_at(date(2022, 12, 31), "stadsdel", "stadsdelsomrade", db).query("parent == 'Järva'").size


def test_boundary_versions(db: Engine) -> None:
    assert boundary_version(date(2020, 6, 30), db)["areas"] == 14
    version = boundary_version(date(2022, 12, 31), db)
    assert (version["areas"], str(version["valid_from"]), str(version["valid_to"])) == (13, "2020-07-01",
                                                                                        "2023-06-30")
    assert boundary_version(date(2025, 1, 1), db)["areas"] == 11
