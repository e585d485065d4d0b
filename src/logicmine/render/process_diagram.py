"""The diagram of a business process: how it starts (job steps, a program, a class), its
procedures across programs, how control passes between them (PERFORM, GO TO, CALL, LINK,
XCTL, method calls), what lies outside it, and the data its steps read and write.

In a job, a paragraph reads a DD name; the diagram names the dataset the job assigns to it,
so one step's output visibly becomes the next step's input.
"""

from __future__ import annotations

from logicmine.model import Job, JobStep, Process
from logicmine.processes import job_groups  # the grouping the processes were made by
from logicmine.render.diagram import DEdge, Diagram, DNode
from logicmine.render.diagrams import (
    INBOUND,
    SHARED_MIN_NODES,
    resource_node,
    with_shared_helpers,
)
from logicmine.render.links import Linker, anchor
from logicmine.render.lookup import PROCEDURE_KINDS, PROGRAM_KINDS, Lookup

FLOW = ("performs", "goes_to", "calls", "links", "xctls")
DATA = ("reads", "writes", "sends", "receives", "starts")


def process_steps(look: Lookup, process: Process) -> tuple[Job | None, list[JobStep]]:
    """The job and the steps of it that make up a job-step process (steps sharing datasets)."""
    job_name, _, step_name = process.entry.removeprefix("jcl:").partition(":")
    if not process.entry.startswith("jcl:"):
        return None, []
    job = next(
        (j for j in sorted(look.estate.jobs, key=lambda j: j.file) if j.name == job_name), None
    )
    if job is None:
        return None, []
    for members in job_groups(job):
        steps = [job.steps[i] for i in members]
        if any(step.name == step_name for step in steps):
            return job, steps
    return job, []


class DDNames:
    """The dataset (DSN) a job assigns to a DD name, as the program that opens it sees it: the
    DDs of the steps that run it, else (a subroutine) those of the first step defining the name."""

    def __init__(self, steps: list[JobStep]) -> None:
        self.by_program: dict[str, dict[str, str]] = {}
        self.any: dict[str, str] = {}
        for step in steps:
            mine = self.by_program.setdefault(step.program, {})
            for dd in step.dds:
                if dd.dsn:
                    mine.setdefault(dd.name, dd.dsn)
                    self.any.setdefault(dd.name, dd.dsn)

    def dsn(self, program: str, name: str) -> str:
        """The DSN behind DD `name` for `program`; '' when the job does not assign it."""
        return self.by_program.get(program, {}).get(name) or self.any.get(name, "")


class _Flow:
    """Boxes and arrows of one process diagram, gathered in drawing order."""

    def __init__(self, look: Lookup, linker: Linker, here: str, process: Process) -> None:
        self.look, self.linker, self.here, self.process = look, linker, here, process
        self.members = [n for n in process.procedures if n in look.graph]
        self.inside = set(self.members)
        self.programs = set(process.programs)
        self.nodes: dict[str, DNode] = {}
        self.edges: list[DEdge] = []
        self.job, self.steps = process_steps(look, process)
        self.dd = DDNames(self.steps)
        self.present = {look.owner(n) for n in self.members}  # programs with steps drawn here
        classes = {look.procedures[n].program for n in self.members if n in look.procedures}
        self.qualify = len(classes) > 1  # methods of several classes: say whose

    def add(self, node: DNode) -> str:
        self.nodes.setdefault(node.id, node)
        return node.id

    def member(self, node: str) -> DNode:
        attrs = self.look.graph.nodes[node]
        name, program = str(attrs.get("name") or node), str(attrs.get("program", ""))
        kind = str(attrs.get("kind", "paragraph"))
        label = name
        if kind in ("method", "constructor") and self.qualify:
            label = f"{program.rsplit('.', 1)[-1]}.{name}"
        link = self.linker.paragraph(self.here, program, name)
        return DNode(node, label, kind, link.href, f"{kind} {program} / {name}")

    def program_box(self, name: str) -> str:
        """A program of the process as a box leading to its first paragraph (where control
        enters), or for a Java entry class, to its entry methods."""
        node = self.look.program_node(name)
        if node in self.nodes:
            return node
        what = "Class" if self.look.language.get(name) == "java" else "Program"
        link = self.linker.program(self.here, name)
        kind = "class" if what == "Class" else "program"
        self.add(DNode(node, name.rsplit(".", 1)[-1], kind, link.href, f"{what} {name}"))
        for target in self._entries(name):
            self.edges.append(DEdge(node, target, "calls" if what == "Class" else "performs"))
        return node

    def _entries(self, name: str) -> list[str]:
        program = self.look.by_name.get(name)
        if program is None or not program.procedures:
            return []
        if program.language == "java":
            wanted = set(program.entry_points)
            return [p.id for p in program.procedures if p.name in wanted and p.id in self.inside]
        first = program.procedures[0].id
        return [first] if first in self.inside else []

    def start(self) -> None:
        """The entry: the job's steps in order, or the program or class that starts it."""
        if not self.steps:
            entry = self.look.graph.nodes.get(self.process.entry, {})
            if entry.get("kind") in PROGRAM_KINDS and str(entry.get("name", "")) in self.programs:
                self.program_box(str(entry["name"]))
            return
        previous = ""
        for step in self.steps:
            if self.process.parent and step.program not in self.present:
                continue  # a part shows the steps it has paragraphs in
            sid = f"jcl:{step.job}:{step.name}"
            link = self.linker.job(self.here, step.job, anchor("step", step.name))
            title = f"Step {step.name} of job {step.job} runs {step.program or step.proc}"
            self.add(DNode(sid, step.name, "step", link.href, title))
            if previous:
                self.edges.append(DEdge(previous, sid, "next"))
            previous = sid
            if step.program in self.present:
                self.edges.append(DEdge(sid, self.program_box(step.program), "runs"))
            else:  # a utility (SORT, IDCAMS): its datasets come from the step's DD statements
                for dst, kind, _ in self.look.out_edges(sid, ("reads", "writes")):
                    self.data_edge(sid, dst, kind)

    def flow(self) -> None:
        """Arrows out of each procedure, one per statement, in source order."""
        for node in self.members:
            self.add(self.member(node))
        for node in self.members:
            targets = self.look.out_edges(node, FLOW + DATA)
            targets.sort(key=lambda e: (str(e[2].get("file", "")), int(e[2].get("line", 0) or 0)))
            seen: set[tuple[str, int, str]] = set()
            for dst, kind, attrs in targets:
                statement = (str(attrs.get("file", "")), int(attrs.get("line", 0) or 0), kind)
                if kind in DATA:
                    self.data_edge(node, dst, kind)
                elif statement not in seen and self.flow_edge(node, dst, kind):
                    seen.add(statement)

    def flow_edge(self, src: str, dst: str, kind: str) -> bool:
        """An arrow to a procedure or program; False when the target is left out."""
        attrs = self.look.graph.nodes[dst]
        target_kind = attrs.get("kind")
        if dst in self.inside:
            target = dst
        elif target_kind in PROGRAM_KINDS and str(attrs.get("name")) in self.programs:
            target = self.program_box(str(attrs["name"]))
        elif target_kind in PROCEDURE_KINDS and attrs.get("external"):
            return False  # a library method (println, BigDecimal#add): noise in a business view
        else:
            target = self.add(self.outside(dst))
        self.edges.append(DEdge(src, target, kind))
        return True

    def outside(self, node: str) -> DNode:
        """A program or procedure outside this process (or this part of it)."""
        attrs = self.look.graph.nodes[node]
        if attrs.get("kind") in PROGRAM_KINDS:
            return resource_node(self.look, self.linker, self.here, node)
        link = self.linker.node(self.here, node)
        name = str(attrs.get("name") or node)
        return DNode(node, name, "other", link.href, f"{link.text} (outside this process)")

    def data_edge(self, src: str, dst: str, kind: str) -> None:
        """An arrow to or from what is read or written; a DD name becomes the job's dataset."""
        attrs = self.look.graph.nodes[dst] if dst in self.look.graph else {}
        name = str(attrs.get("name") or dst.split(":", 1)[-1])
        dsn = self.dd.dsn(self.look.owner(src), name) if attrs.get("kind") == "dataset" else ""
        if dsn:
            dst = f"dataset:{dsn}"
            self.add(DNode(dst, dsn, "dataset", "", f"dataset {dsn} (DD {name})"))
        else:
            self.add(resource_node(self.look, self.linker, self.here, dst))
        self.edges.append(DEdge(dst, src, kind) if kind in INBOUND else DEdge(src, dst, kind))


def process_flow(
    look: Lookup, linker: Linker, here: str, process: Process
) -> tuple[Diagram | None, int]:
    """The process as a diagram (None when there is nothing to connect), and how many of its
    steps were left out because no arrow joins them to anything (in a big diagram only)."""
    flow = _Flow(look, linker, here, process)
    flow.start()
    flow.flow()
    nodes = list(flow.nodes.values())
    if len(nodes) >= SHARED_MIN_NODES:
        joined = {e.src for e in flow.edges} | {e.dst for e in flow.edges}
        nodes = [n for n in nodes if n.id in joined]
    left_out = len(flow.nodes) - len(nodes)
    if len(nodes) < 2:
        return None, left_out
    title = f"Flow of process {process.title}"
    return with_shared_helpers(f"flow-{process.id}", title, nodes, flow.edges), left_out
