"""Feriejobb per employing förvaltning and per stadsdelsnämnd: observations in, table or figure out.

Arbetsmarknadsrapport 2022 counts the young people who had a feriejobb by the förvaltning or nämnd that
employed them (rad 2114–2148), and the budget matrix gives the feriejobb each stadsdelsnämnd planned (rad 822 ff.).
Both count per organisation: a stadsdelsförvaltning there is an employer, not a place, and its numbers say where
young people worked, never where they live. Every title and caption built here says so.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import labels
from dashboard.core.labels import source_text
from dashboard.core.numbers import MISSING
from dashboard.core.periods import period_label
from dashboard.figures.followup import KIND_LABELS, shown_value
from dashboard.figures.style import KÖN_COLOURS, apply_style

MEASURE = "feriejobb_anstallda"  # its rows on areas of level enhet are the table per förvaltning
BUDGET_MEASURE = "feriejobb_sdn_budget_antal"  # the budget matrix, per stadsdelsnämnd
NOT_WHERE_THEY_LIVE = ("Talen gäller den förvaltning eller nämnd som anställde ungdomarna, inte var ungdomarna "
                       "bor. En stadsdelsförvaltning anställer ungdomar från hela staden; därför visas talen "
                       "inte som stadsdelsområdenas värden på kartan.")
BUDGET_NOT_WHERE_THEY_LIVE = ("Antal feriejobb som varje stadsdelsnämnd budgeterade som arbetsgivare, inte antal "
                              "ungdomar som bor i stadsdelsområdet. Därför finns måttet inte på kartan.")
UNSPLIT = "Totalt (inte uppdelat på kön)"
GENDERS = ("kvinnor", "män", "totalt")


def employer_rows(observed: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    """The outcomes per employing förvaltning (areas of level enhet, group alla) for `period`, or for the
    latest period that has them."""
    rows = observed[(observed["area_level"] == "enhet") & (observed["kind"] == "utfall")
                    & (observed["group"] == "alla")]
    if rows.empty:
        return rows
    if period is None:
        period = rows.sort_values("period_start")["period"].iloc[-1]
    return rows[rows["period"] == period]


def _place(rows: pd.DataFrame) -> str:
    """'Arbetsmarknadsrapport 2022, rad 2107, 2148': each source once, its lines in order."""
    parts = []
    for source, locations in rows.groupby("source", sort=False)["source_location"]:
        places = list(dict.fromkeys(str(x) for x in locations))
        lines = [p.removeprefix("rad ") for p in places]
        if all(p.startswith("rad ") and n.isdigit() for p, n in zip(places, lines, strict=True)):
            places = ["rad " + ", ".join(sorted(lines, key=int))]
        parts.append(f"{source}, " + ", ".join(places))
    return "; ".join(parts)


def _wide(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: value and as-shown text per kön, and where the figures stand; largest total first."""
    out = []
    for area, own in rows.groupby("area", sort=False):
        entry: dict = {"area": area, "place": _place(own), "is_demo": bool(own["is_demo"].any())
                       if "is_demo" in own else False}
        for gender in GENDERS:
            hit = own[own["gender"] == gender]
            row = hit.iloc[0] if len(hit) else None
            entry[gender] = float("nan") if row is None else float(row["value"])
            entry[f"{gender}_text"] = MISSING if row is None else shown_value(
                row["value"], row["unit"], row.get("printed"), row.get("qualifier"))
        out.append(entry)
    wide = pd.DataFrame(out, columns=["area", "place", "is_demo", *[c for g in GENDERS for c in (g, f"{g}_text")]])
    wide["size"] = wide["totalt"].fillna(wide["kvinnor"].fillna(0) + wide["män"].fillna(0))
    return wide.sort_values(["size", "area"], ascending=[False, True], kind="stable").reset_index(drop=True)


def has_gender_split(rows: pd.DataFrame) -> bool:
    """Whether every unit has both kvinnor and män."""
    wide = _wide(rows)
    return bool(len(wide)) and bool(wide["kvinnor"].notna().all() and wide["män"].notna().all())


def employer_title(rows: pd.DataFrame) -> str:
    when = f" {period_label(rows['period'].iloc[0])}" if len(rows) else ""
    return f"Ungdomar med feriejobb{when} per anställande förvaltning – inte var ungdomarna bor"


def employer_figure(rows: pd.DataFrame) -> go.Figure:
    """Horizontal bars, one per employing förvaltning or nämnd, largest first: kvinnor and män stacked where the
    source splits by kön, the total (as printed) at the end of each bar, every bar's source line in its hover
    and the publication with its lines under the chart."""
    wide = _wide(rows)
    split = wide["kvinnor"].notna() & wide["män"].notna()
    fig = go.Figure()
    for gender in ("kvinnor", "män") if split.any() else ():
        part = wide[split]
        fig.add_trace(go.Bar(
            y=list(part["area"]), x=list(part[gender]), name=labels.GENDERS[gender], orientation="h",
            marker_color=KÖN_COLOURS[gender], text=list(part[f"{gender}_text"]), textposition="inside",
            insidetextanchor="middle", insidetextfont={"color": "white"}, textangle=0, customdata=list(part["place"]),
            hovertemplate="%{y}<br>" + labels.GENDERS[gender] + ": %{text}<br>%{customdata}<extra></extra>",
        ))
    alone = wide[~split & wide["totalt"].notna()]
    if len(alone):
        fig.add_trace(go.Bar(
            y=list(alone["area"]), x=list(alone["totalt"]), name=UNSPLIT, orientation="h",
            marker_color=KÖN_COLOURS["totalt"], customdata=list(alone["place"]), text=list(alone["totalt_text"]),
            textposition="none", hovertemplate="%{y}<br>Totalt: %{text}<br>%{customdata}<extra></extra>",
        ))
    # The total as printed at the end of each bar; a unit without any figure says so at the axis.
    fig.add_trace(go.Scatter(
        y=list(wide["area"]), x=list(wide["size"]), mode="text", cliponaxis=False,
        text=["\u2002" + t for t in wide["totalt_text"]], hovertext=list(wide["totalt_text"]),
        textposition="middle right", textfont={"color": "#333"}, showlegend=False, name="Totalt",
        customdata=list(wide["place"]), hovertemplate="%{y}<br>Totalt: %{hovertext}<br>%{customdata}<extra></extra>",
    ))
    top = float(wide["size"].max()) if len(wide) else 0.0
    fig.update_layout(barmode="stack", bargap=0.3, showlegend=bool(split.any()),
                      uniformtext={"minsize": 10, "mode": "hide"})  # a number too big for its bar is left out
    fig.update_xaxes(range=[0, (top or 1) * 1.15], title={"text": "antal ungdomar"})
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=list(wide["area"]), automargin=True)
    source = source_text(rows).removeprefix("Källa: ") if len(rows) else None
    fig = apply_style(fig, title=employer_title(rows), source=source, demo=bool(wide["is_demo"].any()),
                      height=170 + 30 * len(wide))
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
                      title={"y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
                      margin={"t": 80, "b": 90})
    return fig


def employer_caption(rows: pd.DataFrame, city: pd.DataFrame) -> str:
    """What the chart counts, whether it has kön, and the city's total with its line."""
    text = "**Per anställande förvaltning eller nämnd, inte var ungdomarna bor.** "
    wide = _wide(rows)
    split = wide["kvinnor"].notna() & wide["män"].notna()
    if len(wide) and split.all():
        text += "Kvinnor och män enligt tabellens kolumner Tjej och Kille. "
    elif split.any():
        text += ("Källan delar inte upp alla förvaltningar på kvinnor och män: "
                 + ", ".join(wide.loc[~split, "area"]) + " visas bara som totalt. ")
    else:
        text += "Källan redovisar talen utan uppdelning på kvinnor och män; bara totalen visas. "
    own = city[(city["area_level"] == "stad") & (city["kind"] == "utfall") & (city["group"] == "alla")]
    if len(rows):
        own = own[own["period"] == rows["period"].iloc[0]]
    if len(own):
        city_row = _wide(own).iloc[0]
        parts = [f"{labels.GENDERS[g].lower()} {city_row[f'{g}_text']}" for g in ("kvinnor", "män")
                 if city_row[g] == city_row[g]]
        text += (f"Hela staden: {city_row['totalt_text']}" + (f" ({', '.join(parts)})" if parts else "")
                 + f" – {city_row['place']}.")
    return text


def employer_table(rows: pd.DataFrame, city: pd.DataFrame | None = None) -> pd.DataFrame:
    """The chart's numbers as a table, one row per förvaltning (largest first), as printed, with the line each
    stands on; the city's total last when given. Carries is_demo for ui.table."""
    wide = _wide(rows)
    if city is not None and len(city):
        own = city[(city["area_level"] == "stad") & (city["kind"] == "utfall") & (city["group"] == "alla")]
        if len(rows):
            own = own[own["period"] == rows["period"].iloc[0]]
        wide = pd.concat([wide, _wide(own).assign(area=lambda w: w["area"] + " (totalt)")], ignore_index=True)
    return pd.DataFrame({
        "Anställande förvaltning eller nämnd": wide["area"],
        "Totalt": wide["totalt_text"], "Kvinnor": wide["kvinnor_text"], "Män": wide["män_text"],
        "Källa": wide["place"], "is_demo": wide["is_demo"].astype(bool),
    })


def employer_export(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows for download: one per förvaltning and kön, the value as a number (whole counts as integers, so
    that a CSV says "1432", not "1432,0"), its qualifier and source."""
    values = rows["value"].astype(float)
    whole = bool(len(values)) and bool((values == values.round()).all())
    return pd.DataFrame({
        "Anställande förvaltning eller nämnd": rows["area"],
        "Kön": rows["gender"].map(lambda g: labels.GENDERS.get(g, g)),
        "Värde": values.round().astype("Int64") if whole else values,
        "Förbehåll": rows["qualifier"].fillna("") if "qualifier" in rows else "",
        "Slag": rows["kind"].map(lambda k: KIND_LABELS.get(k, k)),
        "Källa": rows["source"], "Plats i källan": rows["source_location"],
        "Anmärkning": rows["note"].fillna("") if "note" in rows else "",
    }).reset_index(drop=True)


def budget_table(rows: pd.DataFrame, nämnder: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """The budgeted feriejobb per stadsdelsnämnd (and unit) as printed, largest first; a nämnd in `nämnder`
    without a figure gets a row saying 'uppgift saknas'. Carries is_demo for ui.table."""
    shown = rows.sort_values(["value", "area"], ascending=[False, True], kind="stable")
    table = pd.DataFrame({
        "Stadsdelsnämnd": list(shown["area"]),
        "Budgeterade feriejobb": [shown_value(v, u, p, q) for v, u, p, q in zip(
            shown["value"], shown["unit"], shown["printed"],
            shown["qualifier"] if "qualifier" in shown else [None] * len(shown), strict=True)],
        "Källa": [f"{s}, {loc}" for s, loc in zip(shown["source"], shown["source_location"], strict=True)],
        "is_demo": [bool(d) for d in (shown["is_demo"] if "is_demo" in shown else [False] * len(shown))],
    })
    gaps = sorted(set(nämnder) - set(shown["area"]))
    if gaps:
        table = pd.concat([table, pd.DataFrame({"Stadsdelsnämnd": gaps, "Budgeterade feriejobb": MISSING,
                                                "Källa": "", "is_demo": False})], ignore_index=True)
    return table
