"""Charts and tables for the follow-up pages (Stockholmsjobb, Jobbtorg): DataFrame in, figure or table out."""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.core.labels import COMPUTED, GENDER_CHOICES, GENDERS
from dashboard.core.numbers import APPROX, MISSING, format_value, qualifier_of
from dashboard.core.periods import period_bounds, period_label
from dashboard.figures.style import KÖN_COLOURS, MISSING_COLOUR, TARGET_COLOUR, apply_style

KIND_LABELS = {"utfall": "Utfall", "mål": "Nämndens mål", "kf-mål": "KF:s mål", "prognos": "Prognos",
               "budget": "Budget", "jämförelse": "Jämförelse"}
# Colour-blind-safe series colours (Okabe–Ito) for non-gender series.
SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
EXPORT_HEADERS = {
    "measure_name": "Mått", "period": "Period", "area": "Område", "gender": "Kön", "group": "Grupp",
    "value": "Värde", "printed": "Tryckt", "unit": "Enhet", "kind": "Slag", "source": "Källa",
    "source_location": "Plats i källan", "note": "Anmärkning",
}


def decimals_of(printed: object) -> int | None:
    """The number of decimals the document prints ("52,94" → 2), so that nothing is rounded; None if unknown."""
    if not isinstance(printed, str) or not printed.strip():
        return None
    return len(printed.split(",", 1)[1].strip()) if "," in printed else 0


def shown_value(value: float | None, unit: str, printed: object = None, qualifier: object = None) -> str:
    """A published value in Swedish format with as many decimals and the qualifier as printed ("drygt 57,5 %");
    a gap is "uppgift saknas"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return format_value(value, unit, decimals_of(printed), qualifier)


def shown_row(row: pd.Series, unit: str | None = None) -> str:
    """shown_value of one observation row (value, unit, printed, qualifier)."""
    return shown_value(row["value"], unit or row["unit"], row.get("printed"), row.get("qualifier"))


def _column(frame: pd.DataFrame, column: str) -> list:
    return list(frame[column]) if column in frame else [None] * len(frame)


def _values(frame: pd.DataFrame, column: str = "value") -> list[str]:
    return [shown_value(v, u, p, q) for v, u, p, q in
            zip(frame[column], frame["unit"], _column(frame, "printed"), _column(frame, "qualifier"), strict=True)]


def chart_source(frame: pd.DataFrame) -> str:
    """Every source behind the rows and where in it, for the note under a chart."""
    parts = frame.groupby("source")["source_location"].apply(lambda s: ", ".join(dict.fromkeys(s)))
    return ";<br>".join(wrap(f"{src} ({loc})", 110) for src, loc in parts.items())


def export_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Observations with Swedish headers, the period as written and the source of every row (for CSV)."""
    out = frame[list(EXPORT_HEADERS)].copy()
    out["kind"] = out["kind"].map(lambda k: KIND_LABELS.get(k, k))
    return out.rename(columns=EXPORT_HEADERS)


def shown_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Observations as shown on screen: measure, period, kön, group, value in Swedish format, kind, source."""
    return pd.DataFrame({
        "Mått": frame["measure_name"],
        "Period": [period_label(p) for p in frame["period"]],
        "Område": frame["area"],
        "Kön": frame["gender"].map(lambda g: GENDERS.get(g, g)),
        "Grupp": frame["group"],
        "Värde": _values(frame),
        "Slag": frame["kind"].map(lambda k: KIND_LABELS.get(k, k)),
        "Källa": [f"{s}, {loc}" for s, loc in zip(frame["source"], frame["source_location"], strict=True)],
        "Anmärkning": frame["note"].fillna(""),
    })


def gender_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Kvinnor, män, totalt and the gap kvinnor − män, one row per figure published for both kvinnor and män.

    The gap is computed here from the published figures (procentenheter for shares) and is never stored; it has
    as many decimals as the more precise of the two, or, from an approximate figure ("cirka 47 %"), whole units
    and the qualifier "≈".
    """
    keys = ["measure", "measure_name", "period", "period_start", "area", "group", "kind", "unit"]
    keys = [k for k in keys if k in frame]
    values = frame.pivot_table(index=keys, columns="gender", values="value", aggfunc="first")
    printed = frame.pivot_table(index=keys, columns="gender", values="printed", aggfunc="first")
    printed.columns = [f"{c}_printed" for c in printed.columns]
    words = frame.assign(qualifier=[qualifier_of(q) for q in _column(frame, "qualifier")]).pivot_table(
        index=keys, columns="gender", values="qualifier", aggfunc="first")
    printed = printed.join(words.rename(columns=lambda c: f"{c}_qualifier"))
    wide = values.join(printed).reset_index()
    for gender in ("kvinnor", "män", "totalt"):
        for column in (gender, f"{gender}_printed", f"{gender}_qualifier"):
            if column not in wide:
                wide[column] = None
    wide = wide[wide["kvinnor"].notna() & wide["män"].notna()].copy()
    wide["gap_decimals"] = [max(decimals_of(a) or 0, decimals_of(b) or 0)
                            for a, b in zip(wide["kvinnor_printed"], wide["män_printed"], strict=True)]
    wide["approximate"] = [bool(qualifier_of(a) or qualifier_of(b))
                           for a, b in zip(wide["kvinnor_qualifier"], wide["män_qualifier"], strict=True)]
    wide.loc[wide["approximate"], "gap_decimals"] = 0
    wide["gap"] = [round(k - m, d) for k, m, d in zip(wide["kvinnor"], wide["män"], wide["gap_decimals"], strict=True)]
    wide["gap_qualifier"] = [APPROX if a else None for a in wide["approximate"]]
    wide["gap_unit"] = wide["unit"].map(lambda u: "procentenheter" if u == "procent" else u)
    sources = frame.groupby(keys)[["source", "source_location"]].agg(lambda s: ", ".join(dict.fromkeys(s)))
    return wide.merge(sources.reset_index(), on=keys, how="left").reset_index(drop=True)


def gap_value(row: pd.Series) -> str:
    """The computed gap of one gender_gaps row, e.g. "7,14 procentenheter"."""
    return format_value(row["gap"], row["gap_unit"], int(row["gap_decimals"]), row.get("gap_qualifier"))


def gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """The output of gender_gaps with Swedish headers and formatted values; the gap says it is computed."""
    def shown(gender: str) -> list[str]:
        return [shown_value(v, u, p, q) for v, u, p, q in
                zip(gaps[gender], gaps["unit"], gaps[f"{gender}_printed"], _column(gaps, f"{gender}_qualifier"),
                    strict=True)]

    return pd.DataFrame({
        "Mått": gaps["measure_name"],
        "Period": [period_label(p) for p in gaps["period"]],
        "Kvinnor": shown("kvinnor"),
        "Män": shown("män"),
        "Totalt": shown("totalt"),
        f"Skillnad kvinnor − män ({COMPUTED})": [gap_value(row) for _, row in gaps.iterrows()],
        "Källa": [f"{s} ({loc})" for s, loc in zip(gaps["source"], gaps["source_location"], strict=True)],
    })


def bar_chart(frame: pd.DataFrame, *, x: str, series: str | None, unit: str, title: str | None = None,
              source: str | None = None, targets: pd.DataFrame | None = None, horizontal: bool = False,
              gender_colours: bool = False, demo: bool = False, height: int | None = None) -> go.Figure:
    """Bars of `value` by `x`, one bar series per value of `series` (in the frame's order).

    A missing value (NaN) is written "uppgift saknas" at the axis instead of a bar – never drawn as 0.
    `targets` (columns value, label) are drawn as dashed lines, one per row, each with its own label.
    """
    fig = go.Figure()
    groups = [(None, frame)] if series is None else [(k, frame[frame[series] == k]) for k in
                                                      dict.fromkeys(frame[series])]
    for index, (name, rows) in enumerate(groups):
        present = rows[rows["value"].notna()]
        colour = (KÖN_COLOURS.get(str(name), SERIES_COLOURS[index % len(SERIES_COLOURS)]) if gender_colours
                  else SERIES_COLOURS[index % len(SERIES_COLOURS)])
        shown_unit = "antal" if unit == "procentenheter" else unit  # the axis title says procentenheter
        text = [shown_value(v, shown_unit, p, q) for v, p, q in
                zip(present["value"], _column(present, "printed"), _column(present, "qualifier"), strict=True)]
        cats, vals = list(present[x]), list(present["value"])
        label = GENDERS.get(str(name), str(name)) if name is not None else "Värde"
        fig.add_trace(go.Bar(
            x=vals if horizontal else cats, y=cats if horizontal else vals, name=label, marker_color=colour,
            orientation="h" if horizontal else "v", text=text, cliponaxis=False,
            # inside the bar when target lines run near its top, so that the two never overlap
            # outside otherwise, also beside a bar of zero ("0", not an empty row)
            textposition=("inside" if targets is not None and len(targets) else "outside"),
            # at the foot of the bar when targets are drawn, so that a target mark never crosses the number
            insidetextanchor="start" if targets is not None and len(targets) else "end",
            insidetextfont={"color": "white"},
            hovertemplate="%{text}<extra>" + label + "</extra>", showlegend=name is not None,
        ))
        gaps = rows[rows["value"].isna()]
        if not gaps.empty:
            cats = list(gaps[x])
            fig.add_trace(go.Scatter(
                x=[0] * len(cats) if horizontal else cats, y=cats if horizontal else [0] * len(cats),
                mode="text", text=[MISSING] * len(cats), textposition="top center" if not horizontal else
                "middle right", textfont={"color": "#555"}, marker_color=MISSING_COLOUR, showlegend=False,
                hoverinfo="skip", name=f"{label} – {MISSING}",
            ))
    targets = targets if targets is not None else pd.DataFrame(columns=["value", "label"])
    order = list(dict.fromkeys(frame[x]))  # the frame's order
    dated = not horizontal and "period" in targets and len(targets)
    if dated:  # a target belongs to its own period: a mark there, never a line across other years
        order, where = _with_target_periods(frame, x, targets)
    for number, row in enumerate(targets.itertuples()):
        if dated:
            fig.add_trace(go.Scatter(
                x=[where[row.period]], y=[row.value], mode="markers+text", name=row.label,
                marker={"symbol": "line-ew-open", "size": 46, "line": {"color": TARGET_COLOUR, "width": 3}},
                text=[f"{row.short} {shown_value(row.value, unit, row.printed)}"], textposition="top center",
                textfont={"color": TARGET_COLOUR, "size": 12}, cliponaxis=False,
                hovertemplate=row.label + "<extra></extra>",
            ))
            continue
        dash = ("dash", "dot", "dashdot", "longdash")[number % 4]
        line = {"line_dash": dash, "line_color": TARGET_COLOUR, "line_width": 2}
        (fig.add_vline(x=row.value, **line) if horizontal else fig.add_hline(y=row.value, **line))
        # The label goes in the legend: lines a few units apart would have overlapping labels.
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=row.label, hoverinfo="skip",
                                 line={"dash": dash, "color": TARGET_COLOUR, "width": 2}))
    fig.update_layout(barmode="group", bargap=0.25, showlegend=series is not None or not targets.empty)
    axis = {"ticksuffix": " %" if unit == "procent" else "", "rangemode": "tozero",
            "title": {"text": f"procentenheter ({COMPUTED})" if unit == "procentenheter" else None}}
    top = frame["value"].max() if len(frame) else math.nan
    if horizontal and not math.isnan(top) and frame["value"].min() >= 0:
        axis["range"] = [0, (top or 1) * 1.18]  # room for the numbers beside the longest bar
    (fig.update_xaxes(**axis) if horizontal else fig.update_yaxes(**axis))
    order = {"categoryorder": "array", "categoryarray": order}
    (fig.update_yaxes(autorange="reversed", **order) if horizontal else fig.update_xaxes(**order))
    fig = apply_style(fig, title=title, source=source, demo=demo, height=height)
    # Legend between the title and the plot, so that it never covers the source note under the chart.
    long_names = any(len(str(name)) > 30 for name, _ in groups)
    legend_rows = (0 if series is None else len(groups) if long_names else math.ceil(len(groups) / 3)) + len(targets)
    tick_lines = 0 if horizontal else max([str(c).count("<br>") for c in frame[x]] + [0])
    tick_lines += 1 if unit == "procentenheter" else 0  # the axis title
    source_lines = (source or "").count("<br>")
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": 12}},
                      title={"y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
                      margin={"t": 50 + 24 * legend_rows, "b": 70 + 16 * (source_lines + tick_lines)})
    fig.update_annotations(selector={"yref": "paper", "y": -0.02}, yshift=-40 - 16 * tick_lines)
    return fig


def _with_target_periods(frame: pd.DataFrame, x: str, targets: pd.DataFrame) -> tuple[list, dict[str, str]]:
    """The categories with each target's period among them in time order, and the category of each target:
    the bars' own where they show the same period, else the period's name ("2026")."""
    own = dict(zip(frame["period"], frame[x], strict=True)) if "period" in frame else {}
    where = {p: own.get(p, axis_label(p)) for p in targets["period"]}
    starts = dict(zip(frame[x], frame["period_start"], strict=True)) if "period_start" in frame else {}
    entries = [(pd.Timestamp(starts[c]) if c in starts else None, c) for c in dict.fromkeys(frame[x])]
    for period in dict.fromkeys(targets["period"]):
        if where[period] not in [c for _, c in entries]:
            entries.append((pd.Timestamp(period_bounds(period)[0]), where[period]))
    if all(start is not None for start, _ in entries):
        entries.sort(key=lambda e: e[0])
    return [c for _, c in entries], where


def axis_label(period: str) -> str:
    """A period as a short axis label over two lines: "september 2021 –<br>augusti 2022"."""
    return period_label(period).replace(" – ", " –<br>")


def wrap(text: str, width: int = 45) -> str:
    """A long axis label over several lines."""
    return "<br>".join(textwrap.wrap(text, width))


def target_lines(frame: pd.DataFrame) -> pd.DataFrame:
    """Target rows (kind mål or kf-mål, kön totalt): value, period, a short name and a label naming year and
    source. bar_chart draws each as a mark at its own period."""
    rows = frame[frame["kind"].isin(["mål", "kf-mål"]) & (frame["gender"] == "totalt")]
    rows = rows.drop_duplicates(["measure", "period", "kind", "value", "source", "source_location"])
    labels = [f"{KIND_LABELS[k]} {period_label(p)}: {shown_value(v, u, t, q)} ({s}, {loc})"
              for k, p, v, u, t, q, s, loc in
              zip(rows["kind"], rows["period"], rows["value"], rows["unit"], rows["printed"],
                  _column(rows, "qualifier"), rows["source"], rows["source_location"], strict=True)]
    return pd.DataFrame({"value": list(rows["value"]), "label": labels, "period": list(rows["period"]),
                         "short": ["KF-mål" if k == "kf-mål" else "Mål" for k in rows["kind"]],
                         "printed": list(rows["printed"]), "qualifier": list(_column(rows, "qualifier"))})


# --- The main charts of the Stockholmsjobb and Jobbtorg pages, drawn alike on the page and on a slide -----------

STHLMSJOBB_VOLUMES = ["sthlmsjobb_aspiranter", "sthlmsjobb_finansierade_namnden",
                      "sthlmsjobb_andel_finansierade_namnden", "sthlmsjobb_startade"]
STHLMSJOBB_OUTCOME = "sthlmsjobb_andel_arbete_studier_3man"
STHLMSJOBB_OUTCOME_TARGETS = ["ind_arbete_studier_3_man_efter_stockholmsjobb"]  # VP 2026's indicator, same result
STHLMSJOBB_OUTCOME_TITLE = "Andel i arbete eller studier tre månader efter avslutat Stockholmsjobb"
STHLMSJOBB_VOLUMES_TITLE = "Stockholmsjobb per period"
# Which Stockholmsjobb chart a shared view shows (URL key "diagram").
STHLMSJOBB_CHARTS = {"resultat": "Resultat tre månader efter avslut", "volymer": "Volymer per period"}
SHORT_NAMES = {"sthlmsjobb_aspiranter": "Aspiranter med Stockholmsjobb",
               "sthlmsjobb_finansierade_namnden": "varav finansierade av nämnden",
               "sthlmsjobb_startade": "Startade Stockholmsjobb",
               "jobbtorg_kohort_forvarvsarbete_1ar_efter_avslut": "Förvärvsarbetar ett år efter avslut",
               "jobbtorg_kohort_forvarvsarbete_2ar_efter_avslut": "Förvärvsarbetar två år efter avslut",
               "jobbtorg_kohort_ekbistand_2ar_efter_avslut": "Ekonomiskt bistånd två år efter avslut"}

JOBBTORG_ENROLLED = "jobbtorg_inskrivna"
JOBBTORG_UNIQUE = "jobbtorg_unika_individer"
JOBBTORG_SPANS = {"helar": "Helår", "jan-mar": "Januari–mars"}


def is_demo(frame: pd.DataFrame) -> bool:
    return bool("is_demo" in frame and frame["is_demo"].any())


def volume_counts(volumes: pd.DataFrame) -> pd.DataFrame:
    """The published counts (utfall, antal) among the Stockholmsjobb volumes, in time order, labelled."""
    counts = volumes[(volumes["kind"] == "utfall") & (volumes["unit"] == "antal")].sort_values("period_start")
    return counts.assign(Period=[axis_label(p) for p in counts["period"]],
                         Serie=[SHORT_NAMES.get(m, n) for m, n in
                                zip(counts["measure"], counts["measure_name"], strict=True)])


def volumes_figure(volumes: pd.DataFrame) -> go.Figure:
    """Stockholmsjobb per period: one bar series per count (aspiranter, varav nämnden, startade)."""
    counts = volume_counts(volumes)
    return bar_chart(counts, x="Period", series="Serie", unit="antal", title=STHLMSJOBB_VOLUMES_TITLE,
                     source=chart_source(counts), demo=is_demo(counts))


def outcome_results(outcome: pd.DataFrame) -> pd.DataFrame:
    """The outcomes (utfall) of the 3-month result, in time order, labelled by the period of the avslut."""
    results = outcome[(outcome["measure"] == STHLMSJOBB_OUTCOME) & (outcome["kind"] == "utfall")]
    results = results.sort_values("period_start")
    return results.assign(Period=[f"Avslutade<br>{axis_label(p)}" for p in results["period"]])


def outcome_figure(outcome: pd.DataFrame) -> go.Figure:
    """Share in work or studies three months after Stockholmsjobb, bars per period, every target as a line.

    `outcome`: the rows of STHLMSJOBB_OUTCOME and STHLMSJOBB_OUTCOME_TARGETS (all kinds).
    """
    return bar_chart(outcome_results(outcome), x="Period", series=None, unit="procent",
                     targets=target_lines(outcome), title=STHLMSJOBB_OUTCOME_TITLE, source=chart_source(outcome),
                     height=480, demo=is_demo(outcome))


def span_of(period: str) -> str:
    """'helar' for a whole year ('2022'), else 'jan-mar' (the tertial report's January–March)."""
    return "helar" if len(period) == 4 else "jan-mar"


def by_gender(frame: pd.DataFrame, choice: str) -> pd.DataFrame:
    """The rows for one kön, or for "skillnad" the gap kvinnor − män (computed) in the same layout."""
    if choice != "skillnad":
        return frame[frame["gender"] == choice]
    gaps = gender_gaps(frame)
    printed = [f"{abs(g):.{d}f}".replace(".", ",") for g, d in zip(gaps["gap"], gaps["gap_decimals"], strict=True)]
    return gaps.assign(value=gaps["gap"], unit=gaps["gap_unit"], printed=printed, gender="skillnad")


def choice_text(choice: str) -> str:
    """'kvinnor', 'totalt' or 'kvinnor − män (beräknat av verktyget)': the kön shown, for titles."""
    return (GENDER_CHOICES[choice] + (f" ({COMPUTED})" if choice == "skillnad" else "")).lower()


def enrolled_groups(counts: pd.DataFrame) -> pd.DataFrame:
    """Inskrivna per målgrupp (the total row "alla" left out)."""
    return counts[(counts["measure"] == JOBBTORG_ENROLLED) & (counts["group"] != "alla")]


def enrolled_figure(counts: pd.DataFrame, choice: str) -> go.Figure:
    """Inskrivna på Jobbtorg Stockholm per målgrupp for one kön (or the computed gap), newest period first.

    `counts`: the rows of JOBBTORG_ENROLLED (and JOBBTORG_UNIQUE) for the periods to show.
    """
    groups = enrolled_groups(counts)
    shown = by_gender(groups, choice).sort_values("period_start", ascending=False)
    shown = shown.assign(Period=[period_label(p) for p in shown["period"]])
    return bar_chart(shown, x="group", series="Period", unit="antal", height=460,
                     title=f"Inskrivna på Jobbtorg Stockholm per målgrupp – {choice_text(choice)}",
                     source=chart_source(groups), demo=is_demo(groups))


def enrolled_pivot(frame: pd.DataFrame) -> pd.DataFrame:
    """Målgrupp × (period, kön) with the values as printed, newest period first; the gap column kvinnor − män
    is computed and says so. The totals (inskrivna, unika individer) come last; a gap is "uppgift saknas"."""
    gaps = gender_gaps(frame).set_index(["measure", "group", "period"])
    starts = frame.groupby("period")["period_start"].first()
    periods = sorted(frame["period"].unique(), key=lambda p: starts[p], reverse=True)
    rows = []
    for (measure, group), cells in frame.groupby(["measure", "group"], sort=False):
        label = {"alla": "Totalt inskrivna"}.get(group, group) if measure == JOBBTORG_ENROLLED else \
            "Totalt unika individer"
        row = {"Målgrupp": label}
        for period in periods:
            for gender in ("kvinnor", "män", "totalt"):
                hit = cells[(cells["period"] == period) & (cells["gender"] == gender)]
                row[f"{period_label(period)}: {gender}"] = MISSING if hit.empty else shown_row(hit.iloc[0], "antal")
            key = (measure, group, period)
            row[f"{period_label(period)}: kvinnor − män ({COMPUTED})"] = (
                gap_value(gaps.loc[key]) if key in gaps.index else MISSING)
        rows.append(row)
    totals = [r for r in rows if r["Målgrupp"].startswith("Totalt")]
    return pd.DataFrame([r for r in rows if r not in totals] + totals)


COHORT_WORK = ["jobbtorg_kohort_forvarvsarbete_1ar_efter_avslut", "jobbtorg_kohort_forvarvsarbete_2ar_efter_avslut"]
COHORT_AID_AFTER = "jobbtorg_kohort_ekbistand_2ar_efter_avslut"
COHORT_TITLE = "Förvärvsarbete och ekonomiskt bistånd efter avslut, per typ av avslut"


def cohort_figure(cohort: pd.DataFrame) -> go.Figure:
    """The 2018 cohort: work one and two years and ekonomiskt bistånd two years after the avslut, per type of
    avslut. Every series gets every type; one without a published figure says "uppgift saknas"."""
    series = [*COHORT_WORK, COHORT_AID_AFTER]
    by_exit = cohort[cohort["measure"].isin(series)]
    exits = list(dict.fromkeys(by_exit["group"]))
    grid = pd.MultiIndex.from_product([series, exits], names=["measure", "group"]).to_frame(index=False)
    grid = grid.merge(by_exit[["measure", "group", "value", "printed", "qualifier"]], how="left")
    grid["Serie"] = grid["measure"].map(SHORT_NAMES)
    grid["Typ av avslut"] = [g[:1].upper() + g[1:] for g in grid["group"]]
    return bar_chart(grid, x="Typ av avslut", series="Serie", unit="procent", height=460, title=COHORT_TITLE,
                     source=chart_source(by_exit), demo=is_demo(by_exit))


def budget_figure(budget: pd.DataFrame, districts: list[str], title: str) -> go.Figure:
    """Budgeted places per stadsdelsnämnd, largest first: every stadsdelsområde in `districts` gets a bar, one
    without a published figure says "uppgift saknas" (never 0); units that are not areas keep their own bar."""
    ordered = budget.sort_values("value", ascending=False)
    absent = pd.DataFrame({"area": sorted(set(districts) - set(ordered["area"])), "value": math.nan})
    drawn = pd.concat([ordered, absent], ignore_index=True)
    return bar_chart(drawn, x="area", series=None, unit="antal", horizontal=True, height=120 + 32 * len(drawn),
                     title=title, source=chart_source(ordered), demo=is_demo(ordered))


def indicators_by_gender(indicators: pd.DataFrame, choice: str) -> pd.DataFrame:
    """The published outcomes (procent) of the indicators for one kön, or the computed gap; for kvinnor, män
    and totalt only the figures also published for kvinnor and män, so that the three show the same indicators.
    A column Indikator names each with its period."""
    shares = indicators[indicators["unit"] == "procent"]
    chosen = by_gender(shares, choice)
    chosen = chosen[chosen["value"].notna() & chosen["kind"].eq("utfall")]
    if choice != "skillnad":
        split = gender_gaps(shares)[["measure", "period"]].drop_duplicates()  # a target by kön is no second row
        chosen = chosen.merge(split, on=["measure", "period"])
    return chosen.assign(Indikator=[wrap(f"{n} ({period_label(p)})") for n, p in
                                    zip(chosen["measure_name"], chosen["period"], strict=True)])
