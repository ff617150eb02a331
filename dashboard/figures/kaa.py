"""The KAA funnel: the ordered steps, the funnel table (counts and shares kept) and its charts.

The steps are defined once, here (STEPS). Shares kept between steps are computed from the published
counts and always labelled "beräknat av verktyget"; a published share is shown as published.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.core.labels import COMPUTED
from dashboard.core.numbers import MISSING, format_value, qualifier_of
from dashboard.core.periods import period_label
from dashboard.figures.style import KÖN_COLOURS, MISSING_COLOUR, TARGET_COLOUR, apply_style

PUBLISHED = "publicerad"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    count: str  # measure id of the published count
    share: str | None = None  # measure id of a published share of the base step, if any
    base: str | None = None  # the step the share kept is taken of


# The funnel, in order. Arbete and studier are both taken of avslutade.
STEPS: tuple[Step, ...] = (
    Step("omfattade", "Omfattade (i KAA-registret)", "kaa_omfattade"),
    Step("uppsokta", "Uppsökta", "kaa_uppsokta", None, "omfattade"),
    Step("nadda", "Nådda", "kaa_nadda", "kaa_andel_nadda", "uppsokta"),
    Step("inskrivna", "Inskrivna (tagit del av stöd)", "kaa_tagit_del_av_stod", None, "nadda"),
    Step("avslutade", "Avslutade", "kaa_avslutade", None, "inskrivna"),
    Step("arbete", "Till arbete", "kaa_avslutade_arbete", "kaa_andel_avslutade_arbete", "avslutade"),
    Step("studier", "Till studier", "kaa_avslutade_studier", "kaa_andel_avslutade_studier", "avslutade"),
)
STEP_BY_KEY = {s.key: s for s in STEPS}
# Published figures beside the funnel (shown in the tables, not drawn as steps).
EXTRA_MEASURES = ("kaa_ej_nadda", "kaa_omfattade_andel_kon")
# Outcome and target measures for the shares to arbete and studier (the indicators of the plans).
TARGET_MEASURES: dict[str, tuple[str, ...]] = {
    "arbete": ("kaa_andel_avslutade_arbete", "ind_kaa_utskrivna_arbete"),
    "studier": ("kaa_andel_avslutade_studier", "ind_kaa_utskrivna_studier", "ind_kaa_ingang_16_19_utskrivna_studier"),
}
TARGET_KINDS = ("mål", "kf-mål")
KIND_LABELS = {"mål": "Nämndens mål", "kf-mål": "KF:s mål", "utfall": "Utfall", "prognos": "Prognos"}
TARGET_MARKS = {"mål": ("diamond", "Mål", "top center"), "kf-mål": ("star", "KF-mål", "bottom center")}
# The comparisons offered: two periods each, older first.
PERIOD_SETS: dict[str, tuple[str, ...]] = {
    "ar": ("2021", "2022"),
    "jan_mars": ("2020-01/2020-03", "2021-01/2021-03"),
}
PERIOD_SET_LABELS = {"ar": "Helår 2021 och 2022", "jan_mars": "Januari–mars 2020 och 2021 (tertialrapport 1)"}
GENDERS = ("kvinnor", "män", "totalt")


def all_measures() -> tuple[str, ...]:
    """Every measure the page reads, in a stable order (a plain tuple, for caching)."""
    found = [m for s in STEPS for m in (s.count, s.share) if m]
    found += list(EXTRA_MEASURES) + [m for ms in TARGET_MEASURES.values() for m in ms]
    return tuple(dict.fromkeys(found))


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _lookup(outcomes: pd.DataFrame) -> dict[tuple[str, str, str], pd.Series]:
    return {(r.measure, r.period, r.gender): r for _, r in outcomes.iterrows()}


def funnel_table(obs: pd.DataFrame, periods: tuple[str, ...], genders: tuple[str, ...] = GENDERS) -> pd.DataFrame:
    """One row per period, kön and step: the published count, the published share and the computed share.

    `count`/`share_published` are NaN where nothing is published; `share_computed` is the count over the
    base step's count (both published, same period and kön), NaN otherwise.
    """
    rows = _lookup(obs[obs["kind"] == "utfall"])
    out = []
    for period in periods:
        for gender in genders:
            counts: dict[str, float] = {}
            for step in STEPS:
                count_row = rows.get((step.count, period, gender))
                share_row = rows.get((step.share, period, gender)) if step.share else None
                count = float(count_row["value"]) if count_row is not None else math.nan
                counts[step.key] = count
                base = counts.get(step.base, math.nan) if step.base else math.nan
                computed = 100 * count / base if not (_missing(count) or _missing(base)) and base else math.nan
                used = [r for r in (count_row, share_row) if r is not None]
                out.append({
                    "period": period, "gender": gender, "step": step.key, "label": step.label,
                    "base_label": STEP_BY_KEY[step.base].label if step.base else "",
                    "count": count,
                    "share_published": float(share_row["value"]) if share_row is not None else math.nan,
                    "share_qualifier": qualifier_of(share_row.get("qualifier")) if share_row is not None else "",
                    "share_computed": computed,
                    "source": "; ".join(dict.fromkeys(r["source"] for r in used)),
                    "source_location": ", ".join(dict.fromkeys(r["source_location"] for r in used)),
                    "note": " ".join(str(r["note"]) for r in used if isinstance(r["note"], str) and r["note"]),
                })
    return pd.DataFrame(out)


COMPUTED_MARK = "*"  # after a share in a chart: computed by the tool (explained under the chart)


def share_text(row: pd.Series) -> str:
    """The share kept as shown in a chart: the published one if any, otherwise the computed one with a '*'."""
    if not _missing(row["share_published"]):
        return format_value(row["share_published"], "procent", qualifier=row.get("share_qualifier"))
    if not _missing(row["share_computed"]):
        return format_value(row["share_computed"], "procent", 1) + COMPUTED_MARK
    return ""


def bar_text(row: pd.Series) -> str:
    """Text beside a bar: the count, then the share kept of the step before."""
    share = share_text(row)
    if _missing(row["count"]):
        return f"antal: {MISSING} · {share}" if share else MISSING
    count = format_value(row["count"], "antal")
    return f"{count} · {share}" if share else count


def gap_table(table: pd.DataFrame) -> pd.DataFrame:
    """Kvinnor − män in procentenheter of the share kept (computed, or published where both are published)."""
    out = []
    for (period, step), part in table[table["gender"].isin(["kvinnor", "män"])].groupby(["period", "step"],
                                                                                          sort=False):
        by = part.set_index("gender")
        if not {"kvinnor", "män"} <= set(by.index):
            continue
        both_published = not any(_missing(by.at[g, "share_published"]) for g in ("kvinnor", "män"))
        column = "share_published" if both_published else "share_computed"
        women, men = by.at["kvinnor", column], by.at["män", column]
        words = {g: by.at[g, "share_qualifier"] if both_published and "share_qualifier" in by else "" for g in by.index}
        out.append({"period": period, "step": step, "label": by.at["kvinnor", "label"],
                    "kvinnor": women, "män": men,
                    "gap": women - men if not (_missing(women) or _missing(men)) else math.nan,
                    "how": PUBLISHED + "a andelar, skillnaden " + COMPUTED if both_published else COMPUTED,
                    "kvinnor_qualifier": words["kvinnor"], "män_qualifier": words["män"],
                    "approximate": bool(words["kvinnor"] or words["män"])})
    return pd.DataFrame(out, columns=["period", "step", "label", "kvinnor", "män", "gap", "how", "kvinnor_qualifier",
                                      "män_qualifier", "approximate"])


def published_gender_gaps(obs: pd.DataFrame) -> pd.DataFrame:
    """Published outcome shares with both kvinnor and män (e.g. an indicator), with the gap (computed)."""
    shares = obs[(obs["unit"] == "procent") & (obs["kind"] == "utfall") & obs["gender"].isin(["kvinnor", "män"])]
    out = []
    for (measure, period), part in shares.groupby(["measure", "period"], sort=False):
        by = part.set_index("gender")
        if {"kvinnor", "män"} <= set(by.index):
            words = {g: qualifier_of(by.at[g, "qualifier"]) if "qualifier" in by else "" for g in ("kvinnor", "män")}
            out.append({"measure": measure, "measure_name": by.at["kvinnor", "measure_name"], "period": period,
                        "kvinnor": by.at["kvinnor", "value"], "män": by.at["män", "value"],
                        "gap": by.at["kvinnor", "value"] - by.at["män", "value"],
                        "source": by.at["kvinnor", "source"],
                        "source_location": ", ".join(dict.fromkeys(part["source_location"])),
                        "kvinnor_qualifier": words["kvinnor"], "män_qualifier": words["män"],
                        "approximate": bool(words["kvinnor"] or words["män"])})
    return pd.DataFrame(out, columns=["measure", "measure_name", "period", "kvinnor", "män", "gap", "source",
                                      "source_location", "kvinnor_qualifier", "män_qualifier", "approximate"])


def funnel_figure(table: pd.DataFrame, series: tuple[str, ...], periods: tuple[str, ...], *,
                  title: str | None = None, source: str | None = None, demo: bool = False) -> go.Figure:
    """Horizontal bars, one panel per period, one bar per kön in `series` and step.

    A step without a published count gets no bar, only the words "uppgift saknas" (and a published share
    if there is one).
    """
    fig = make_subplots(rows=1, cols=len(periods), shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=[short_period(p) for p in periods])
    width = 0.8 / len(series)
    positions = {s.key: i for i, s in enumerate(STEPS)}
    top = table["count"].max()
    top = 1.0 if _missing(top) else float(top)
    for col, period in enumerate(periods, start=1):
        for k, gender in enumerate(series):
            part = table[(table["period"] == period) & (table["gender"] == gender)]
            offset = (k - (len(series) - 1) / 2) * width
            y = [positions[s] + offset for s in part["step"]]
            drawn = part["count"].notna().to_numpy()
            texts = [bar_text(r) for _, r in part.iterrows()]
            fig.add_trace(go.Bar(
                x=part["count"][drawn], y=[v for v, d in zip(y, drawn, strict=True) if d], orientation="h",
                width=width * 0.9, marker_color=KÖN_COLOURS[gender], name=gender.capitalize(),
                legendgroup=gender, showlegend=col == 1 and len(series) > 1,
                text=[t for t, d in zip(texts, drawn, strict=True) if d], textposition="outside",
                cliponaxis=False, hovertemplate="%{text}<extra>" + gender + "</extra>",
            ), row=1, col=col)
            fig.add_trace(go.Scatter(
                x=[0] * int((~drawn).sum()), y=[v for v, d in zip(y, drawn, strict=True) if not d],
                mode="text", text=[t for t, d in zip(texts, drawn, strict=True) if not d],
                textposition="middle right", textfont={"color": "#777", "size": 12}, showlegend=False,
                hoverinfo="skip", cliponaxis=False,
            ), row=1, col=col)
        fig.update_xaxes(range=[0, top * 1.45], showticklabels=False, showgrid=False, zeroline=True,
                         zerolinecolor=MISSING_COLOUR, row=1, col=col)
    fig.update_yaxes(tickvals=list(positions.values()), ticktext=[s.label for s in STEPS], autorange="reversed",
                     showgrid=False)
    fig.update_layout(bargap=0.1, uniformtext={"minsize": 11, "mode": "show"})
    return apply_style(fig, title=title, source=source, demo=demo, height=170 + 60 * len(STEPS) * len(series) ** 0.5)


def short_period(period: str) -> str:
    """'2021-01/2021-03' → 'jan–mars 2021'; other periods as period_label writes them."""
    if "/" in period and period[:4] == period[-7:-3]:
        first, last = (period_label(p).split()[0] for p in period.split("/"))
        return f"{first[:3]}–{last} {period[:4]}"
    return period_label(period)


def targets_frame(obs: pd.DataFrame, goal: str) -> pd.DataFrame:
    """Published outcomes and targets for the share to arbete or studier, ordered by period."""
    part = obs[obs["measure"].isin(TARGET_MEASURES[goal]) & obs["kind"].isin(("utfall", *TARGET_KINDS))]
    return part.sort_values(["period_start", "period", "kind", "gender"]).reset_index(drop=True)


def _words(frame: pd.DataFrame) -> list:
    """The qualifier of each row ("närmare"), None where the frame has none."""
    return list(frame["qualifier"]) if "qualifier" in frame else [None] * len(frame)


INSIDE_FROM = 12.0  # a share (procent) from which its number fits inside a bar
LABEL_GAP = 6.0  # procentenheter: target labels of one period closer than this would overlap


def unique_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """One row per period, kind and value: the same target in two documents (or for two measures) is one mark,
    its places in the sources joined in "where"."""
    rows = targets[targets["gender"] == "totalt"] if (targets["gender"] == "totalt").any() else targets
    if rows.empty:
        return rows.assign(where=pd.Series(dtype=str))
    grouped = rows.groupby(["period", "kind", "value"], sort=False)
    where = grouped.apply(lambda g: "; ".join(dict.fromkeys(f"{s}, {loc}" for s, loc in
                                                              zip(g["source"], g["source_location"], strict=True))),
                          include_groups=False).rename("where")
    return grouped.first().join(where).reset_index()


def targets_figure(obs: pd.DataFrame, *, title: str | None = None, source: str | None = None,
                   demo: bool = False) -> go.Figure:
    """Two panels (arbete, studier): published shares per period and kön as bars, targets as red marks."""
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.05,
                        subplot_titles=["Andel av avslutade till arbete", "Andel av avslutade till studier"])
    for col, goal in enumerate(("arbete", "studier"), start=1):
        frame = targets_frame(obs, goal)
        order = list(dict.fromkeys(frame["period"]))
        labels = {p: short_period(p) for p in order}
        outcomes = frame[frame["kind"] == "utfall"]
        for gender in GENDERS:
            part = outcomes[outcomes["gender"] == gender]
            # The number stands inside the bar at its foot, so that no target label above can cover it.
            fig.add_trace(go.Bar(
                x=[labels[p] for p in part["period"]], y=part["value"], name=gender.capitalize(),
                marker_color=KÖN_COLOURS[gender], offsetgroup=gender, legendgroup=gender,
                showlegend=col == 2 and not part.empty,
                text=[format_value(v, "procent", qualifier=q)
                      for v, q in zip(part["value"], _words(part), strict=True)], textangle=-90,
                textposition=["inside" if v >= INSIDE_FROM else "outside" for v in part["value"]],
                insidetextanchor="start", insidetextfont={"color": "white", "size": 12},
                outsidetextfont={"color": "#333", "size": 12}, cliponaxis=False,
                hovertemplate="%{x}: %{text}<extra>" + gender + "</extra>",
            ), row=1, col=col)
        targets = unique_targets(frame[frame["kind"].isin(TARGET_KINDS)])
        for kind, (symbol, short, _) in TARGET_MARKS.items():
            part = targets[targets["kind"] == kind]
            fig.add_trace(go.Scatter(
                x=[labels[p] for p in part["period"]], y=part["value"], mode="markers",
                marker={"symbol": symbol, "size": 14, "color": TARGET_COLOUR, "line": {"color": "white", "width": 1}},
                text=[f"{short} {format_value(v, 'procent', qualifier=q)} ({where})" for v, q, where in
                      zip(part["value"], _words(part), part["where"], strict=True)], cliponaxis=False,
                name=KIND_LABELS[kind], legendgroup=kind, showlegend=col == 2 and not part.empty,
                hovertemplate="%{x}: %{text}<extra></extra>",
            ), row=1, col=col)
        for period, part in targets.groupby("period", sort=False):
            placed: list[float] = []
            for row in part.sort_values("value", ascending=False).itertuples():
                # A second target of the same period close to the first is labelled below its mark.
                below = any(abs(row.value - other) < LABEL_GAP for other in placed)
                placed.append(row.value)
                text = f"{TARGET_MARKS[row.kind][1]} {format_value(row.value, 'procent')}"
                fig.add_annotation(  # x as the category's index: a category name here upsets plotly.js' axes
                    x=order.index(period), y=row.value, text=text,
                    showarrow=False, yshift=-16 if below else 16, font={"color": TARGET_COLOUR, "size": 12},
                    bgcolor="rgba(255,255,255,0.9)", bordercolor=TARGET_COLOUR, borderwidth=1, borderpad=2,
                    row=1, col=col)
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=[labels[p] for p in order],
                         row=1, col=col)
    fig.update_yaxes(range=[0, 75], ticksuffix=" %", title_text=None)
    fig.update_layout(barmode="group", uniformtext={"minsize": 11, "mode": "show"})
    apply_style(fig, title=title, source=source, demo=demo, height=480)
    return fig.update_layout(legend={"orientation": "h", "y": -0.12, "x": 0}, margin={"r": 40})
