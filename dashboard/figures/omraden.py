"""Follow-up per area from suppressed individual-level counts: step tables, step charts and area tables.

Pure: suppressed frames in (hidden counts <NA>, their marks in `<count>_visning`), tables and figures out.
A hidden count never gets a bar of its real size: no bar is drawn, only its mark ("<5" or ".."). A share is
computed only from two visible counts; otherwise it says "dold" (or "uppgift saknas" for a base of 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.core.labels import GENDERS
from dashboard.core.numbers import MISSING, format_value
from dashboard.core.suppression import DISPLAY_SUFFIX
from dashboard.figures.style import KÖN_COLOURS, MISSING_COLOUR, apply_style

HIDDEN_SHARE = "dold"


@dataclass(frozen=True)
class Step:
    key: str  # count column of the suppressed frame
    label: str
    base: str | None = None  # the count the share is taken of


PROGRAMS: dict[str, tuple[Step, ...]] = {
    "kaa": (
        Step("omfattade", "Omfattade (i KAA-registret)"),
        Step("uppsokta", "Uppsökta", "omfattade"),
        Step("nadda", "Nådda", "uppsokta"),
        Step("inskrivna", "Inskrivna (tagit del av stöd)", "nadda"),
        Step("avslutade", "Avslutade", "inskrivna"),
        Step("arbete", "Till arbete", "avslutade"),
        Step("studier", "Till studier", "avslutade"),
        Step("annat", "Annat", "avslutade"),
    ),
    "jobbtorg": (
        Step("inskrivna", "Inskrivna under året"),
        Step("startade", "Började under året", "inskrivna"),
        Step("avslutade", "Avslutade (avslut)", "inskrivna"),
        Step("arbete", "Avslut till arbete", "avslutade"),
        Step("studier", "Avslut till studier", "avslutade"),
        Step("annat", "Avslut till annat", "avslutade"),
    ),
    "stockholmsjobb": (
        Step("aspiranter", "Anställda under året"),
        Step("startade", "Började under året", "aspiranter"),
        Step("avslutade", "Slutade under året", "aspiranter"),
        Step("uppfoljda", "Följda upp efter 3 månader", "avslutade"),
        Step("arbete", "I arbete efter 3 månader", "uppfoljda"),
        Step("studier", "I studier efter 3 månader", "uppfoljda"),
        Step("annat", "Annat efter 3 månader", "uppfoljda"),
    ),
}
# The shares in the table of all areas: (column title, count, base).
AREA_SHARES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "kaa": (("Andel nådda av uppsökta", "nadda", "uppsokta"),
            ("Andel till arbete av avslutade", "arbete", "avslutade"),
            ("Andel till studier av avslutade", "studier", "avslutade")),
    "jobbtorg": (("Andel av avsluten till arbete", "arbete", "avslutade"),
                 ("Andel av avsluten till studier", "studier", "avslutade")),
    "stockholmsjobb": (("Andel i arbete efter 3 mån. av uppföljda", "arbete", "uppfoljda"),
                       ("Andel i studier efter 3 mån. av uppföljda", "studier", "uppfoljda")),
}


def _visible(value: object) -> bool:
    return value is not None and value is not pd.NA and not (isinstance(value, float) and math.isnan(value))


def share(count: object, base: object) -> float:
    """count / base in per cent, from visible counts only; NaN when either is hidden or the base is 0."""
    if not (_visible(count) and _visible(base)) or int(base) == 0:
        return math.nan
    return 100 * int(count) / int(base)


def share_text(count: object, base: object) -> str:
    """'54,5 %'; 'dold' when a count behind it is hidden; 'uppgift saknas' for a base of 0."""
    if not (_visible(count) and _visible(base)):
        return HIDDEN_SHARE
    return MISSING if int(base) == 0 else format_value(share(count, base), "procent", 1)


def step_table(frame: pd.DataFrame, program: str, genders: tuple[str, ...]) -> pd.DataFrame:
    """One area's suppressed rows → one row per kön and step: the count (<NA> if hidden), its text as shown,
    whether it is hidden, and the share of the base step (text)."""
    rows = []
    for gender in genders:
        part = frame[frame["gender"] == gender]
        if part.empty:
            continue
        row = part.iloc[0]
        for step in PROGRAMS[program]:
            value = row[step.key]
            rows.append({
                "gender": gender, "step": step.key, "label": step.label,
                "count": value if _visible(value) else pd.NA,
                "shown": row[step.key + DISPLAY_SUFFIX], "hidden": not _visible(value),
                "base_label": next((s.label.lower() for s in PROGRAMS[program] if s.key == step.base), ""),
                "share": share_text(value, row[step.base]) if step.base else "",
            })
    out = pd.DataFrame(rows, columns=["gender", "step", "label", "count", "shown", "hidden", "base_label", "share"])
    out["count"] = out["count"].astype("Int64")
    return out


def _bar_text(row: pd.Series) -> str:
    return f"{row['shown']} · {row['share']}" if row["share"] else str(row["shown"])


def steps_figure(table: pd.DataFrame, program: str, series: tuple[str, ...], *, title: str | None = None,
                 demo: bool = False) -> go.Figure:
    """Horizontal bars, one per step and kön in `series`. A hidden count draws no bar: its mark ("<5" or
    "..") stands at zero instead. After each count: the share of the base step (or "dold")."""
    steps = PROGRAMS[program]
    positions = {s.key: i for i, s in enumerate(steps)}
    width = 0.8 / len(series)
    top = table["count"].max()
    top = 1.0 if not _visible(top) or top == 0 else float(top)
    fig = go.Figure()
    for k, gender in enumerate(series):
        part = table[table["gender"] == gender]
        offset = (k - (len(series) - 1) / 2) * width
        drawn = part[~part["hidden"]]
        hidden = part[part["hidden"]]
        fig.add_trace(go.Bar(
            x=[float(v) for v in drawn["count"]], y=[positions[s] + offset for s in drawn["step"]],
            orientation="h",
            width=width * 0.9, marker_color=KÖN_COLOURS[gender], name=GENDERS[gender], legendgroup=gender,
            showlegend=len(series) > 1, text=[_bar_text(r) for _, r in drawn.iterrows()], textposition="outside",
            cliponaxis=False, hovertemplate="%{text}<extra>" + GENDERS[gender] + "</extra>",
        ))
        fig.add_trace(go.Scatter(
            x=[0] * len(hidden), y=[positions[s] + offset for s in hidden["step"]], mode="text",
            text=[_bar_text(r) for _, r in hidden.iterrows()], textposition="middle right",
            textfont={"color": "#555", "size": 13}, showlegend=False, hoverinfo="skip", cliponaxis=False,
            name=f"dolda ({GENDERS[gender].lower()})",
        ))
    fig.update_xaxes(range=[0, top * 1.5], showticklabels=False, showgrid=False, zeroline=True,
                     zerolinecolor=MISSING_COLOUR)
    fig.update_yaxes(tickvals=list(positions.values()), ticktext=[s.label for s in steps], autorange="reversed",
                     showgrid=False)
    fig.update_layout(bargap=0.1, uniformtext={"minsize": 11, "mode": "show"})
    height = 150 + 42 * len(steps) * len(series) ** 0.6
    return apply_style(fig, title=title, demo=demo, height=int(height))


def area_table(frame: pd.DataFrame, program: str, area_label: str) -> pd.DataFrame:
    """Every area's row (one kön) as shown: counts with their marks, shares from visible counts only."""
    out = pd.DataFrame({area_label: frame["area"].to_numpy()})
    if frame["gender"].nunique() > 1:
        out["Kön"] = [GENDERS[g] for g in frame["gender"]]
    for step in PROGRAMS[program]:
        out[step.label] = frame[step.key + DISPLAY_SUFFIX].to_numpy()
    for title, count, base in AREA_SHARES[program]:
        out[title] = [share_text(c, b) for c, b in zip(frame[count], frame[base], strict=True)]
    return out


def gap_table(frame: pd.DataFrame, program: str, area_label: str) -> pd.DataFrame:
    """Kvinnor − män in procentenheter for each area and share, only where both shares come from visible
    counts; other pairs are left out. Columns: area, Andel, Kvinnor, Män, Skillnad."""
    rows = []
    for area, part in frame[frame["gender"].isin(["kvinnor", "män"])].groupby("area", sort=False):
        by = part.set_index("gender")
        if not {"kvinnor", "män"} <= set(by.index):
            continue
        for title, count, base in AREA_SHARES[program]:
            women = share(by.at["kvinnor", count], by.at["kvinnor", base])
            men = share(by.at["män", count], by.at["män", base])
            if math.isnan(women) or math.isnan(men):
                continue
            rows.append({area_label: area, "Andel": title, "Kvinnor": format_value(women, "procent", 1),
                         "Män": format_value(men, "procent", 1),
                         "Skillnad kvinnor − män": format_value(women - men, "procentenheter", 1)})
    return pd.DataFrame(rows, columns=[area_label, "Andel", "Kvinnor", "Män", "Skillnad kvinnor − män"])
