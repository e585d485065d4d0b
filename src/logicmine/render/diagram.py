"""Layered diagrams drawn as inline SVG, in Python, without a browser library or graphviz.

The layout is the classic Sugiyama shape kept small: break cycles by reversing DFS back edges,
give each node its longest-path layer, wrap a layer that is too wide onto several rows, route
long edges through dummy slots, order each row by the barycentre of its neighbours (a few
sweeps down and up), then place rows centred. Every node is a link with a <title>; colours and
line styles come from classes in style.css, so the markup passes the site's CSP.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

CHAR_W = 7.2  # 12px monospace advance
NODE_H = 30
PAD_X = 12
GAP_X = 18
ROW_GAP = 46
DUMMY_W = 4
DUMMY_GAP = 6
MARGIN = 16
MAX_LABEL = 30
MAX_ROW_W = 1100
MAX_NODES = 400  # beyond this a drawing helps nobody; the page's tables remain
SWEEPS = 6


@dataclass(frozen=True, slots=True)
class DNode:
    """A node to draw: id, visible label, kind (CSS class n-<kind>), link and accessible name."""

    id: str
    label: str
    kind: str
    href: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class DEdge:
    """A directed edge; kind becomes the CSS class e-<kind>."""

    src: str
    dst: str
    kind: str


@dataclass(frozen=True, slots=True)
class Diagram:
    """A drawn diagram: the SVG markup and what its legend should explain."""

    svg: Markup
    nodes: int
    edges: int
    node_kinds: tuple[str, ...]
    edge_kinds: tuple[str, ...]
    width: int
    height: int
    shared: bool = False  # some boxes are shared helpers whose incoming arrows were left out


@dataclass(slots=True)
class _Slot:
    """A node or dummy in the layout."""

    id: str
    width: float
    row: int = 0
    x: float = 0.0
    dummy: bool = False


def draw(
    ident: str,
    title: str,
    nodes: list[DNode],
    edges: list[DEdge],
    bottom: frozenset[str] = frozenset(),
) -> Diagram | None:
    """Lay out and draw a diagram; None when it has no nodes or too many to be readable.

    Nodes in `bottom` go to a last row of their own (shared helpers whose arrows were left out).
    """
    unique = list({n.id: n for n in nodes}.values())
    if not unique or len(unique) > MAX_NODES:
        return None
    memo = _MEMO
    key = memo.key(ident, title, unique, edges, bottom) if memo is not None else ""
    if memo is not None and (known := memo.get(key)) is not None:
        return known
    drawn = _draw(ident, title, unique, edges, bottom)
    if memo is not None:
        memo.put(key, drawn)
    return drawn


class DiagramMemo:
    """Diagrams of earlier builds, by a digest of everything a drawing depends on.

    Laying out is the costly part of drawing; a page whose diagram is unchanged gets the stored
    one. Each process (a forked page worker included) reads and writes the state through a
    connection of its own, and writes as it goes: drawings are large, and holding them all
    until the end of the render would hold the whole site's SVG in memory. An entry is
    content-addressed, so one written by a run killed later is only ever unused.
    """

    NAMESPACE = "diagram"
    BATCH = 32

    def __init__(self, state) -> None:
        from logicmine.state import OwnMemo, code_key

        self.store, self.code = OwnMemo(state, self.NAMESPACE), code_key()
        self.fresh: dict[str, Diagram] = {}
        self.used: list[str] = []

    def key(self, ident, title, nodes, edges, bottom) -> str:
        text = repr((self.code, ident, title, nodes, edges, sorted(bottom)))
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> Diagram | None:
        found = self.store.recall([key], mark=False).get(key)
        if found is not None:
            self.used.append(key)
        return found

    def put(self, key: str, diagram: Diagram) -> None:
        self.fresh[key] = diagram
        if len(self.fresh) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Store the new drawings and mark the reused ones (one transaction)."""
        self.store.write(self.fresh, self.used)
        self.fresh, self.used = {}, []

    def close(self) -> None:
        self.flush()
        self.store.close()


_MEMO: DiagramMemo | None = None
_LAYOUTS: dict[tuple, tuple] = {}  # layouts drawn in this process, by their shape (read only)


@contextmanager
def diagram_memo(state):
    """Draw with the diagrams of earlier builds at hand (nothing is kept without a state)."""
    global _MEMO
    if state is None:
        yield
        return
    outer, _MEMO = _MEMO, DiagramMemo(state)
    memo = _MEMO
    try:
        yield
        memo.close()
    finally:
        _MEMO = outer


def _draw(ident: str, title: str, unique: list[DNode], edges: list[DEdge],
          bottom: frozenset[str]) -> Diagram:
    known = {n.id for n in unique}
    pairs = _dedupe([e for e in edges if e.src in known and e.dst in known])
    shape = (tuple((n.id, node_width(n)) for n in unique), tuple((e.src, e.dst) for e in pairs),
             tuple(sorted(bottom)))
    laid = _LAYOUTS.get(shape)  # processes that share their flow share its layout
    if laid is None:
        laid = _LAYOUTS[shape] = _layout(unique, pairs, bottom)
        if len(_LAYOUTS) > 64:
            _LAYOUTS.pop(next(iter(_LAYOUTS)))
    slots, chains, rows = laid
    width = max((s.x + s.width for s in slots.values()), default=0) + MARGIN
    height = len(rows) * (NODE_H + ROW_GAP) - ROW_GAP + 2 * MARGIN
    svg = _svg(ident, title, unique, pairs, slots, chains, width, height)
    return Diagram(
        svg=svg,
        nodes=len(unique),
        edges=len(pairs),
        node_kinds=tuple(sorted({n.kind.split()[0] for n in unique})),
        edge_kinds=tuple(sorted({e.kind for e in pairs})),
        width=int(width),
        height=int(height),
        shared=any("n-shared" in n.kind.split() for n in unique),
    )


def _dedupe(edges: list[DEdge]) -> list[DEdge]:
    """One edge per (src, dst): the first kind seen wins, in the caller's order."""
    seen: dict[tuple[str, str], DEdge] = {}
    for edge in edges:
        seen.setdefault((edge.src, edge.dst), edge)
    return list(seen.values())


def label_of(node: DNode) -> str:
    """The visible label, shortened with an ellipsis."""
    text = node.label
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def node_width(node: DNode) -> float:
    """Box width that fits the label."""
    return round(len(label_of(node)) * CHAR_W + 2 * PAD_X, 1)


# ---------------------------------------------------------------- layout


def _layout(nodes: list[DNode], edges: list[DEdge], bottom: frozenset[str]):
    """Slots by id (with dummies), each edge's chain of slot ids, and rows in order."""
    order = [n.id for n in nodes]
    forward = _acyclic(order, edges)
    layer = _layers(order, forward)
    pinned = [n for n in order if n in bottom]
    if pinned:
        last = max((layer[n] for n in order if n not in bottom), default=-1) + 1
        for node in pinned:
            layer[node] = max(layer[node], last)
    slots = {n.id: _Slot(n.id, node_width(n)) for n in nodes}
    rows = _wrap(order, layer, slots, forward)
    chains = _dummies(edges, forward, slots, rows)
    _order_rows(rows, chains, slots)
    _place(rows, slots, chains)
    return slots, chains, rows


def _acyclic(order: list[str], edges: list[DEdge]) -> list[tuple[str, str]]:
    """Edges oriented so the graph has no cycle: DFS back edges reversed, self-loops dropped."""
    out: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e.src != e.dst:
            out[e.src].append(e.dst)
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    back: set[tuple[str, str]] = set()
    for root in order:
        if root in state:
            continue
        stack = [(root, iter(out[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(out[child])))
    pairs = [(e.src, e.dst) for e in edges if e.src != e.dst]
    return list(dict.fromkeys((d, s) if (s, d) in back else (s, d) for s, d in pairs))


def _layers(order: list[str], forward: list[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layer of every node (sources at 0), in a deterministic topological order."""
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for s, d in forward:
        preds[d].append(s)
        succs[s].append(d)
    waiting = {n: len(preds[n]) for n in order}
    ready = [n for n in order if waiting[n] == 0]
    layer = dict.fromkeys(order, 0)
    while ready:
        node = ready.pop(0)
        for nxt in succs[node]:
            layer[nxt] = max(layer[nxt], layer[node] + 1)
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    for node in order:  # a source sits just above the first thing it leads to, not at the top
        if not preds[node] and succs[node]:
            layer[node] = max(0, min(layer[s] for s in succs[node]) - 1)
    return layer


def _wrap(order, layer, slots, forward) -> list[list[str]]:
    """Rows of node ids: each layer in barycentre order, split where it grows too wide."""
    position = {n: i for i, n in enumerate(order)}
    arrival: dict[str, int] = {}  # first edge into a node: siblings keep the statements' order
    preds: dict[str, list[str]] = defaultdict(list)
    for i, (s, d) in enumerate(forward):
        preds[d].append(s)
        arrival.setdefault(d, i)
    rows: list[list[str]] = []
    for depth in range(max(layer.values(), default=-1) + 1):
        members = [n for n in order if layer[n] == depth]
        members.sort(
            key=lambda n: (
                _mean([position[p] for p in preds[n]], position[n]),
                arrival.get(n, len(forward)),
                position[n],
            )
        )
        for i, n in enumerate(members):
            position[n] = i
        row: list[str] = []
        for node in members:
            if row and _row_width([slots[n] for n in row + [node]]) > MAX_ROW_W:
                rows.append(row)
                row = []
            row.append(node)
        rows.append(row)
    for r, row in enumerate(rows):
        for node in row:
            slots[node].row = r
    return rows


def _dummies(edges, forward, slots, rows) -> dict[tuple[str, str], list[str]]:
    """Slot ids each edge passes through (ends included); dummies fill the rows between."""
    oriented = set(forward)
    chains: dict[tuple[str, str], list[str]] = {}
    for e in edges:
        if e.src == e.dst:
            chains[(e.src, e.dst)] = [e.src]
            continue
        top, bottom = (e.src, e.dst) if (e.src, e.dst) in oriented else (e.dst, e.src)
        chain = [top]
        for r in range(slots[top].row + 1, slots[bottom].row):
            dummy = _Slot(f"\x00{e.src}\x00{e.dst}\x00{r}", DUMMY_W, row=r, dummy=True)
            slots[dummy.id] = dummy
            rows[r].append(dummy.id)
            chain.append(dummy.id)
        chain.append(bottom)
        chains[(e.src, e.dst)] = chain if top == e.src else chain[::-1]
    return chains


def _neighbours(rows, chains, slots) -> tuple[list[str], list[list[int]], list[list[int]]]:
    """Slot ids by number (row by row), and each slot's neighbours above and below by number.

    The sweeps below run on numbers and lists: they are the hot loop of every diagram.
    """
    ids = [n for row in rows for n in row]
    number = {n: i for i, n in enumerate(ids)}
    up: list[list[int]] = [[] for _ in ids]
    down: list[list[int]] = [[] for _ in ids]
    for chain in chains.values():
        for a, b in pairwise(chain):
            high, low = (a, b) if slots[a].row < slots[b].row else (b, a)
            down[number[high]].append(number[low])
            up[number[low]].append(number[high])
    return ids, up, down


def _order_rows(rows, chains, slots) -> None:
    """Barycentric sweeps: order each row by its neighbours in the row above, then below.

    Stops early at a fixed point: a sweep each way that moves nothing.
    """
    ids, up, down = _neighbours(rows, chains, slots)
    number = {n: i for i, n in enumerate(ids)}
    lines = [[number[n] for n in row] for row in rows]
    index = [0] * len(ids)
    for line in lines:
        for i, n in enumerate(line):
            index[n] = i
    still = 0
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        near = up if downward else down
        sequence = range(1, len(lines)) if downward else range(len(lines) - 2, -1, -1)
        moved = False
        for r in sequence:
            line = lines[r]
            keys = {}
            for n in line:
                around = near[n]
                own = index[n]
                keys[n] = (sum([index[m] for m in around]) / len(around) if around
                           else float(own), own)
            line.sort(key=keys.__getitem__)
            for i, n in enumerate(line):
                if index[n] != i:
                    index[n] = i
                    moved = True
        still = 0 if moved else still + 1
        if still >= 2:
            break
    for r, line in enumerate(lines):
        rows[r][:] = [ids[n] for n in line]


def _place(rows, slots, chains) -> None:
    """x of every slot: sweeps pull each slot over its neighbours, within its row's slack.

    A row may slide only as far as the widest row allows, so the drawing is never wider than
    its widest row packed tight. Stops early at a fixed point.
    """
    ids, up, down = _neighbours(rows, chains, slots)
    number = {n: i for i, n in enumerate(ids)}
    lines = [[number[n] for n in row] for row in rows]
    width = [slots[n].width for n in ids]
    half = [w / 2 for w in width]
    dummy = [slots[n].dummy for n in ids]
    gaps = [[DUMMY_GAP if dummy[a] and dummy[b] else GAP_X for a, b in pairwise(line)]
            for line in lines]
    widest = max((sum(width[n] for n in line) + sum(g)
                  for line, g in zip(lines, gaps, strict=True)),
                 default=0.0)
    low = [0.0] * len(ids)
    high = [0.0] * len(ids)
    for line, g in zip(lines, gaps, strict=True):
        slack = widest - (sum(width[n] for n in line) + sum(g))
        x = float(MARGIN)
        for i, n in enumerate(line):
            if i:
                x += g[i - 1]
            low[n], high[n] = x, x + slack
            x += width[n]
    xs = [(low[n] + high[n]) / 2 for n in range(len(ids))]  # start centred
    still = 0
    for sweep in range(SWEEPS):
        near = up if sweep % 2 == 0 else down
        moved = False
        order = range(len(lines)) if sweep % 2 == 0 else range(len(lines) - 1, -1, -1)
        for r in order:
            line, g = lines[r], gaps[r]
            wanted = []
            for n in line:
                around = near[n]
                centre = (sum([xs[m] + half[m] for m in around]) / len(around) if around
                          else xs[n] + half[n])
                wanted.append(min(max(centre - half[n], low[n]), high[n]))
            for i in range(1, len(line)):
                floor = wanted[i - 1] + width[line[i - 1]] + g[i - 1]
                if wanted[i] < floor:
                    wanted[i] = floor
            for i in range(len(line) - 2, -1, -1):
                ceiling = wanted[i + 1] - width[line[i]] - g[i]
                if wanted[i] > ceiling:
                    wanted[i] = ceiling
            for n, x in zip(line, wanted, strict=True):
                if xs[n] != x:
                    xs[n] = x
                    moved = True
        still = 0 if moved else still + 1
        if still >= 2:
            break
    for n, slot_id in enumerate(ids):
        slots[slot_id].x = xs[n]










def _row_width(row: list[_Slot]) -> float:
    return sum(s.width for s in row) + GAP_X * max(0, len(row) - 1)




def _mean(values: list[int], default: int) -> float:
    return sum(values) / len(values) if values else float(default)


# ---------------------------------------------------------------- SVG


def _svg(ident, title, nodes, edges, slots, chains, width, height) -> Markup:
    kinds = sorted({e.kind for e in edges})
    parts = [
        f'<svg class="diagram-svg" id="{escape(ident)}" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="group" aria-labelledby="{escape(ident)}-t">'
        f'<title id="{escape(ident)}-t">{escape(title)}</title><defs>'
    ]
    for kind in kinds:
        parts.append(
            f'<marker id="{escape(ident)}-m-{escape(kind)}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0L10,5L0,10z" class="arrow a-{escape(kind)}"/></marker>'
        )
    parts.append("</defs>")
    for edge in edges:
        parts.append(_edge(ident, edge, chains[(edge.src, edge.dst)], slots))
    for node in nodes:
        parts.append(_node(node, slots[node.id]))
    parts.append("</svg>")
    return Markup("".join(parts))


def _y(slot: _Slot) -> float:
    return MARGIN + slot.row * (NODE_H + ROW_GAP)


def _edge(ident: str, edge: DEdge, chain: list[str], slots) -> str:
    marker = f'marker-end="url(#{escape(ident)}-m-{escape(edge.kind)})"'
    if len(chain) == 1:  # a self-loop: a small arc on the node's right side
        s = slots[chain[0]]
        x, y = s.x + s.width, _y(s)
        d = f"M{x:.0f},{y + 8:.0f}c22,-12 22,26 0,14"
        return f'<path class="edge e-{escape(edge.kind)}" d="{d}" {marker}/>'
    points = []
    for i, sid in enumerate(chain):
        s = slots[sid]
        cx = s.x + s.width / 2
        top, bottom = _y(s), _y(s) + NODE_H
        if s.dummy:
            points.append((cx, top))
            points.append((cx, bottom))
            continue
        going_down = i + 1 < len(chain) and slots[chain[i + 1]].row > s.row
        coming_down = i > 0 and slots[chain[i - 1]].row < s.row
        if i == 0:
            points.append((cx, bottom if going_down else top))
        else:
            points.append((cx, top if coming_down else bottom))
    d = f"M{points[0][0]:.0f},{points[0][1]:.0f}"
    for (x1, y1), (x2, y2) in pairwise(points):
        if x1 == x2 or abs(y2 - y1) < 1:
            d += f"L{x2:.0f},{y2:.0f}"
        else:
            mid = (y1 + y2) / 2
            d += f"C{x1:.0f},{mid:.0f} {x2:.0f},{mid:.0f} {x2:.0f},{y2:.0f}"
    return f'<path class="edge e-{escape(edge.kind)}" d="{d}" {marker}/>'


def _node(node: DNode, slot: _Slot) -> str:
    y = _y(slot)
    name = escape(node.title or node.label)
    body = (
        f"<title>{name}</title>"
        f'<rect x="{slot.x:.0f}" y="{y:.0f}" width="{slot.width:.0f}" height="{NODE_H}" rx="5"/>'
        f'<text x="{slot.x + slot.width / 2:.0f}" y="{y + NODE_H / 2 + 4:.0f}">'
        f"{escape(label_of(node))}</text>"
    )
    cls = f"node n-{escape(node.kind)}"
    if node.href:
        return f'<a class="{cls}" href="{escape(node.href)}">{body}</a>'
    return f'<g class="{cls}">{body}</g>'
