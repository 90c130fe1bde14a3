"""Sequence diagrams of a :class:`~wsitest_steps.conversation.Conversation`: Mermaid text and SVG.

Mermaid is what GitHub, GitLab and most wikis render from a ```` ```mermaid ```` block. The SVG is
drawn with `drawsvg <https://pypi.org/project/drawsvg/>`_ (which escapes every text), so an HTML
report can hold it inline and needs no script and no network to show it.
"""

from __future__ import annotations

from typing import Any

import drawsvg

from ..reporting.conversation import Arrow, Conversation, Gap, StepMark

# -- Mermaid ------------------------------------------------------------------------------

_MERMAID_ARROWS = {
    "connect": "->>",
    "sent": "->>",
    "request": "->>",
    "close": "-)",
    "used": "->>",
    "answered": "->>",
    "response": "-->>",
    "unused": "-->>",
    "ignored": "-->>",
    "control": "--)",
    "failed": "-x",
}
_MERMAID_ESCAPES = {"#": "#35;", ";": "#59;", "<": "#lt;", ">": "#gt;", '"': "#quot;", "%": "#37;", "\n": " "}


def _mermaid_text(text: str) -> str:
    return "".join(_MERMAID_ESCAPES.get(char, char) for char in text)


def mermaid(conversation: Conversation) -> str:
    """The conversation as a Mermaid ``sequenceDiagram``; failed steps are shaded red."""
    ids = {name: f"P{i}" for i, name in enumerate(conversation.lifelines)}
    lines = ["sequenceDiagram"]
    for name, ident in ids.items():
        lines.append(f"    participant {ident} as {_mermaid_text(name)}")
    span = f"{ids[conversation.lifelines[0]]},{ids[conversation.lifelines[-1]]}" if len(ids) > 1 else next(iter(ids.values()), "")
    for item in conversation.items:
        when = f"+{item.at - conversation.origin:.3f}s"
        if isinstance(item, StepMark):
            if not span:
                continue
            text = _mermaid_text(f"{item.step.text} ({item.outcome()})")
            if item.failed:
                error = item.step.error.strip()
                reason = _mermaid_text(error.splitlines()[0][:120]) if error else ""
                lines += [
                    "    rect rgb(255, 220, 220)",
                    f"    Note over {span}: ✗ {text}" + (f" — {reason}" if reason else ""),
                    "    end",
                ]
            else:
                lines.append(f"    Note over {span}: {text}")
        elif isinstance(item, Gap):
            if span:
                lines.append(f"    Note over {span}: … {item.count} messages not shown …")
        else:
            arrow = _MERMAID_ARROWS.get(item.kind, "->>")
            lines.append(f"    {ids[item.source]}{arrow}{ids[item.target]}: {_mermaid_text(item.label)} ({when})")
    return "\n".join(lines) + "\n"


# -- SVG ----------------------------------------------------------------------------------

LANE = 230
# The width a diagram fills when its lifelines are few (a report page's usual width).
WIDTH = 1100
LEFT = 70
TOP = 20
HEAD = 30
ROW = 24
MARK_ROW = 22
FONT = 11
STYLES = {
    # kind: (colour, dash pattern, width)
    "connect": ("#57606a", "", 1.5),
    "sent": ("#0969da", "", 1.5),
    "request": ("#8250df", "", 1.5),
    "response": ("#8250df", "4,3", 1.5),
    "used": ("#1a7f37", "", 1.5),
    "answered": ("#1a7f37", "2,2", 1.5),
    "unused": ("#8c959f", "5,3", 1.5),
    "ignored": ("#afb8c1", "1,3", 1.5),
    "control": ("#bf8700", "1,2", 1.2),
    "close": ("#9a6700", "", 1.5),
    "failed": ("#cf222e", "", 2.5),
}
MARK_COLOURS = {
    "passed": "#dafbe1",
    "failed": "#ffebe9",
    "error": "#ffebe9",
    "skipped": "#f6f8fa",
    "untested": "#f6f8fa",
    "undefined": "#fff8c5",
}


def svg(conversation: Conversation) -> str:
    """The conversation as one ``<svg>`` element: lifelines, arrows in time order, steps as bands.

    Every arrow is a ``<g class="arrow">`` with ``data-kind``, ``data-from`` and ``data-to`` and a
    ``<title>`` holding the full text; failed steps are red bands carrying the error's first line.
    """
    # Lanes share a page's width: with two or three lifelines each is wide, and labels have room.
    lane = max(LANE, (WIDTH - LEFT) // max(1, len(conversation.lifelines)))
    lanes = {name: LEFT + lane // 2 + i * lane for i, name in enumerate(conversation.lifelines)}
    width = LEFT + max(1, len(lanes)) * lane
    body_height = sum(MARK_ROW if isinstance(item, StepMark) else ROW for item in conversation.items)
    height = TOP + HEAD + 10 + body_height + 20
    drawing = drawsvg.Drawing(width, height, font_family="ui-monospace, SFMono-Regular, Menlo, monospace", font_size=FONT)
    drawing.append(drawsvg.Rectangle(0, 0, width, height, fill="white"))
    markers = {kind: _arrowhead(colour) for kind, (colour, _, _) in STYLES.items()}

    for name, x in lanes.items():
        drawing.append(
            drawsvg.Line(
                x, TOP + HEAD, x, height - 10, stroke="#d0d7de", stroke_width=1, stroke_dasharray="3,3", class_="lifeline"
            )
        )
        box = drawsvg.Group(class_="lifeline-head")
        box.append(drawsvg.Rectangle(x - lane // 2 + 10, TOP, lane - 20, HEAD, rx=4, fill="#f6f8fa", stroke="#57606a"))
        box.append(drawsvg.Text(_fit(name, lane - 30), FONT + 1, x, TOP + HEAD / 2 + 4, text_anchor="middle", font_weight="bold"))
        drawing.append(box)

    y = TOP + HEAD + 10
    for item in conversation.items:
        if isinstance(item, StepMark):
            fill = MARK_COLOURS.get(item.step.status, "#f6f8fa")
            band = drawsvg.Group(class_=f"step {item.step.status}")
            band.append(drawsvg.Rectangle(4, y + 2, width - 8, MARK_ROW - 4, fill=fill, rx=3))
            failed = item.failed
            label = ("✗ " if failed else "") + item.step.text
            if failed:
                label += f" — {item.outcome()}"
            if failed and item.step.error.strip():
                label += " — " + item.step.error.strip().splitlines()[0]
            band.append(
                drawsvg.Text(_fit(label, width - 20), FONT, 10, y + MARK_ROW / 2 + 4, fill="#cf222e" if failed else "#24292f")
            )
            band.append(
                drawsvg.Title(f"{item.step.text} ({item.outcome()})" + (f"\n{item.step.error}" if item.step.error else ""))
            )
            drawing.append(band)
            y += MARK_ROW
            continue
        if isinstance(item, Gap):
            drawing.append(
                drawsvg.Text(
                    f"… {item.count} messages not shown …", FONT, width / 2, y + ROW / 2 + 4, text_anchor="middle", fill="#57606a"
                )
            )
            y += ROW
            continue
        drawing.append(_arrow(item, lanes, lane, y, markers, conversation.origin))
        y += ROW
    rendered: str = drawing.as_svg(header="", randomize_ids=True)
    return rendered


def _arrow(item: Arrow, lanes: dict[str, int], lane: int, y: float, markers: dict[str, Any], origin: float) -> Any:
    colour, dash, stroke = STYLES.get(item.kind, STYLES["sent"])
    group = drawsvg.Group(class_=f"arrow {item.kind}", data_kind=item.kind, data_from=item.source, data_to=item.target)
    group.append(drawsvg.Title(item.detail or item.label))
    group.append(drawsvg.Text(f"+{item.at - origin:.3f}s", FONT - 2, 6, y + ROW - 5, fill="#57606a"))
    x1, x2 = lanes[item.source], lanes[item.target]
    line_y = y + ROW - 6
    if x1 == x2:  # a note on one lifeline: a short loop
        group.append(
            drawsvg.Lines(
                x1,
                line_y - 6,
                x1 + 30,
                line_y - 6,
                x1 + 30,
                line_y,
                x1 + 2,
                line_y,
                fill="none",
                stroke=colour,
                stroke_width=stroke,
                marker_end=markers[item.kind],
            )
        )
        group.append(drawsvg.Text(_fit(item.label, lane), FONT, x1 + 36, line_y - 2, fill=colour))
        return group
    direction = 1 if x2 > x1 else -1
    line = drawsvg.Line(
        x1, line_y, x2 - direction * 2, line_y, stroke=colour, stroke_width=stroke, marker_end=markers[item.kind], class_="shaft"
    )
    if dash:
        line.args["stroke-dasharray"] = dash
    group.append(line)
    group.append(
        drawsvg.Text(_fit(item.label, abs(x2 - x1) - 10), FONT, (x1 + x2) / 2, line_y - 5, text_anchor="middle", fill="#24292f")
    )
    return group


def _arrowhead(colour: str) -> Any:
    marker = drawsvg.Marker(-0.1, -0.5, 0.9, 0.5, scale=6, orient="auto")
    marker.append(drawsvg.Lines(-0.1, -0.5, -0.1, 0.5, 0.9, 0, fill=colour, close=True))
    return marker


def _fit(text: str, pixels: float) -> str:
    """``text`` cut to about what fits in ``pixels`` of monospace at the report's font size."""
    limit = max(4, int(pixels / (FONT * 0.62)))
    return text if len(text) <= limit else text[: limit - 1] + "…"
