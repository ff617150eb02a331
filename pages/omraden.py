"""Uppföljning per område: KAA, Jobbtorg and Stockholmsjobb per stadsdelsområde, stadsdel and fokusområde.

The data set is chosen among the individual-level ones with stored protected tables: the city's own imported
extracts first and by default, the demo labelled as demo. Every number comes from the protected tables. With
`DASHBOARD_DEMO=0` the demo is not offered, and without an import the page says there is nothing to show.
What is shown comes from the view model (dashboard/views/omraden.py), which the slide draws too.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.core import config
from dashboard.core.suppression import LEGEND, RULE
from dashboard.ui import state
from dashboard.ui.glossary import glossary_popover
from dashboard.ui.share import share_bar
from dashboard.views import omraden as views
from dashboard.views.context import Download
from queries import individ
from queries.db import engine, with_database_url

LEVELS = views.LEVELS


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
def protected_rows(database: str, register: str, year: int, dataset: str) -> pd.DataFrame:
    """Every level of a register's year at once (one protection, so levels cannot be subtracted), as build-db
    or the import stored it; per stadsdel Jobbtorg has only "alla"."""
    return individ.protected_levels(register, year, dataset=dataset, engine=engine(database))


def rule_caption() -> None:
    st.caption(f"**Skydd av små tal:** {views.RULE_TEXT}")


def download(file: Download) -> None:
    """CSV (the rule in a column on every row) and Excel (the rule on the sheet Källor), marked demo if so."""
    ui.download_table(file.table, file.file_name, is_demo=file.is_demo, key=file.key, rule=file.rule,
                      context=file.context)


st.title("Uppföljning per område")
glossary_popover(["KAA", "Jobbtorg Stockholm", "Stockholmsjobb", "Fokusområden", "Unik individ", "Aspirant"],
                 key="begrepp_sida")
data = views.OmradenData(data_sets(), years, protected_rows)
choices = data.datasets
if choices.empty:
    st.info("Det finns inga uppgifter på individnivå att visa. Sidan bygger på pseudonyma individuppgifter: "
            "läs in uttag ur KAA, Jobbtorg och Stockholmsjobb på sidan Importera"
            + (" (demodatan är avstängd, DASHBOARD_DEMO=0)." if not config.demo_enabled() else "."),
            icon=":material/info:")
    st.stop()
labels_of = views.dataset_labels(choices)
dataset_options = list(labels_of)
if len(dataset_options) > 1:  # the city's own data first, and the default; the demo says it is demo
    state.bind("dataset", dataset_options, dataset_options[0], label="Data set", format_func=labels_of.get)
    chosen_dataset = st.selectbox("Data set", dataset_options, key="dataset", format_func=labels_of.get)
else:
    chosen_dataset = dataset_options[0]
is_demo_set = bool(choices.set_index("dataset").loc[chosen_dataset, "is_demo"])
year_options = [str(y) for y in years(chosen_dataset)]
banner = st.container()  # filled once the rows are read: the label follows their data set
st.write(
    "KAA-tratten, Jobbtorgs inskrivningar och avslut och Stockholmsjobbens utfall tre månader efter "
    "anställningen, per stadsdelsområde och fokusområde (Jobbtorg även per stadsdel). Siffrorna kommer från pseudonyma "
    "individuppgifter"
    + (" – här demodata. Demodatan är byggd så att hela stadens totaler för 2021–2022 är desamma som de "
       "publicerade siffrorna där nämnden publicerat ett antal; fördelningen på områden är påhittad." if is_demo_set
       else f": {labels_of[chosen_dataset]}, inlästa från verksamhetssystemens uttag.")
)
st.info(f"**Skydd av små tal.** {RULE} {LEGEND} {views.SHARES}", icon=":material/shield:")

controls = st.columns([1.9, 0.8, 2.6, 2.2])
state.bind("niva", list(LEVELS), "stadsdelsomrade", label="Nivå", format_func=LEVELS.get)
level = controls[0].radio("Nivå", list(LEVELS), key="niva", format_func=LEVELS.get, horizontal=True) or \
    "stadsdelsomrade"
state.bind("ar", year_options, views.default_year(year_options, is_demo_set), label="År")
year = int(controls[1].selectbox("År", year_options, key="ar"))
with controls[2]:
    kon = ui.gender_choice("kon", ["kvinnor", "män", "totalt"])

tables = {p: views.at_level(protected_rows(p, year, chosen_dataset), level) for p in views.PROGRAMS}
if all(t.empty for t in tables.values()):  # individual-level data without its protected tables
    st.error(f"De skyddade tabellerna för {year} saknas i databasen. Kör `python -m dashboard build-db` igen; "
             "inget visas utan dem.", icon=":material/shield:")
    st.stop()
area_options = views.area_options(tables, level)
state.bind("omrade", area_options, area_options[0], label="Område")
area = controls[3].selectbox("Område", area_options, key="omrade")
state.bind("malgrupp", views.group_options(level), views.ALL_GROUPS, label="Målgrupp", format_func=views.group_label)
state.bind("program", views.program_options(level), views.program_options(level)[0], label="Diagram på bilden",
           format_func=views.short_name)
view = views.omraden_view(data, {"dataset": chosen_dataset, "niva": level, "ar": str(year), "kon": kon,
                                 "omrade": area, "malgrupp": st.session_state["malgrupp"],
                                 "program": st.session_state["program"]})
with banner:
    ui.demo_banner(view.demo)
if view.kon == "skillnad":
    st.caption("Kvinnor och män sida vid sida. Skillnaden i procentenheter står under varje tabell, bara där "
               "båda andelarna kan räknas ur synliga antal.")


def to_stadsdelsomrade() -> None:
    st.session_state["niva"] = "stadsdelsomrade"


def section(program: str) -> None:
    """The chosen area's chart, then every area's table, each with the rule and labelled downloads."""
    part = view.sections[program]
    st.header(part.header)
    st.caption(part.note)
    if part.not_here:  # KAA and Stockholmsjobb per stadsdel: say why and offer the level that can be shown
        headline, why = part.not_here
        st.info(f"**{headline}** {why}", icon=":material/shield:")
        st.button("Visa per stadsdelsområde", key=f"till_sdo_{program}", on_click=to_stadsdelsomrade)
        return
    if program == "jobbtorg":
        st.selectbox("Målgrupp", view.group_options, key="malgrupp", disabled=len(view.group_options) == 1,
                     format_func=views.group_label)
    if part.empty:
        st.info(part.empty, icon=":material/info:")
        return
    st.plotly_chart(part.figure, width="stretch", config={"displaylogo": False}, key=f"fig_{program}")
    rule_caption()
    st.caption(views.BARS)
    st.subheader(f"Alla områden – {LEVELS[view.level].lower()}, {view.year}")
    ui.table(part.table, is_demo=part.table_demo, key=f"tab_{program}")
    rule_caption()
    download(part.download)
    if part.gaps is not None:
        st.markdown(f"**{views.GAP_HEADING}**")
        if part.gap_download is None:
            st.caption("Ingen skillnad kan räknas ur synliga antal.")
        else:
            ui.table(part.gaps, is_demo=part.gaps_demo, key=f"gap_{program}")
            rule_caption()
            download(part.gap_download)


for number, program in enumerate(views.PROGRAMS):
    if number:
        st.divider()
    section(program)

st.divider()
st.segmented_control("Diagram på bilden", view.program_options, key="program", format_func=views.short_name,
                     help="Bilden som läggs i en presentation visar det här diagrammet för det valda området.")
state.publish(*(["dataset"] if len(dataset_options) > 1 else []), "niva", "ar", "kon", "omrade", "malgrupp",
              "program")
share_bar("omraden", [k for k in views.KEYS if k != "dataset" or len(dataset_options) > 1])
