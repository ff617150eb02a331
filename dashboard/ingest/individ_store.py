"""Individual-level extracts into the individ_* tables: re-keyed, matched to stadsdelar, compared with what the
data set holds, and written in one transaction; then the stored protected tables are computed again.

A row is identified by its pseudonym and what tells it apart (KAA: the year; Jobbtorg: målgrupp and start;
Stockholmsjobb: start), so importing the same file again changes nothing, and a later extract with an end date
or an outcome filled in replaces just those rows. A person's kön, age band and home stadsdel are taken from the
first import that had them (a later file does not move a person).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine, and_, insert, select, update
from sqlalchemy.orm import aliased

from dashboard.db import individ_schema as ischema
from dashboard.db import schema
from dashboard.ingest import pseudonym
from dashboard.ingest.errors import IngestError

CITY = ("Stockholms stad", "stad")
TABLES = {"kaa": ischema.kaa, "jobbtorg": ischema.jobbtorg, "stockholmsjobb": ischema.stockholmsjobb}
ID = {"kaa": "kaa_id", "jobbtorg": "enrolment_id", "stockholmsjobb": "job_id"}
FIELDS = {
    "kaa": ["year", "registered_from", "registered_to", "uppsokt", "nadd", "inskriven", "inskriven_from",
            "avslutad", "avslutad_on", "utfall"],
    "jobbtorg": ["malgrupp", "start_date", "end_date", "exit"],
    "stockholmsjobb": ["kind", "start_date", "end_date", "financing", "financing_area_id", "yrkeskurs",
                       "outcome_3m"],
}
BATCH = 5000
NOT_STORED = ("Originalfilen sparas inte: den innehåller verksamhetssystemets id, som aldrig lagras "
              "(personerna har fått projektets pseudonymer).")


def known_names(conn: Connection) -> set[str]:
    """Every area name, lower case (the privacy guard leaves them alone)."""
    return {n.lower() for n in conn.execute(select(schema.areas.c.name)).scalars()}


def _stadsdelar(conn: Connection) -> dict[str, tuple[int, str]]:
    a = schema.areas
    return {r.name.lower(): (r.area_id, r.name)
            for r in conn.execute(select(a.c.area_id, a.c.name).where(a.c.level == "stadsdel"))}


def _sdo_of(conn: Connection) -> dict[int, list[tuple[date | None, date | None, int]]]:
    """stadsdel area_id → (valid_from, valid_to, stadsdelsområde area_id)."""
    m, parent = schema.area_memberships, aliased(schema.areas, name="parent")
    out: dict[int, list] = {}
    for r in conn.execute(select(m.c.member_id, m.c.valid_from, m.c.valid_to, m.c.parent_id)
                          .join(parent, parent.c.area_id == m.c.parent_id)
                          .where(parent.c.level == "stadsdelsomrade")):
        out.setdefault(r.member_id, []).append((r.valid_from, r.valid_to, r.parent_id))
    return out


def _city(conn: Connection) -> int | None:
    a = schema.areas
    return conn.execute(select(a.c.area_id).where(a.c.name == CITY[0], a.c.level == CITY[1])).scalar()


def _chunks(items: list) -> list[list]:
    return [items[i:i + BATCH] for i in range(0, len(items), BATCH)]


def classify(conn: Connection, preview, *, secret: str | None = None) -> None:  # noqa: ANN001 - route.Preview
    """Re-key, match stadsdelar and compare with the data set: fills preview.records, rows, counts, unmatched."""
    parsed, dataset = preview.parsed, preview.dataset
    register = parsed.register
    extract = parsed.extract
    secret = secret or pseudonym.stored_key(conn) or "förhandsgranskning"  # no key yet: nothing to compare with
    stadsdelar = _stadsdelar(conn)
    unmatched: Counter = Counter()
    for record in extract.records:
        if record["stadsdel"].lower() not in stadsdelar:
            unmatched[record["stadsdel"]] += 1
    for person in extract.people.values():  # a person's home from another row may be unknown too
        if person.stadsdel.lower() not in stadsdelar and person.stadsdel not in unmatched:
            unmatched[person.stadsdel] += 1
    preview.unmatched = dict(sorted(unmatched.items(), key=lambda item: (-item[1], item[0])))
    preview.refusal = None
    if preview.unmatched:
        preview.refusal = (f"{sum(preview.unmatched.values())} rader har en stadsdel som inte finns bland "
                           "stadens stadsdelar (" + ", ".join(list(preview.unmatched)[:10]) + "). Inget läses in "
                           "förrän filen har rättats: en rad utan känd stadsdel kan inte räknas till något område "
                           "och tas inte bort i tysthet.")
    ids = {raw: pseudonym.person_id(secret, dataset, raw) for raw in extract.people}
    p = ischema.personer
    existing_people = {}
    for chunk in _chunks(list(ids.values())):
        for r in conn.execute(select(p.c.person_id, p.c.dataset, p.c.gender).where(p.c.person_id.in_(chunk))):
            existing_people[r.person_id] = r
    people = []
    for raw, person in extract.people.items():
        pid = ids[raw]
        have = existing_people.get(pid)
        if have is not None:
            if have.dataset != dataset:
                raise IngestError(parsed.file_name, "en pseudonym finns redan i ett annat data set")
            if have.gender != person.gender:
                raise IngestError(parsed.file_name, f"personen på rad {person.line} har ett annat kön än i en "
                                  "tidigare import av samma data set", row=person.line)
            continue
        home = stadsdelar.get(person.stadsdel.lower())
        people.append({"person_id": pid, "dataset": dataset, "gender": person.gender, "age_band": person.age_band,
                       "home_area_id": home[0] if home else None})
    table, id_name, fields = TABLES[register], ID[register], FIELDS[register]
    existing = {}
    for r in conn.execute(select(table).where(table.c.dataset == dataset)):
        existing[r._mapping[id_name]] = tuple(r._mapping[f] for f in fields)
    sdo, city = (_sdo_of(conn), _city(conn)) if register == "stockholmsjobb" else ({}, None)
    rows, summary = [], []
    new = replaced = unchanged = 0
    for record in extract.records:
        pid = ids[record["raw_id"]]
        row = {"dataset": dataset, "person_id": pid, **{f: record.get(f) for f in fields}}
        if register == "kaa":
            row["kaa_id"] = pseudonym.row_id("k", pid, record["year"])
        elif register == "jobbtorg":
            row.update(enrolment_id=pseudonym.row_id("j", pid, record["malgrupp"], record["start_date"]),
                       kaa_id=None)
        else:
            row.update(job_id=pseudonym.row_id("s", pid, record["start_date"]), enrolment_id=None,
                       financing_area_id=_financing_area(record, stadsdelar, sdo, city))
        have = existing.get(row[id_name])
        state = "ny" if have is None else "oförändrad" if have == tuple(row[f] for f in fields) else "ersätter"
        new += state == "ny"
        replaced += state == "ersätter"
        unchanged += state == "oförändrad"
        row["_state"] = state
        rows.append(row)
        year = record.get("year") or record["start_date"].year
        summary.append({"measure": register, "period": str(year), "area_name": record["stadsdel"],
                        "gender": record["gender"], "population_group": record.get("malgrupp") or record.get("kind")
                        or "alla", "status": None, "_state": state})
    preview.records = {"people": people, "rows": rows}
    preview.rows = summary
    preview.new, preview.replaced, preview.unchanged = new, replaced, unchanged


def _financing_area(record: dict, stadsdelar: dict, sdo: dict, city: int | None) -> int | None:
    """The city for the nämnd; for a stadsdelsnämnd, the stadsdelsområde of the person's stadsdel at the start."""
    if record["financing"] == "arbetsmarknadsnämnden":
        return city
    home = stadsdelar.get(record["stadsdel"].lower())
    if home is None:
        return None
    day = record["start_date"]
    for start, end, parent in sdo.get(home[0], []):
        if (start is None or start <= day) and (end is None or end >= day):
            return parent
    return None


def commit(preview, engine: Engine, *, description: str, who) -> tuple[int | None, int]:  # noqa: ANN001
    """Write the rows in one transaction with the log entry; (import_id, protected cells). Refused while a
    stadsdel matches nothing."""
    from dashboard.db.protected import store_protected
    from dashboard.db.upgrade import upgrade

    file_name = preview.parsed.file_name
    schema.metadata.create_all(engine, tables=[schema.imports, ischema.nyckel, *ischema.TABLES, ischema.skyddat])
    with engine.begin() as conn:
        upgrade(conn)
        secret = pseudonym.key(conn)
        classify(conn, preview, secret=secret)
        if preview.refusal:
            raise IngestError(file_name, preview.refusal, column="stadsdel")
        missing = [r for r in preview.records["rows"] if preview.parsed.register == "stockholmsjobb"
                   and r["financing_area_id"] is None]
        if missing:
            raise IngestError(file_name, f"{len(missing)} anställningar har en finansiering vars område inte går att "
                              "avgöra (stadsdelen hörde inte till något stadsdelsområde på startdagen)")
        if not preview.changes:
            return None, 0
        _write(conn, preview, description)
        result = conn.execute(insert(schema.imports).values(
            file_name=file_name, sha256=preview.sha256, format=preview.format, dataset=preview.dataset,
            rows=len(preview.rows), new_rows=preview.new, replaced_rows=preview.replaced,
            unchanged_rows=preview.unchanged, imported_at=datetime.now(UTC), description=description,
            imported_by=who(), content=b"", note=NOT_STORED))
        import_id = int(result.inserted_primary_key[0])
    try:
        cells = store_protected(engine, datasets=[preview.dataset])
    except Exception as error:  # noqa: BLE001 - the rows are written; say what is missing, in Swedish
        raise IngestError(file_name, "uppgifterna lästes in, men de skyddade tabellerna för Uppföljning per område "
                          "kunde inte beräknas; sidan visar dem inte förrän python -m dashboard build-db har körts "
                          f"({type(error).__name__})") from error
    return import_id, cells


def _write(conn: Connection, preview, description: str) -> None:  # noqa: ANN001
    parsed, dataset = preview.parsed, preview.dataset
    d = schema.datasets
    if conn.execute(select(d.c.dataset).where(d.c.dataset == dataset)).first() is None:
        conn.execute(insert(d).values(dataset=dataset, title=parsed.title, is_demo=False, origin=parsed.file_name,
                                      description=description, provenance=schema.IMPORT))
    else:
        conn.execute(update(d).where(d.c.dataset == dataset).values(origin=parsed.file_name))
    for chunk in _chunks(preview.records["people"]):
        conn.execute(insert(ischema.personer), chunk)
    register = parsed.register
    table, id_name, fields = TABLES[register], ID[register], FIELDS[register]
    clean = [{k: v for k, v in r.items() if not k.startswith("_")} for r in preview.records["rows"]]
    for chunk in _chunks([r for r, full in zip(clean, preview.records["rows"], strict=True)
                          if full["_state"] == "ny"]):
        conn.execute(insert(table), chunk)
    for row, full in zip(clean, preview.records["rows"], strict=True):
        if full["_state"] == "ersätter":
            conn.execute(update(table).where(and_(table.c[id_name] == row[id_name], table.c.dataset == dataset))
                         .values({f: row[f] for f in fields}))

