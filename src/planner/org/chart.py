"""The org chart as Graphviz DOT text (``st.graphviz_chart`` draws it in the browser).

A person with reports of their own is a box; the people who have no reports are listed in
their manager's card, one row each, so a team of twelve is one tall card rather than twelve
boxes side by side. Open requisitions are dashed rows (to be hired: dotted); a leader whose
span breaks the rules has a red header saying by how much. A collapsed team's card counts
its people by title instead of naming them. Organisations with more than four team cards
are drawn left to right, so cards stack down the page instead of across it.

Every name, title and team is user text: it is HTML-escaped into Graphviz HTML-like labels
(``<`` becomes ``&lt;``), node ids are positions, never ids from the file, so a name can
neither break the DOT nor become markup in the drawn SVG.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from planner.org.people import ROLE_NAMES
from planner.org.tree import spans, structure
from planner.scenario import OrgSettings

HEADER = "#e8eef7"
BREACH = "#fde2e1"
BREACH_TEXT = "#b42318"
LINE = "#c3c9d2"
OPEN_TEXT = "#5b6b7f"
BR_LEFT = '<BR ALIGN="LEFT"/>'
WIDE = 4  # team cards side by side before the chart turns left to right
COLLAPSE_ABOVE = 120  # people: larger organisations are drawn with their teams collapsed


def teams(people: pd.DataFrame) -> list[str]:
    """The teams whose cards can be collapsed, in the order they appear."""
    return [t for t in dict.fromkeys(people["team"].fillna("").astype(str)) if t]


def left_to_right(people: pd.DataFrame) -> bool:
    """Whether the chart is drawn left to right: more than ``WIDE`` team cards (leaders
    whose reports all have no reports of their own)."""
    tree = structure(people)
    leaf = [not under for under in tree.reports]
    cards = sum(1 for under in tree.reports if under and all(leaf[j] for j in under))
    return cards > WIDE


def chart_dot(
    people: pd.DataFrame, rules: OrgSettings, collapse: Iterable[str] | None = None
) -> str:
    """The org chart of ``people`` as DOT. ``collapse``: teams drawn as counts (every team
    when None and the organisation has more than ``COLLAPSE_ABOVE`` people)."""
    tree = structure(people)
    if collapse is None:
        collapse = teams(people) if len(people) > COLLAPSE_ABOVE else ()
    folded = set(collapse)
    breaches = {row.employee_id: row for row in spans(people, rules).itertuples() if row.breach}
    leaf = [not under for under in tree.reports]
    lines = [
        "digraph org {",
        f"  graph [rankdir={'LR' if left_to_right(people) else 'TB'}, nodesep=0.25, ranksep=0.45, "
        'fontname="Helvetica"];',
        '  node [shape=plain, fontname="Helvetica", fontsize=11];',
        '  edge [color="#8a8f98", arrowhead=none];',
    ]
    people = _Columns(people)
    first = {}
    for i, person in enumerate(tree.ids):
        first.setdefault(person, i)
    for i in range(len(tree.ids)):
        boss = tree.manager[i]
        if leaf[i] and boss >= 0:
            continue  # a row in the manager's card
        under = tree.reports[i]
        rows = [j for j in under if leaf[j]]
        branches = [j for j in under if not leaf[j]]
        breach = breaches.get(tree.ids[i]) if first[tree.ids[i]] == i else None
        if under and not branches:
            label = _card(people, i, rows, breach, people.team[i] in folded)
            lines.append(f"  n{i} [label=<{label}>];")
        else:
            lines.append(f"  n{i} [label=<{_card(people, i, [], breach, False)}>];")
            if rows:
                folded_rows = people.team[i] in folded
                lines.append(f"  n{i}r [label=<{_card(people, None, rows, None, folded_rows)}>];")
                lines.append(f"  n{i} -> n{i}r;")
        if boss >= 0:
            lines.append(f"  n{boss} -> n{i};")
    lines.append("}")
    return "\n".join(lines)


def shape_dot(counts: pd.DataFrame, column: str, title: str) -> str:
    """The shape of an organisation by role (``counts``: role, name and ``column``):
    director -> managers -> team leads -> agents, support roles beside the director."""
    value = dict(zip(counts["role"], counts[column], strict=True))

    def box(role: str) -> str:
        number = value.get(role, 0)
        text = f"{_escape(ROLE_NAMES[role])}<BR/><B>{number:,.0f}</B>"
        return (
            f'<<TABLE BORDER="1" COLOR="{LINE}" CELLPADDING="6"><TR><TD>{text}</TD></TR></TABLE>>'
        )

    support = "<BR/>".join(
        f"{_escape(ROLE_NAMES[r])}: {value.get(r, 0):,.0f}"
        for r in ("qa", "trainer", "wfm", "knowledge")
    )
    return "\n".join(
        [
            "digraph shape {",
            f'  graph [rankdir=TB, label="{_escape(title)}", labelloc=t, fontname="Helvetica",'
            " fontsize=13];",
            '  node [shape=plain, fontname="Helvetica", fontsize=11];',
            '  edge [color="#8a8f98", arrowhead=none];',
            *(
                f"  {role} [label={box(role)}];"
                for role in ("director", "manager", "lead", "agent")
            ),
            f'  support [label=<<TABLE BORDER="1" COLOR="{LINE}" STYLE="rounded" CELLPADDING="6">'
            f"<TR><TD>{support}</TD></TR></TABLE>>];",
            "  director -> manager; manager -> lead; lead -> agent;",
            "  director -> support [style=dashed];",
            "}",
        ]
    )


def _card(people: _Columns, head: int | None, rows: list[int], breach, collapsed: bool) -> str:
    cells = []
    if head is not None:
        cells.append(_header(people, head, breach))
    if collapsed:
        cells.extend(_counted(people, rows))
    else:
        cells.extend(_row(people, j) for j in rows)
    body = "".join(f"<TR>{cell}</TR>" for cell in cells)
    return (
        f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2" CELLPADDING="4" COLOR="{LINE}">'
        f"{body}</TABLE>"
    )


def _header(people: _Columns, i: int, breach) -> str:
    status = people.status[i]
    name = people.name[i] or ("Open requisition" if status != "filled" else "(no name)")
    lines = [f"<B>{_escape(name)}</B>", _escape(people.title[i])]
    if people.team[i]:
        lines.append(f'<FONT POINT-SIZE="9">{_escape(people.team[i])}</FONT>')
    colour = HEADER
    if breach is not None:
        colour = BREACH
        limit = breach.maximum if breach.breach == "above" else breach.minimum
        lines.append(
            f'<FONT COLOR="{BREACH_TEXT}">Span {breach.counted}: {breach.breach} the '
            f"{'maximum' if breach.breach == 'above' else 'minimum'} {limit:g}</FONT>"
        )
    style = _style(status)
    return f'<TD BGCOLOR="{colour}" ALIGN="LEFT"{style}>{BR_LEFT.join(lines)}{BR_LEFT}</TD>'


def _row(people: _Columns, j: int) -> str:
    status = people.status[j]
    title = _escape(people.title[j])
    if status == "filled":
        text = f"{_escape(people.name[j] or '(no name)')} · {title}"
        return f'<TD ALIGN="LEFT">{text}</TD>'
    start = people.start_date[j]
    when = f" · from {start:%b %Y}" if start is not None else ""
    text = f'<FONT COLOR="{OPEN_TEXT}"><I>{_escape(status.capitalize())}: {title}{when}</I></FONT>'
    return f'<TD ALIGN="LEFT"{_style(status)}>{text}</TD>'


def _counted(people: _Columns, rows: list[int]) -> list[str]:
    """A collapsed team: one cell counting the people by title, one counting open roles."""
    filled = Counter(people.title[j] for j in rows if people.status[j] == "filled")
    waiting = Counter(people.title[j] for j in rows if people.status[j] != "filled")
    cells = []
    if filled:
        text = BR_LEFT.join(f"{n} × {_escape(t)}" for t, n in filled.items())
        cells.append(f'<TD ALIGN="LEFT">{text}{BR_LEFT}</TD>')
    if waiting:
        text = BR_LEFT.join(f"{n} open: {_escape(t)}" for t, n in waiting.items())
        cells.append(
            f'<TD ALIGN="LEFT" STYLE="dashed"><FONT COLOR="{OPEN_TEXT}"><I>{text}{BR_LEFT}'
            "</I></FONT></TD>"
        )
    return cells


class _Columns:
    """The columns a chart label reads, as lists: a label reads thousands of cells, and a
    list is read a hundred times faster than a DataFrame cell."""

    def __init__(self, people: pd.DataFrame):
        for column in ("status", "name", "title", "team", "start_date"):
            setattr(self, column, people[column].tolist())


def _style(status: str) -> str:
    return {"open requisition": ' STYLE="dashed"', "to be hired": ' STYLE="dotted"'}.get(status, "")


def _escape(text: str) -> str:
    """User text for an HTML-like label: markup characters as entities, on one line."""
    return html.escape(" ".join(str(text).split()), quote=True)
