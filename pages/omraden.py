"""Uppföljning per område: KAA, Jobbtorg and Stockholmsjobb per stadsdelsområde, stadsdel and fokusområde.

The data set is chosen among the individual-level ones with stored protected tables: the city's own imported
extracts first and by default, the demo labelled as demo. Every number comes from the protected tables. With
`DASHBOARD_DEMO=0` the demo is not offered, and without an import the page says there is nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.core import config, labels
from dashboard.core.suppression import LEGEND, RULE
from dashboard.db.individ_schema import MALGRUPPER
from dashboard.figures import omraden as figures
from dashboard.ui import state
from dashboard.ui.glossary import glossary_popover
from queries import individ
from queries.db import engine, with_database_url

LEVELS = {key: labels.LEVELS[key] for key in ("stadsdelsomrade", "stadsdel", "fokusomrade")}
RULE_TEXT = f"{RULE} {LEGEND}"
PROGRAM_TITLES = {"kaa": "KAA – det kommunala aktivitetsansvaret", "jobbtorg": "Jobbtorg Stockholm",
                  "stockholmsjobb": "Stockholmsjobb – sysselsättning 3 månader efter anställningen"}


@with_database_url
@st.cache_data(show_spinner=False)
def data_sets(database: str) -> pd.DataFrame:
    return individ.protected_datasets(engine=engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def years(database: str, dataset: str) -> list[int]:
    return individ.protected_years(dataset, engine=engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def kaa_rows(database: str, year: int, dataset: str) -> pd.DataFrame:
    """Every level at once (one protection, so levels cannot be subtracted), as build-db or the import stored it."""
    return individ.protected_levels("kaa", year, dataset=dataset, engine=engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def stockholmsjobb_rows(database: str, year: int, dataset: str) -> pd.DataFrame:
    """Every level at once, as for KAA."""
    return individ.protected_levels("stockholmsjobb", year, dataset=dataset, engine=engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def jobbtorg_rows(database: str, year: int, dataset: str) -> pd.DataFrame:
    """Every level at once (one protection, so levels cannot be subtracted); per stadsdel only "alla"."""
    return individ.protected_levels("jobbtorg", year, dataset=dataset, engine=engine(database))


def rule_caption() -> None:
    st.caption(f"**Skydd av små tal:** {RULE_TEXT}")


def downloads(table: pd.DataFrame, name: str, key: str, is_demo: bool) -> None:
    """CSV (the rule in a column on every row) and Excel (the rule on the sheet Källor), marked demo if so."""
    ui.download_table(table, f"{name}.csv", is_demo=is_demo, key=key, rule=RULE_TEXT, context={
        "Mått": PROGRAM_TITLES[name.split("_")[1]], "Period": str(year), "Kön": labels.GENDER_CHOICES[kon],
        "Dataset": ui.dataset_title(chosen_dataset)})


def dataset_label(dataset: str) -> str:
    row = choices[choices["dataset"] == dataset].iloc[0]
    return f"{row['title']} (demodata)" if row["is_demo"] else str(row["title"])


st.title("Uppföljning per område")
glossary_popover(["KAA", "Jobbtorg Stockholm", "Stockholmsjobb", "Fokusområden", "Unik individ", "Aspirant"],
                 key="begrepp_sida")
choices = data_sets()
if choices.empty:
    st.info("Det finns inga uppgifter på individnivå att visa. Sidan bygger på pseudonyma individuppgifter: "
            "läs in uttag ur KAA, Jobbtorg och Stockholmsjobb på sidan Importera"
            + (" (demodatan är avstängd, DASHBOARD_DEMO=0)." if not config.demo_enabled() else "."),
            icon=":material/info:")
    st.stop()
dataset_options = list(choices["dataset"])
if len(dataset_options) > 1:  # the city's own data first, and the default; the demo says it is demo
    state.bind("dataset", dataset_options, dataset_options[0], label="Data set", format_func=dataset_label)
    chosen_dataset = st.selectbox("Data set", dataset_options, key="dataset", format_func=dataset_label)
else:
    chosen_dataset = dataset_options[0]
IS_DEMO = bool(choices.set_index("dataset").loc[chosen_dataset, "is_demo"])
year_options = [str(y) for y in years(chosen_dataset)]
banner = st.container()  # filled once the rows are read: the label follows their data set
st.write(
    "KAA-tratten, Jobbtorgs inskrivningar och avslut och Stockholmsjobbens utfall tre månader efter "
    "anställningen, per stadsdelsområde och fokusområde (Jobbtorg även per stadsdel). Siffrorna kommer från pseudonyma "
    "individuppgifter"
    + (" – här demodata. Demodatan är byggd så att hela stadens totaler för 2021–2022 är desamma som de "
       "publicerade siffrorna där nämnden publicerat ett antal; fördelningen på områden är påhittad." if IS_DEMO else
       f": {dataset_label(chosen_dataset)}, inlästa från verksamhetssystemens uttag.")
)
st.info(f"**Skydd av små tal.** {RULE} {LEGEND} Andelar räknas bara ur synliga antal; annars står det "
        f"”{figures.HIDDEN_SHARE}”.", icon=":material/shield:")

controls = st.columns([1.9, 0.8, 2.6, 2.2])
state.bind("niva", list(LEVELS), "stadsdelsomrade", label="Nivå", format_func=LEVELS.get)
level = controls[0].radio("Nivå", list(LEVELS), key="niva", format_func=LEVELS.get, horizontal=True) or \
    "stadsdelsomrade"
# the demo opens on 2022 (its totals are the published ones); the city's own data on its latest year
state.bind("ar", year_options, "2022" if IS_DEMO and "2022" in year_options else year_options[-1], label="År")
year = int(controls[1].selectbox("År", year_options, key="ar"))
with controls[2]:
    kon = ui.gender_choice("kon", ["kvinnor", "män", "totalt"])



def at_level(frame: pd.DataFrame) -> pd.DataFrame:
    """The chosen level's areas and the city, from an all-levels table."""
    return frame[frame["level"].isin([level, "stad"])]


kaa = at_level(kaa_rows(year, chosen_dataset))
sj = at_level(stockholmsjobb_rows(year, chosen_dataset))
jt = at_level(jobbtorg_rows(year, chosen_dataset))
if kaa.empty and sj.empty and jt.empty:  # individual-level data without its protected tables
    st.error(f"De skyddade tabellerna för {year} saknas i databasen. Kör `python -m dashboard build-db` igen; "
             "inget visas utan dem.", icon=":material/shield:")
    st.stop()
with banner:
    ui.demo_banner(bool(pd.concat([kaa["is_demo"], sj["is_demo"], jt["is_demo"]]).any()))
area_label = LEVELS[level]
present = set(jt["area"]) if level == "stadsdel" else set(kaa["area"]) | set(sj["area"]) | set(jt["area"])
areas = sorted(present - {individ.CITY})
area_options = ([individ.CITY] if individ.CITY in present else []) + areas
state.bind("omrade", area_options, area_options[0], label="Område")
area = controls[3].selectbox("Område", area_options, key="omrade")

genders = ("kvinnor", "män") if kon == "skillnad" else (kon,)
malgrupper = ["alla"] if level == "stadsdel" else ["alla", *MALGRUPPER]
state.bind("malgrupp", malgrupper, "alla", label="Målgrupp",
           format_func=lambda g: "Alla målgrupper" if g == "alla" else g)
if kon == "skillnad":
    st.caption("Kvinnor och män sida vid sida. Skillnaden i procentenheter står under varje tabell, bara där "
               "båda andelarna kan räknas ur synliga antal.")


def to_stadsdelsomrade() -> None:
    st.session_state["niva"] = "stadsdelsomrade"


def not_per_stadsdel(program: str) -> None:
    """KAA and Stockholmsjobb are not shown per stadsdel: say why and offer the level that can be shown."""
    st.info(f"**{PROGRAM_TITLES[program].split(' – ')[0]} visas inte per stadsdel.** Per stadsdel är nästan alla "
            "antal under 5: de skulle döljas, och för att de inte ska kunna räknas fram skulle också "
            "stadsdelsområdenas och fokusområdenas tal behöva döljas. Därför visas de per stadsdelsområde och "
            "fokusområde.", icon=":material/shield:")
    st.button("Visa per stadsdelsområde", key=f"till_sdo_{program}", on_click=to_stadsdelsomrade)


def section(program: str, frame: pd.DataFrame | Callable[[], pd.DataFrame], note: str = "") -> None:
    """The chosen area's chart, then every area's table, each with the rule and labelled downloads. `frame`
    may be a function, for a widget under the header that chooses the rows."""
    st.header(PROGRAM_TITLES[program])
    if note:
        st.caption(note)
    if program in ("kaa", "stockholmsjobb") and level == "stadsdel":
        not_per_stadsdel(program)
        return
    if callable(frame):
        frame = frame()
    if frame.empty:
        st.info(f"Data setet har inga uppgifter om {PROGRAM_TITLES[program].split(' – ')[0]} för {year}.",
                icon=":material/info:")
        return
    chosen = frame[frame["area"] == area]
    table = figures.step_table(chosen, program, genders)
    title = f"{PROGRAM_TITLES[program].split(' – ')[0]}, {area}, {year}"
    if kon != "skillnad":
        title += f", {labels.GENDERS[kon].lower()}"
    st.plotly_chart(figures.steps_figure(table, program, genders, title=title,
                                              demo=bool(chosen["is_demo"].any())), width="stretch",
                    config={"displaylogo": False}, key=f"fig_{program}")
    rule_caption()
    st.caption("Efter antalet står andelen av steget ovanför (till exempel nådda av uppsökta). Ett dolt antal "
               "ritas inte som stapel – bara dess märkning står kvar.")
    st.subheader(f"Alla områden – {area_label.lower()}, {year}")
    rows = frame[frame["gender"].isin(genders)]
    rows = pd.concat([rows[rows["area"] != individ.CITY], rows[rows["area"] == individ.CITY]])
    shown = figures.area_table(rows, program, area_label)
    ui.table(shown, is_demo=bool(rows["is_demo"].any()), key=f"tab_{program}")
    rule_caption()
    downloads(shown, f"omraden_{program}_{level}_{year}_{kon}", f"dl_{program}", bool(rows["is_demo"].any()))
    if kon == "skillnad":
        gaps = figures.gap_table(frame, program, area_label)
        st.markdown("**Skillnad kvinnor − män** (procentenheter, beräknat av verktyget ur synliga antal)")
        if gaps.empty:
            st.caption("Ingen skillnad kan räknas ur synliga antal.")
        else:
            ui.table(gaps, is_demo=bool(frame["is_demo"].any()), key=f"gap_{program}")
            rule_caption()
            downloads(gaps, f"omraden_{program}_{level}_{year}_skillnad", f"dl_gap_{program}",
                      bool(frame["is_demo"].any()))


section("kaa", kaa, "Unga 16–19 år i registret, räknade i det område de bodde i när de kom in i registret "
        "det året.")

st.divider()


def jobbtorg_group() -> pd.DataFrame:
    chosen = st.selectbox("Målgrupp", malgrupper, key="malgrupp", disabled=len(malgrupper) == 1,
                          format_func=lambda g: "Alla målgrupper" if g == "alla" else g)
    return jt[jt["malgrupp"] == chosen]


section("jobbtorg", jobbtorg_group,
        "Inskrivna räknas per målgrupp; ”alla” är summan, som nämnden redovisar den. "
        + ("Per stadsdel visas bara alla målgrupper tillsammans." if level == "stadsdel" else ""))

st.divider()
section("stockholmsjobb", sj, "Utfallet tre månader efter att anställningen slutat, av dem som följts upp.")

state.publish(*(["dataset"] if len(dataset_options) > 1 else []), "niva", "ar", "kon", "omrade", "malgrupp")
