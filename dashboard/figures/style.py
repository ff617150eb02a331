"""The house style of every chart: Swedish numbers, local fonts, colour-blind-safe palettes."""

from __future__ import annotations

import plotly.graph_objects as go

# Plotly's separators: decimal mark, then thousands mark ("54,5", "7 154").
SEPARATORS = ",\u00a0"
FONT = "DejaVu Sans, Arial, sans-serif"  # fonts on the machine only; nothing fetched
SEQUENTIAL = "Blues"  # single hue: colour-blind-safe
DIVERGING = "PuOr"  # colour-blind-safe; kvinnor − män around zero
MISSING_COLOUR = "#bdbdbd"  # darker than the middle of every scale (PuOr: #f7f7f7)
KÖN_COLOURS = {"kvinnor": "#8e44ad", "män": "#e67e22", "totalt": "#2c3e50"}
TARGET_COLOUR = "#c0392b"
DEMO_LABEL = "Demodata – inte verkliga siffror"


def apply_style(fig: go.Figure, *, title: str | None = None, source: str | None = None,
                demo: bool = False, height: int | None = None, template: str = "plotly_white") -> go.Figure:
    """Fonts, separators, margins; the source under the chart; a demo watermark when `demo`. `template`: a map
    passes "none" (it needs no axis defaults, and setting Plotly's templates costs 20–90 ms)."""
    fig.update_layout(
        separators=SEPARATORS, font={"family": FONT, "size": 14}, template=template,
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 70 if source else 20},
        title={"text": title, "x": 0, "xanchor": "left"} if title else None,
    )
    if source:  # legend above the plot, the source below it: they never overlap
        fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    # "10 000", not Plotly's English "10k"
    fig.update_xaxes(separatethousands=True, exponentformat="none")
    fig.update_yaxes(separatethousands=True, exponentformat="none")
    if height:
        fig.update_layout(height=height)
    if source:
        fig.add_annotation(text=f"Källa: {source}", xref="paper", yref="paper", x=0, y=-0.02, yanchor="top",
                           xanchor="left", showarrow=False, font={"size": 11, "color": "#555"}, align="left",
                           yshift=-40)
    if demo:
        fig.add_annotation(text=DEMO_LABEL, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                           font={"size": 28, "color": "rgba(192,57,43,0.35)"}, textangle=-20)
        fig.update_layout(title={"text": f"{title} – {DEMO_LABEL}" if title else DEMO_LABEL})
    return fig
