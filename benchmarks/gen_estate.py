"""Write a synthetic COBOL estate of realistic shape, for scale benchmarks and tests.

Usage: python benchmarks/gen_estate.py OUTDIR --lines N [--seed S]

The estate holds about N physical lines of programs (`cbl/*.cbl`, 500-5,000 lines each, sizes
drawn log-normal), shared copybooks (`copybooks/`), job decks (`jcl/`) whose steps hand data sets
on, cataloged procedures (`proc/`) and a `logicmine.toml`. About 15% of the programs are CICS
online programs (menus that XCTL through a table, screens that XCTL back by literal), a few are
DB2 batch programs run through IKJEFT01, some are subprograms reached by CALL. Everything is
drawn from seeded generators, so the same seed gives the same bytes. The code is made up here:
invented names and logic in the shape of a back-office estate.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

MIN_LINES, MAX_LINES = 500, 5000
WIDTH = 65  # columns 8-72
AREAS = ("AC", "LN", "CU", "TX", "GL", "PY", "CL", "IV", "OR", "RP", "DP", "CR")
NOUNS = ("ACCT", "CUST", "LOAN", "TXN", "RATE", "FEE", "PMT", "CARD", "CLM", "POL", "ORD",
         "ITEM", "STK", "INV", "LEDG", "BRCH", "PLAN", "CTRL")
AMOUNTS = ("BALANCE", "INTEREST", "PRINCIPAL", "PAYMENT", "FEE", "PENALTY", "TAX", "DISCOUNT",
           "CREDIT", "DEBIT", "LIMIT", "ACCRUAL", "REBATE", "CHARGE", "ADJUST", "RESERVE")
QUALS = ("CURR", "PREV", "YTD", "MTD", "DAILY", "NET", "GROSS", "MIN", "MAX", "AVG", "TOTAL",
         "PEND")
CODES = ("TYPE", "STATUS", "REGION", "PRODUCT", "CHANNEL", "GRADE", "REASON", "SOURCE", "CLASS",
         "TIER", "SEGMENT", "BAND")
STATES = ("ACTIVE", "CLOSED", "FROZEN", "PENDING", "DORMANT", "REVIEW", "HELD", "VALID",
          "EXPIRED", "OVERDUE", "PRIME", "STANDARD")
VERBS = ("VALIDATE", "CALCULATE", "APPLY", "CHECK", "UPDATE", "ACCUMULATE", "DERIVE", "ASSESS",
         "POST", "SELECT", "ROUTE", "FORMAT", "RECONCILE", "ADJUST", "PRICE", "SCORE")
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _literal(rng: random.Random, size: int) -> str:
    return "'" + "".join(rng.choice(LETTERS) for _ in range(size)) + "'"


def _words(text: str) -> list[str]:
    """Split at blanks outside quoted literals, keeping NOT with the word it negates."""
    out: list[str] = []
    for token in text.split(" "):
        if out and (out[-1].count("'") % 2 or out[-1] == "NOT"):
            out[-1] += " " + token
        elif token:
            out.append(token)
    return out


# ------------------------------------------------------------------ fixed-format member


class Member:
    """Lines of one fixed-format member: indicator and text of columns 7-72."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __len__(self) -> int:
        return len(self.lines)

    def a(self, text: str) -> None:
        """A line starting in area A (column 8)."""
        self.lines.append(" " + text)

    def b(self, text: str, depth: int = 0) -> None:
        """A line in area B, indented by nesting depth, wrapped at column 72."""
        pad = " " * (4 + 3 * depth)
        if len(pad) + len(text) < WIDTH:  # room for a closing period
            self.lines.append(" " + pad + text)
            return
        line, more = pad, pad + "    "
        for word in _words(text):
            if len(line) + len(word) + 1 >= WIDTH and line.strip():
                self.lines.append(" " + line.rstrip())
                line = more
            line += word + " "
        self.lines.append(" " + line.rstrip())

    def note(self, text: str) -> None:
        """A comment line."""
        self.lines.append("*" + text)

    def extend(self, other: Member) -> None:
        self.lines.extend(other.lines)

    def render(self, style: int, name: str) -> str:
        """The member's text; style 1/2 number columns 1-6, style 1/3 tag columns 73-80."""
        out = []
        for n, line in enumerate(self.lines, 1):
            seq = f"{n * 100:06d}" if style in (1, 2) else "      "
            if style == 1 or (style == 3 and n % 7 == 0):
                out.append(f"{seq}{line:<66}{name[:8]:<8}".rstrip())
            else:
                out.append(f"{seq}{line}".rstrip())
        return "\n".join(out) + "\n"


# ------------------------------------------------------------------ the estate's plan


@dataclass(eq=False)  # identity: a layout is one member
class Copybook:
    """A shared record layout; `tagged` ones are copied with REPLACING ==:TAG:== BY ==X==."""

    name: str
    prefix: str  # field prefix, or ":TAG:" when tagged
    amounts: tuple[str, ...]
    codes: tuple[tuple[str, int], ...]
    states: tuple[str, ...]
    length: int = 0

    @property
    def tagged(self) -> bool:
        return self.prefix == ":TAG:"


@dataclass
class FileSpec:
    """One sequential file of a batch program: SELECT name, DD name, direction, layout."""

    select: str
    ddname: str
    output: bool
    layout: Copybook
    tag: str = ""  # replacing tag when the layout is tagged (record in the FD)


@dataclass
class Program:
    """The plan of one program."""

    name: str
    kind: str  # batch | sub | sql | online | menu
    area: str
    lines: int
    files: list[FileSpec] = field(default_factory=list)
    layouts: list[Copybook] = field(default_factory=list)  # untagged layouts in WORKING-STORAGE
    calls: list[str] = field(default_factory=list)
    menu: str = ""  # online: the menu program to XCTL back to
    options: list[str] = field(default_factory=list)  # menu: programs of the menu table
    transid: str = ""
    commarea: str = ""
    table: str = ""  # sql: DCLGEN member
    style: int = 0


@dataclass
class Estate:
    """The whole plan."""

    programs: list[Program]
    copybooks: list[Copybook]
    tables: list[str]
    jobs: list[list[Program]]
    procs: dict[str, str]  # program name -> proc name
    commareas: list[str]


def _sizes(rng: random.Random, total: int) -> list[int]:
    sizes: list[int] = []
    while sum(sizes) < total:
        size = int(math.exp(rng.gauss(math.log(1300), 0.65)))
        sizes.append(min(MAX_LINES - 150, max(MIN_LINES + 20, size)))
    if len(sizes) > 1:  # trim the overshoot of the last one
        sizes[-1] = max(MIN_LINES + 20, sizes[-1] - (sum(sizes) - total))
    return sizes


def _kinds(rng: random.Random, count: int) -> list[str]:
    online = max(2, round(count * 0.15)) if count >= 6 else 0
    sql = max(1, round(count * 0.06))
    sub = max(1, round(count * 0.12))
    kinds = ["online"] * online + ["sql"] * sql + ["sub"] * sub
    kinds += ["batch"] * max(0, count - len(kinds))
    rng.shuffle(kinds)
    return kinds[:count]


def _layout(rng: random.Random, name: str, prefix: str) -> Copybook:
    amounts = tuple(sorted(rng.sample(AMOUNTS, rng.randint(3, 7))))
    codes = tuple((c, rng.choice((1, 2, 3, 4))) for c in sorted(rng.sample(CODES, 3)))
    states = tuple(sorted(rng.sample(STATES, 3)))
    return Copybook(name, prefix, amounts, codes, states)


def plan(lines: int, seed: int) -> Estate:
    """Decide every program, copybook, job and procedure of the estate."""
    rng = random.Random(f"plan:{seed}")
    sizes = _sizes(rng, lines)
    kinds = _kinds(rng, len(sizes))
    areas = AREAS[:max(1, min(len(AREAS), len(sizes) // 20 + 1))]
    numbers: dict[str, int] = {}
    programs = []
    for i, (size, kind) in enumerate(zip(sizes, kinds, strict=True)):
        area = areas[i % len(areas)]
        numbers[area] = numbers.get(area, 0) + 1
        letter = {"batch": "B", "sub": "S", "sql": "D", "online": "O"}[kind]
        programs.append(Program(f"{area}{letter}{numbers[area]:03d}", kind, area, size,
                                style=rng.choice((0, 0, 1, 2, 3))))
    copybooks = _copybooks(rng, programs, areas)
    tables = _tables(programs)
    commareas = _online(rng, programs)
    _calls(rng, programs)
    jobs = _jobs(rng, programs)
    procs = _procs(jobs)
    return Estate(programs, copybooks, tables, jobs, procs, commareas)


def _by_name(programs: list[Program], name: str) -> Program:
    return next(p for p in programs if p.name == name)


def _copybooks(rng: random.Random, programs: list[Program], areas: tuple[str, ...]):
    """Record layouts per area, each handed round-robin to several programs."""
    books: list[Copybook] = []
    for area in areas:
        users = [p for p in programs if p.area == area and p.kind in ("batch", "sql", "sub")]
        count = max(2, len(users) // 3)
        mine = [_layout(rng, f"{area}REC{n:02d}", ":TAG:" if n % 2 else f"{area}{n:02d}")
                for n in range(1, count + 1)]
        books.extend(mine)
        turn = 0
        for program in users:
            picks = []
            for _ in range(rng.randint(2, 3)):
                picks.append(mine[turn % len(mine)])
                turn += 1
            _files_of(rng, program, picks)
    return books


def _files_of(rng: random.Random, program: Program, picks: list[Copybook]) -> None:
    """Inputs and outputs over the picked layouts; tagged layouts are copied into the FD."""
    if program.kind != "sub":
        nouns = rng.sample(NOUNS, len(picks))
        for n, book in enumerate(picks):
            output = n == 1 or (n > 1 and rng.random() < 0.5)
            way = "OUT" if output else "IN"
            tag = f"{nouns[n]}{way[0]}{n}" if book.tagged else ""
            program.files.append(FileSpec(f"{nouns[n]}-{way}-FILE", f"{nouns[n]}{way}",
                                          output, book, tag))
    program.layouts = [b for b in dict.fromkeys(picks) if not b.tagged]


def _tables(programs: list[Program]) -> list[str]:
    sql = [p for p in programs if p.kind == "sql"]
    tables = sorted({f"DCL{p.area}T{n % 2 + 1}" for n, p in enumerate(sql)})
    for n, program in enumerate(sql):
        program.table = f"DCL{program.area}T{n % 2 + 1}"
    return tables


def _online(rng: random.Random, programs: list[Program]) -> list[str]:
    """Group online programs into applications: a menu and the screens it offers."""
    online = [p for p in programs if p.kind == "online"]
    commareas = []
    start = 0
    while start < len(online):
        size = rng.randint(3, 6)
        if len(online) - start - size < 2:
            size = len(online) - start
        app = online[start:start + size]
        start += size
        menu, screens = app[0], app[1:]
        menu.kind, menu.options = "menu", [s.name for s in screens]
        comm = f"{menu.area}COM{len(commareas) + 1:02d}"
        commareas.append(comm)
        for n, program in enumerate(app):
            program.transid = f"{menu.area[0]}{menu.name[-2:]}{n}"
            program.commarea = comm
            program.menu = menu.name
    return commareas


def _calls(rng: random.Random, programs: list[Program]) -> None:
    subs = [p.name for p in programs if p.kind == "sub"]
    for program in programs:
        if program.kind in ("batch", "sql") and subs:
            program.calls = sorted(set(rng.sample(subs, min(len(subs), 2))))


def _jobs(rng: random.Random, programs: list[Program]) -> list[list[Program]]:
    """Chains of 3-8 steps over the main batch and DB2 programs."""
    mains = [p for p in programs if p.kind in ("batch", "sql")]
    rng.shuffle(mains)
    jobs: list[list[Program]] = []
    while len(mains) > 8:
        size = rng.randint(3, min(8, len(mains) - 3))
        jobs.append(mains[:size])
        mains = mains[size:]
    return jobs + [mains] if mains else jobs


def _procs(jobs: list[list[Program]]) -> dict[str, str]:
    """Every sixth job runs one of its batch programs through a cataloged procedure."""
    procs: dict[str, str] = {}
    for n, chain in enumerate(jobs[::6], 1):
        batch = [p for p in chain if p.kind == "batch"]
        if batch:
            procs[batch[len(batch) // 2].name] = f"{chain[0].area}PRC{n:02d}"
    return procs


# ------------------------------------------------------------------ copybooks


def _data(member: Member, level: str, name: str, clause: str, depth: int) -> None:
    """One data description entry; level 01 in area A."""
    if level == "01":
        member.a(f"01  {name}{' ' + clause if clause else ''}.")
    else:
        member.b(f"{level:<4}{name:<26} {clause}." if clause else f"{level:<4}{name}.", depth)


def _values(name: str, size: int, count: int) -> list[str]:
    """Distinct literal values of one length, derived from a name."""
    rng = random.Random(name)
    out: list[str] = []
    while len(out) < count:
        value = _literal(rng, size)
        if value not in out:
            out.append(value)
    return out


def layout_text(book: Copybook) -> str:
    """A record layout copybook with 88-levels, dates, a name and a small history table."""
    p = book.prefix
    m = Member()
    m.note("=" * 64 + "*")
    how = "  (COPY ... REPLACING ==:TAG:==)" if book.tagged else ""
    m.note(f" {book.name:<8} - RECORD LAYOUT{how}")
    m.note("=" * 64 + "*")
    _data(m, "01", f"{p}-RECORD", "", 0)
    _data(m, "05", f"{p}-KEY", "PIC X(10)", 0)
    for n, (code, size) in enumerate(book.codes):
        _data(m, "05", f"{p}-{code}", f"PIC X({size:02d})", 0)
        if n == 0:
            for state, value in zip(book.states, _values(book.name + code, size, 3),
                                    strict=True):
                _data(m, "88", f"{p}-{state}", f"VALUE {value}", 1)
    for amount in book.amounts:
        _data(m, "05", f"{p}-{amount}", "PIC S9(09)V99 COMP-3", 0)
    _data(m, "05", f"{p}-DATES", "", 0)
    _data(m, "10", f"{p}-OPEN-DATE", "PIC 9(08)", 1)
    _data(m, "10", f"{p}-LAST-DATE", "PIC 9(08)", 1)
    _data(m, "05", f"{p}-NAME", "PIC X(30)", 0)
    _data(m, "05", f"{p}-HISTORY", "OCCURS 3 TIMES", 0)
    _data(m, "10", f"{p}-HIST-AMT", "PIC S9(07)V99 COMP-3", 1)
    _data(m, "05", "FILLER", "PIC X(20)", 0)
    return m.render(0, book.name)


def record_length(book: Copybook) -> int:
    """Bytes of one record of the layout."""
    return 10 + sum(s for _, s in book.codes) + 6 * len(book.amounts) + 16 + 30 + 15 + 20


def common_texts() -> dict[str, str]:
    """The copybooks every batch program shares: call parameters and a common work area."""
    m = Member()
    m.note(" LNKPARM  - PARAMETERS OF THE CALCULATION SUBPROGRAMS")
    _data(m, "01", ":TAG:-PARMS", "", 0)
    _data(m, "05", ":TAG:-FUNCTION", "PIC X(02)", 0)
    _data(m, "88", ":TAG:-FN-CALC", "VALUE '01'", 1)
    _data(m, "88", ":TAG:-FN-VALIDATE", "VALUE '02'", 1)
    for name, pic in (("AMOUNT", "S9(11)V99 COMP-3"), ("RATE", "S9(03)V9(4) COMP-3"),
                      ("RESULT", "S9(11)V99 COMP-3"), ("RETURN-CODE", "S9(04) COMP")):
        _data(m, "05", f":TAG:-{name}", f"PIC {pic}", 0)
    c = Member()
    c.note(" CMNWORK  - COMMON BATCH WORK AREA: RUN DATE, RETURN CODE")
    _data(c, "01", "CMN-WORK-AREA", "", 0)
    _data(c, "05", "CMN-RUN-DATE", "PIC 9(08)", 0)
    _data(c, "05", "CMN-ABEND-CODE", "PIC X(04)", 0)
    _data(c, "05", "CMN-RETURN-CODE", "PIC S9(04) COMP VALUE ZERO", 0)
    _data(c, "88", "CMN-RC-OK", "VALUE 0", 1)
    _data(c, "88", "CMN-RC-WARNING", "VALUE 4", 1)
    _data(c, "88", "CMN-RC-SEVERE", "VALUE 8 THRU 16", 1)
    return {"LNKPARM": m.render(0, "LNKPARM"), "CMNWORK": c.render(0, "CMNWORK")}


def dclgen_text(member: str) -> str:
    """A DCLGEN member: the table declaration and its host variables."""
    area, prefix = member[3:5], member[3:]
    table = f"PROD.{area}_TABLE_{member[-1]}"
    cols = [("KEY_ID", "CHAR(10)", "X(10)"), ("STATUS_CD", "CHAR(1)", "X(1)"),
            ("AMOUNT_1", "DECIMAL(13, 2)", "S9(11)V9(2) USAGE COMP-3"),
            ("AMOUNT_2", "DECIMAL(13, 2)", "S9(11)V9(2) USAGE COMP-3"),
            ("RATE_PCT", "DECIMAL(7, 4)", "S9(3)V9(4) USAGE COMP-3"),
            ("UPDATED_DT", "DATE", "X(10)")]
    m = Member()
    m.note(f" DCLGEN TABLE({table})")
    m.b(f"EXEC SQL DECLARE {table} TABLE")
    for n, (col, sql, _) in enumerate(cols):
        m.b(f"{'(' if n == 0 else ' '} {col:<14} {sql} NOT NULL{',' if n < len(cols) - 1 else ''}")
    m.b(") END-EXEC.")
    _data(m, "01", f"DCL{prefix}", "", 0)
    for col, _, pic in cols:
        m.b(f"10 {prefix}-{col.replace('_', '-'):<18} PIC {pic}.")
    return m.render(0, member)


def commarea_text(name: str) -> str:
    """The COMMAREA shared by the programs of one online application."""
    m = Member()
    m.note(f" {name} - COMMAREA OF THE ONLINE APPLICATION")
    _data(m, "01", f"{name}-AREA", "", 0)
    for field_, pic in (("FROM-PGM", "X(08)"), ("USERID", "X(08)"), ("KEY", "X(10)")):
        _data(m, "05", f"{name}-{field_}", f"PIC {pic}", 0)
    _data(m, "05", f"{name}-STATE", "PIC X(01)", 0)
    _data(m, "88", f"{name}-FIRST", "VALUE 'F'", 1)
    _data(m, "88", f"{name}-REENTRY", "VALUE 'R'", 1)
    _data(m, "05", f"{name}-MESSAGE", "PIC X(60)", 0)
    return m.render(0, name)


MAP_FIELDS = ("KEY", "OPT", "MSG", "F01", "F02", "F03", "F04")


def map_text(program: Program) -> str:
    """The symbolic map of one screen, as the BMS assembler writes it."""
    mapname = program.name + "A"
    sizes = {"KEY": 10, "OPT": 2, "MSG": 60}
    m = Member()
    m.note(f" {program.name}S - SYMBOLIC MAP {mapname}")
    _data(m, "01", f"{mapname}I", "", 0)
    _data(m, "02", "FILLER", "PIC X(12)", 0)
    for f in MAP_FIELDS:
        _data(m, "02", f"SCR{f}L", "PIC S9(4) COMP", 0)
        _data(m, "02", f"SCR{f}F", "PIC X", 0)
        _data(m, "02", f"SCR{f}I", f"PIC X({sizes.get(f, 12):02d})", 0)
    _data(m, "01", f"{mapname}O REDEFINES {mapname}I", "", 0)
    _data(m, "02", "FILLER", "PIC X(12)", 0)
    for f in MAP_FIELDS:
        _data(m, "02", "FILLER", "PIC X(03)", 0)
        _data(m, "02", f"SCR{f}O", f"PIC X({sizes.get(f, 12):02d})", 0)
    return m.render(0, program.name + "S")


# ------------------------------------------------------------------ statements


@dataclass
class Symbols:
    """The data names a program's statements may use."""

    nums: list[str] = field(default_factory=list)  # signed decimal amounts
    counters: list[str] = field(default_factory=list)
    codes: list[tuple[str, list[str]]] = field(default_factory=list)  # field, literal values
    conds: list[str] = field(default_factory=list)  # 88-level names
    totals: list[tuple[str, int]] = field(default_factory=list)  # OCCURS amount, size
    lookups: list[tuple[str, str, str, str]] = field(default_factory=list)  # entry idx key pct

    def layout(self, p: str, book: Copybook) -> None:
        """Learn the fields of a copied layout whose prefix is `p`."""
        self.nums.extend(f"{p}-{a}" for a in book.amounts)
        for code, size in book.codes:
            self.codes.append((f"{p}-{code}", _values(book.name + code, size, 3)))
        self.conds.extend(f"{p}-{s}" for s in book.states)
        self.totals.append((f"{p}-HIST-AMT", 3))


class Body:
    """Random but well-formed statements over a program's symbols."""

    def __init__(self, rng: random.Random, sym: Symbols, calls: list[str]) -> None:
        self.rng, self.sym, self.calls = rng, sym, calls

    def num(self) -> str:
        return self.rng.choice(self.sym.nums)

    def cond(self, joined: bool = True) -> str:
        r, sym = self.rng.random(), self.sym
        if r < 0.35:
            text = self.rng.choice(sym.conds)
            text = "NOT " + text if self.rng.random() < 0.2 else text
        elif r < 0.65:
            op = self.rng.choice(("> ", "< ", "= ", "NOT = ", ">= "))
            other = self.rng.choice(("ZERO", self.num(), str(self.rng.choice((100, 500, 2500)))))
            text = f"{self.num()} {op}{other}"
        elif r < 0.85:
            code, values = self.rng.choice(sym.codes)
            text = f"{code} = {self.rng.choice(values)}"
        else:
            code, _ = self.rng.choice(sym.codes)
            text = f"{code} NOT = SPACES"
        if joined and self.rng.random() < 0.25:
            text += f" {self.rng.choice(('AND', 'OR'))} {self.cond(False)}"
        return text

    def simple(self, m: Member, d: int) -> None:
        """A statement without a branch: mostly moves, as in real code; a little arithmetic."""
        r, rng = self.rng.random(), self.rng
        if r < 0.20:
            (code, _), (other, _) = rng.sample(self.sym.codes, 2)
            m.b(f"MOVE {other} TO {code}", d)
        elif r < 0.34:
            m.b(f"MOVE {self.num()} TO {self.num()}", d)
        elif r < 0.54:
            code, values = rng.choice(self.sym.codes)
            m.b(f"MOVE {rng.choice(values)} TO {code}", d)
        elif r < 0.61:
            m.b(f"MOVE {_literal(rng, rng.randint(8, 24))} TO WS-MESSAGE", d)
        elif r < 0.72:
            m.b(f"SET {rng.choice(self.sym.conds)} TO TRUE", d)
        elif r < 0.78:
            m.b(f"MOVE ZERO TO {self.num()}", d)
        elif r < 0.83:
            m.b(f"MOVE SPACES TO {rng.choice(self.sym.codes)[0]}", d)
        elif r < 0.88:
            m.b(f"STRING {rng.choice(self.sym.codes)[0]} DELIMITED BY SIZE", d)
            m.b(f"{_literal(rng, 3)} DELIMITED BY SIZE", d + 1)
            m.b(f"{rng.choice(self.sym.codes)[0]} DELIMITED BY SPACE", d + 1)
            m.b("INTO WS-MESSAGE", d + 1)
            m.b("END-STRING", d)
        elif r < 0.92:
            m.b(f"DISPLAY {_literal(rng, rng.randint(6, 14))} {self.num()}", d)
        elif r < 0.94:
            m.b(f"ADD 1 TO {rng.choice(self.sym.counters)}", d)
        elif r < 0.96:
            m.b(f"ADD {self.num()} TO {self.num()}", d)
        elif r < 0.97:
            m.b(f"SUBTRACT {self.num()} FROM {self.num()}", d)
        elif r < 0.99:
            m.b("INITIALIZE WS-CODES", d)
        else:
            m.b(f"MULTIPLY {self.num()} BY {self.num()} ROUNDED", d)

    def statement(self, m: Member, d: int) -> None:
        """Any statement: one in eleven is a decision, one in seventy a COMPUTE."""
        r = self.rng.random()
        if d >= 3 or r < 0.85:
            self.simple(m, d)
        elif r < 0.905:
            self.if_(m, d)
        elif r < 0.92:
            self.evaluate_true(m, d)
        elif r < 0.93:
            self.evaluate_also(m, d)
        elif r < 0.945:
            self.compute(m, d)
        elif r < 0.955:
            self.loop(m, d)
        elif r < 0.96:
            self.search(m, d)
        elif r < 0.975 and self.calls:
            self.call(m, d)
        else:
            m.note(f"    {self.rng.choice(VERBS)} THE {self.rng.choice(AMOUNTS)} "
                   f"FOR THE {self.rng.choice(STATES)} CASE")
            self.simple(m, d)

    def block(self, m: Member, d: int, low: int = 1, high: int = 3) -> None:
        for _ in range(self.rng.randint(low, high)):
            self.statement(m, d)

    def if_(self, m: Member, d: int) -> None:
        m.b(f"IF {self.cond()}", d)
        self.block(m, d + 1)
        if self.rng.random() < 0.55:
            m.b("ELSE", d)
            self.block(m, d + 1)
        m.b("END-IF", d)

    def evaluate_true(self, m: Member, d: int) -> None:
        m.b("EVALUATE TRUE", d)
        for _ in range(self.rng.randint(2, 4)):
            m.b(f"WHEN {self.cond(False)}", d + 1)
            self.block(m, d + 2, 1, 2)
        m.b("WHEN OTHER", d + 1)
        self.block(m, d + 2, 1, 1)
        m.b("END-EVALUATE", d)

    def evaluate_also(self, m: Member, d: int) -> None:
        (a, av), (b, bv) = self.rng.sample(self.sym.codes, 2)
        m.b(f"EVALUATE {a} ALSO {b}", d)
        for n in range(self.rng.randint(2, 3)):
            right = "ANY" if n == 2 else self.rng.choice(bv)
            m.b(f"WHEN {av[n % len(av)]} ALSO {right}", d + 1)
            self.block(m, d + 2, 1, 2)
        m.b("WHEN OTHER", d + 1)
        self.simple(m, d + 2)
        m.b("END-EVALUATE", d)

    def compute(self, m: Member, d: int) -> None:
        rng = self.rng
        expr = f"{self.num()} * {rng.choice(('1.0125', '0.035', '12', '1.5'))}"
        expr += f" {rng.choice(('+', '-'))} {self.num()}"
        if rng.random() < 0.4:
            expr = f"({expr}) / {rng.choice(('100', '12', '365'))}"
        m.b(f"COMPUTE {self.num()} ROUNDED = {expr}", d)
        m.b("ON SIZE ERROR", d + 1)
        m.b(f"MOVE {_literal(rng, 4)} TO WS-REASON-CODE", d + 2)
        m.b("ADD 1 TO WS-ERROR-COUNT", d + 2)
        if rng.random() < 0.4:
            m.b("NOT ON SIZE ERROR", d + 1)
            self.simple(m, d + 2)
        m.b("END-COMPUTE", d)

    def loop(self, m: Member, d: int) -> None:
        table, size = self.rng.choice(self.sym.totals)
        if self.rng.random() < 0.6:
            m.b(f"PERFORM VARYING WS-SUB FROM 1 BY 1 UNTIL WS-SUB > {size}", d)
            m.b(f"ADD {table} (WS-SUB) TO {self.num()}", d + 1)
        else:
            m.b("MOVE 1 TO WS-SUB", d)
            m.b(f"PERFORM UNTIL WS-SUB > {size} OR {self.rng.choice(self.sym.conds)}", d)
            m.b(f"MOVE {self.num()} TO {table} (WS-SUB)", d + 1)
            m.b("ADD 1 TO WS-SUB", d + 1)
        m.b("END-PERFORM", d)

    def search(self, m: Member, d: int) -> None:
        entry, idx, key, pct = self.rng.choice(self.sym.lookups)
        m.b(f"SET {idx} TO 1", d)
        m.b(f"SEARCH {entry}", d)
        m.b("AT END", d + 1)
        m.b(f"MOVE ZERO TO {self.num()}", d + 2)
        m.b(f"WHEN {key} ({idx}) = {_literal(self.rng, 2)}", d + 1)
        m.b(f"COMPUTE {self.num()} ROUNDED = {self.num()} * {pct} ({idx})", d + 2)
        m.b("END-SEARCH", d)

    def call(self, m: Member, d: int) -> None:
        target = self.rng.choice(self.calls)
        m.b(f"MOVE {self.rng.choice(('01', '02'))} TO WS-CALL-FUNCTION", d)
        m.b(f"MOVE {self.num()} TO WS-CALL-AMOUNT", d)
        if self.rng.random() < 0.5:
            m.b(f"CALL '{target}' USING WS-CALL-PARMS", d)
        else:
            m.b(f"MOVE '{target}' TO WS-CALL-PGM", d)
            m.b("CALL WS-CALL-PGM USING WS-CALL-PARMS", d)
        m.b("IF WS-CALL-RETURN-CODE NOT = ZERO", d)
        m.b("ADD 1 TO WS-ERROR-COUNT", d + 1)
        m.b("ELSE", d)
        m.b(f"MOVE WS-CALL-RESULT TO {self.num()}", d + 1)
        m.b("END-IF", d)

    def paragraph(self, m: Member, name: str, ranged: bool) -> None:
        """One business paragraph; a ranged one may GO TO its exit paragraph."""
        if self.rng.random() < 0.5:
            m.note("-" * 64)
            for _ in range(self.rng.randint(1, 3)):
                m.note(f" {self.rng.choice(VERBS)} THE {self.rng.choice(AMOUNTS)} OF EACH "
                       f"{self.rng.choice(NOUNS)} BY {self.rng.choice(CODES)}")
            m.note("-" * 64)
        m.a(f"{name}.")
        stop = self.rng.randint(1, 3) if ranged else -1
        for n in range(self.rng.randint(3, 9)):
            if n == stop:
                m.b(f"IF {self.cond()}", 0)
                m.b(f"MOVE {_literal(self.rng, 4)} TO WS-REASON-CODE", 1)
                m.b(f"GO TO {name[:4]}-EXIT", 1)
                m.b("END-IF", 0)
            self.statement(m, 0)
        m.lines[-1] += "."
        if ranged:
            m.a(f"{name[:4]}-EXIT.")
            m.b("EXIT.")


# ------------------------------------------------------------------ programs


class ProgramWriter:
    """Writes one program of the plan: divisions by kind, then business paragraphs to size."""

    def __init__(self, program: Program, seed: int) -> None:
        self.p = program
        self.rng = random.Random(f"{seed}:{program.name}")
        self.sym = Symbols()
        self.names: set[str] = set()

    def unique(self, name: str) -> str:
        base, n = name, 1
        while name in self.names:
            n += 1
            name = f"{base}-{n}"
        self.names.add(name)
        return name

    def text(self) -> str:
        """The program's source text."""
        head = self.identification()
        self.environment(head)
        self.data(head)
        proc = Member()
        fixed, tail = Member(), Member()
        dispatch, closing = Member(), Member()
        kind = "batch" if self.p.kind == "sql" else self.p.kind
        getattr(self, f"procedure_{kind}")(proc, dispatch, closing, fixed, tail)
        used = len(head) + len(proc) + len(dispatch) + len(closing) + len(fixed) + len(tail)
        groups = self.business(self.p.lines - used)
        for name, when in groups:
            if when:
                dispatch.b(f"IF {when}", 0)
                dispatch.b(f"PERFORM {name}", 1)
                dispatch.b("END-IF", 0)
            else:
                dispatch.b(f"PERFORM {name}", 0)
        for member in (proc, dispatch, closing, fixed, self.biz, tail):
            head.extend(member)
        return head.render(self.p.style, self.p.name)

    # -------------------------------------------------------------- identification, data

    def identification(self) -> Member:
        m, p, rng = Member(), self.p, self.rng
        m.a("IDENTIFICATION DIVISION.")
        m.a(f"PROGRAM-ID. {p.name}.")
        surname = rng.choice(("SMITH", "OKAFOR", "LINDQVIST", "MORENO", "TANAKA", "BRENNAN"))
        m.a(f"AUTHOR. {rng.choice(LETTERS)} {rng.choice(LETTERS)} {surname}.")
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1984, 2004)
        m.a(f"DATE-WRITTEN. {day:02d}/{month:02d}/{year}.")
        m.note("=" * 64 + "*")
        m.note(f" {p.name} - {rng.choice(VERBS)} {rng.choice(NOUNS)} {rng.choice(AMOUNTS)} "
               f"({p.kind.upper()})")
        for _ in range(rng.randint(2, 6)):
            m.note(f" {rng.randint(1988, 2012)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                   f"{''.join(rng.sample(LETTERS, 3))}  {rng.choice(VERBS)} "
                   f"{rng.choice(AMOUNTS)} {rng.choice(('RULES', 'LIMITS', 'CODES', 'FIX'))}")
        m.note("=" * 64 + "*")
        return m

    def environment(self, m: Member) -> None:
        m.a("ENVIRONMENT DIVISION.")
        m.a("CONFIGURATION SECTION.")
        m.a("SOURCE-COMPUTER. IBM-370.")
        if not self.p.files:
            return
        m.a("INPUT-OUTPUT SECTION.")
        m.a("FILE-CONTROL.")
        for f in self.p.files:
            m.b(f"SELECT {f.select} ASSIGN TO {f.ddname}")
            m.b("ORGANIZATION IS SEQUENTIAL", 1)
            m.b(f"FILE STATUS IS WS-{f.ddname}-STATUS.", 1)

    def data(self, m: Member) -> None:
        m.a("DATA DIVISION.")
        if self.p.files:
            m.a("FILE SECTION.")
            for f in self.p.files:
                self.fd(m, f)
        m.a("WORKING-STORAGE SECTION.")
        _data(m, "01", "WS-PROGRAM-NAME", f"PIC X(08) VALUE '{self.p.name}'", 0)
        self.statuses(m)
        self.switches(m)
        self.amounts(m)
        self.codes(m)
        self.tables(m)
        _data(m, "01", "WS-MESSAGE", "PIC X(60) VALUE SPACES", 0)
        _data(m, "01", "WS-REASON-CODE", "PIC X(04) VALUE SPACES", 0)
        self.sym.codes.append(("WS-REASON-CODE", ["'R001'", "'R002'", "'E100'"]))
        getattr(self, f"storage_{'batch' if self.p.kind in ('batch', 'sql') else self.p.kind}")(m)

    def fd(self, m: Member, f: FileSpec) -> None:
        m.a(f"FD  {f.select}")
        m.b("RECORDING MODE IS F", 1)
        m.b("BLOCK CONTAINS 0 RECORDS.", 1)
        if f.tag:
            m.a(f"COPY {f.layout.name} REPLACING ==:TAG:== BY =={f.tag}==.")
            self.sym.layout(f.tag, f.layout)
        else:
            _data(m, "01", f"{f.select[:-5]}-REC", f"PIC X({record_length(f.layout)})", 0)

    def statuses(self, m: Member) -> None:
        if not self.p.files:
            return
        _data(m, "01", "WS-FILE-STATUSES", "", 0)
        for f in self.p.files:
            _data(m, "05", f"WS-{f.ddname}-STATUS", "PIC X(02) VALUE SPACES", 0)
            _data(m, "88", f"WS-{f.ddname}-OK", "VALUE '00'", 1)
            _data(m, "88", f"WS-{f.ddname}-EOF", "VALUE '10'", 1)

    def switches(self, m: Member) -> None:
        _data(m, "01", "WS-SWITCHES", "", 0)
        _data(m, "05", "WS-EOF-SW", "PIC X(01) VALUE 'N'", 0)
        _data(m, "88", "WS-EOF", "VALUE 'Y'", 1)
        _data(m, "88", "WS-NOT-EOF", "VALUE 'N'", 1)
        for state in self.rng.sample(STATES, min(len(STATES), 2 + self.p.lines // 600)):
            _data(m, "05", self.unique(f"WS-{state}-SW"), "PIC X(01) VALUE 'N'", 0)
            yes, no = self.unique(f"WS-{state}"), self.unique(f"WS-NOT-{state}")
            _data(m, "88", yes, "VALUE 'Y'", 1)
            _data(m, "88", no, "VALUE 'N'", 1)
            self.sym.conds += [yes, no]
        _data(m, "01", "WS-COUNTERS", "", 0)
        for noun in ("READ", "WRITE", "ERROR", "PROCESSED") + tuple(self.rng.sample(NOUNS, 3)):
            name = self.unique(f"WS-{noun}-COUNT")
            _data(m, "05", name, "PIC S9(07) COMP-3 VALUE ZERO", 0)
            self.sym.counters.append(name)
        _data(m, "05", "WS-SUB", "PIC S9(04) COMP VALUE ZERO", 0)

    def amounts(self, m: Member) -> None:
        _data(m, "01", "WS-AMOUNTS", "", 0)
        for _ in range(4 + self.p.lines // 90):
            name = self.unique(f"WS-{self.rng.choice(QUALS)}-{self.rng.choice(AMOUNTS)}")
            _data(m, "05", name, "PIC S9(11)V99 COMP-3 VALUE ZERO", 0)
            self.sym.nums.append(name)

    def codes(self, m: Member) -> None:
        _data(m, "01", "WS-CODES", "", 0)
        for _ in range(3 + self.p.lines // 200):
            name = self.unique(f"WS-{self.rng.choice(NOUNS)}-{self.rng.choice(CODES)}")
            size = self.rng.choice((1, 2, 3, 4))
            values = _values(self.p.name + name, size, 3)
            _data(m, "05", name, f"PIC X({size:02d}) VALUE SPACES", 0)
            if self.rng.random() < 0.5:
                for value in values[:2]:
                    cond = self.unique(f"{name}-{self.rng.choice(STATES)}")
                    _data(m, "88", cond, f"VALUE {value}", 1)
                    self.sym.conds.append(cond)
            self.sym.codes.append((name, values))

    def tables(self, m: Member) -> None:
        for _ in range(1 + self.p.lines // 1500):
            noun = self.unique(f"WS-{self.rng.choice(NOUNS)}")
            rows = self.rng.randint(4, 9)
            _data(m, "01", f"{noun}-TABLE-DATA", "", 0)
            for _ in range(rows):
                value = _literal(self.rng, 2)[:-1] + f"{self.rng.randint(0, 99999):05d}'"
                _data(m, "05", "FILLER", f"PIC X(07) VALUE {value}", 0)
            _data(m, "01", f"{noun}-TABLE REDEFINES {noun}-TABLE-DATA", "", 0)
            _data(m, "05", f"{noun}-ENTRY", f"OCCURS {rows} TIMES INDEXED BY {noun}-IDX", 0)
            _data(m, "10", f"{noun}-KEY", "PIC X(02)", 1)
            _data(m, "10", f"{noun}-PCT", "PIC 9V9(04)", 1)
            self.sym.lookups.append((f"{noun}-ENTRY", f"{noun}-IDX", f"{noun}-KEY", f"{noun}-PCT"))
            _data(m, "01", f"{noun}-TOTALS", "", 0)
            _data(m, "05", f"{noun}-TOT", "PIC S9(11)V99 COMP-3 OCCURS 12 TIMES", 0)
            self.sym.totals.append((f"{noun}-TOT", 12))

    def storage_batch(self, m: Member) -> None:
        _data(m, "01", "WS-CALL-PGM", "PIC X(08) VALUE SPACES", 0)
        m.a("COPY LNKPARM REPLACING ==:TAG:== BY ==WS-CALL==.")
        m.a("COPY CMNWORK.")
        self.sym.conds += ["CMN-RC-OK", "CMN-RC-WARNING"]
        for book in self.p.layouts:
            m.a(f"COPY {book.name}.")
            self.sym.layout(book.prefix, book)
        if self.p.kind == "sql":
            m.b("EXEC SQL INCLUDE SQLCA END-EXEC.")
            m.b(f"EXEC SQL INCLUDE {self.p.table} END-EXEC.")
            _data(m, "01", "WS-SQLCODE", "PIC -9(09)", 0)

    def storage_sub(self, m: Member) -> None:
        m.a("COPY CMNWORK.")
        self.sym.conds += ["CMN-RC-OK", "CMN-RC-WARNING"]
        for book in self.p.layouts:
            m.a(f"COPY {book.name}.")
            self.sym.layout(book.prefix, book)
        m.a("LINKAGE SECTION.")
        m.a("COPY LNKPARM REPLACING ==:TAG:== BY ==LK==.")
        self.sym.nums += ["LK-AMOUNT", "LK-RESULT"]
        self.sym.conds += ["LK-FN-CALC", "LK-FN-VALIDATE"]

    def storage_online(self, m: Member) -> None:
        _data(m, "01", "WS-RESP", "PIC S9(08) COMP VALUE ZERO", 0)
        _data(m, "01", "WS-RECORD-KEY", "PIC X(10) VALUE SPACES", 0)
        book = _layout(self.rng, "WSREC", "WSR")
        _data(m, "01", "WS-FILE-REC", "", 0)
        _data(m, "05", "WSR-KEY", "PIC X(10)", 0)
        for amount in book.amounts:
            _data(m, "05", f"WSR-{amount}", "PIC S9(09)V99 COMP-3", 0)
        _data(m, "05", "WSR-HIST-AMT", "PIC S9(07)V99 COMP-3 OCCURS 3 TIMES", 0)
        self.sym.nums += [f"WSR-{a}" for a in book.amounts]
        self.sym.totals.append(("WSR-HIST-AMT", 3))
        if self.p.kind == "menu":
            self.menu_table(m)
        m.a(f"COPY {self.p.commarea}.")
        m.a(f"COPY {self.p.name}S.")
        m.a("COPY DFHAID.")
        self.sym.conds += [f"{self.p.commarea}-FIRST", f"{self.p.commarea}-REENTRY"]
        m.a("LINKAGE SECTION.")
        _data(m, "01", "DFHCOMMAREA", "PIC X(100)", 0)

    storage_menu = storage_online

    def menu_table(self, m: Member) -> None:
        _data(m, "01", "WS-OPTION", "PIC 9(02) VALUE ZERO", 0)
        _data(m, "01", "WS-MENU-DATA", "", 0)
        for option in self.p.options:
            text = f"{self.rng.choice(NOUNS)} {self.rng.choice(VERBS)}"[:20]
            _data(m, "05", "FILLER", f"PIC X(28) VALUE '{option:<8}{text:<20}'", 0)
        _data(m, "01", "WS-MENU-TABLE REDEFINES WS-MENU-DATA", "", 0)
        _data(m, "05", "WS-MENU-ENTRY", f"OCCURS {len(self.p.options)} TIMES", 0)
        _data(m, "10", "WS-MENU-PGM", "PIC X(08)", 1)
        _data(m, "10", "WS-MENU-DESC", "PIC X(20)", 1)

    # -------------------------------------------------------------- business paragraphs

    def business(self, budget: int) -> list[tuple[str, str]]:
        """Numbered groups of paragraphs until the program reaches its size."""
        body = Body(self.rng, self.sym, self.p.calls)
        self.biz = Member()
        groups: list[tuple[str, str]] = []
        while len(self.biz) + 2 * len(groups) < budget - 4 and len(groups) < 59:
            number = 3000 + 100 * len(groups)
            head = f"{number}-{self.rng.choice(VERBS)}-{self.rng.choice(NOUNS)}"
            children, paragraphs = [], Member()
            for c in range(1, self.rng.randint(3, 8)):
                if len(self.biz) + len(paragraphs) + 2 * len(groups) + c + 4 >= budget:
                    break
                name = f"{number + 10 * c}-{self.rng.choice(VERBS)}-{self.rng.choice(NOUNS)}"
                ranged = self.rng.random() < 0.3
                body.paragraph(paragraphs, name, ranged)
                children.append((name, ranged))
            if not children:
                break
            self._group_head(body, head, children)
            self.biz.extend(paragraphs)
            when = body.cond(False) if self.rng.random() < 0.2 else ""
            groups.append((head, when))
        return groups

    def _group_head(self, body: Body, head: str, children: list[tuple[str, bool]]) -> None:
        self.biz.a(f"{head}.")
        for name, ranged in children:
            perform = f"PERFORM {name}{f' THRU {name[:4]}-EXIT' if ranged else ''}"
            if self.rng.random() < 0.25:
                self.biz.b(f"IF {body.cond()}", 0)
                self.biz.b(perform, 1)
                self.biz.b("END-IF", 0)
            else:
                self.biz.b(perform)
        self.biz.lines[-1] += "."

    # -------------------------------------------------------------- procedure divisions

    def procedure_batch(self, proc: Member, dispatch: Member, closing: Member, fixed: Member,
                        tail: Member) -> None:
        p, ins = self.p, [f for f in self.p.files if not f.output]
        outs = [f for f in p.files if f.output]
        proc.a("PROCEDURE DIVISION.")
        proc.a("0000-MAIN.")
        proc.b("PERFORM 1000-INITIALISE THRU 1000-EXIT")
        proc.b("PERFORM 2000-PROCESS THRU 2000-EXIT")
        proc.b("UNTIL WS-EOF", 1)
        if p.kind == "sql":
            proc.b("PERFORM 5000-REPORT-FROM-TABLE")
        proc.b("PERFORM 9000-TERMINATE")
        proc.b("MOVE CMN-RETURN-CODE TO RETURN-CODE")
        proc.b("STOP RUN.")
        proc.a("1000-INITIALISE.")
        proc.b("ACCEPT CMN-RUN-DATE FROM DATE YYYYMMDD")
        proc.b("OPEN INPUT " + " ".join(f.select for f in ins))
        proc.b("OPEN OUTPUT " + " ".join(f.select for f in outs))
        proc.b(f"IF NOT WS-{ins[0].ddname}-OK")
        proc.b(f"MOVE 'OPEN FAILED ON {ins[0].ddname}' TO WS-MESSAGE", 1)
        proc.b("PERFORM 9900-ABEND", 1)
        proc.b("GO TO 1000-EXIT", 1)
        proc.b("END-IF")
        for n, f in enumerate(ins):
            proc.b(f"PERFORM {2100 + 10 * n}-READ-{f.ddname}")
        proc.lines[-1] += "."
        proc.a("1000-EXIT.")
        proc.b("EXIT.")
        dispatch.a("2000-PROCESS.")
        dispatch.b("ADD 1 TO WS-PROCESSED-COUNT")
        if p.kind == "sql":
            dispatch.b("PERFORM 4000-SELECT-ROW")
            closing.b("PERFORM 4100-UPDATE-ROW")
        for n, f in enumerate(outs):
            closing.b(f"PERFORM {2200 + 10 * n}-WRITE-{f.ddname}")
        closing.b(f"PERFORM 2100-READ-{ins[0].ddname}.")
        closing.a("2000-EXIT.")
        closing.b("EXIT.")
        for n, f in enumerate(ins):
            self.read_paragraph(fixed, f, 2100 + 10 * n, first=n == 0)
        for n, f in enumerate(outs):
            self.write_paragraph(fixed, f, 2200 + 10 * n)
        if p.kind == "sql":
            self.sql_paragraphs(fixed)
        tail.a("9000-TERMINATE.")
        if p.kind == "sql":
            tail.b("EXEC SQL COMMIT END-EXEC")
        tail.b("CLOSE " + " ".join(f.select for f in p.files))
        tail.b(f"DISPLAY '{p.name} RECORDS READ    ' WS-READ-COUNT")
        tail.b(f"DISPLAY '{p.name} RECORDS WRITTEN ' WS-WRITE-COUNT.")
        tail.a("9900-ABEND.")
        tail.b(f"DISPLAY '{p.name} ABEND: ' WS-MESSAGE")
        tail.b("MOVE 16 TO RETURN-CODE")
        tail.b("STOP RUN.")

    def _record(self, f: FileSpec) -> str:
        return f"{f.tag}-RECORD" if f.tag else f"{f.select[:-5]}-REC"

    def read_paragraph(self, m: Member, f: FileSpec, number: int, first: bool) -> None:
        m.a(f"{number}-READ-{f.ddname}.")
        m.b(f"READ {f.select}{'' if f.tag else f' INTO {f.layout.prefix}-RECORD'}")
        m.b("AT END", 1)
        m.b("SET WS-EOF TO TRUE" if first else f"MOVE HIGH-VALUES TO {self._record(f)}", 2)
        m.b("NOT AT END", 1)
        m.b("ADD 1 TO WS-READ-COUNT", 2)
        m.b("END-READ.")

    def write_paragraph(self, m: Member, f: FileSpec, number: int) -> None:
        prefix = f.tag or f.layout.prefix
        m.a(f"{number}-WRITE-{f.ddname}.")
        m.b(f"MOVE {self.rng.choice(self.sym.nums)} TO {prefix}-{f.layout.amounts[0]}")
        m.b(f"MOVE {_literal(self.rng, f.layout.codes[0][1])} TO {prefix}-{f.layout.codes[0][0]}")
        m.b(f"WRITE {self._record(f)}{'' if f.tag else f' FROM {prefix}-RECORD'}")
        m.b(f"IF NOT WS-{f.ddname}-OK")
        m.b(f"MOVE 'WRITE FAILED ON {f.ddname}' TO WS-MESSAGE", 1)
        m.b("PERFORM 9900-ABEND", 1)
        m.b("END-IF")
        m.b("ADD 1 TO WS-WRITE-COUNT.")

    def sql_paragraphs(self, m: Member) -> None:
        t, table = self.p.table[3:], f"PROD.{self.p.table[3:5]}_TABLE_{self.p.table[-1]}"
        self.sym.nums += [f"{t}-AMOUNT-1", f"{t}-AMOUNT-2"]
        key = next(f for f in self.p.files if not f.output)
        m.a("4000-SELECT-ROW.")
        m.b(f"MOVE {key.tag or key.layout.prefix}-KEY TO {t}-KEY-ID")
        m.b("EXEC SQL")
        m.b("SELECT STATUS_CD, AMOUNT_1, AMOUNT_2, RATE_PCT", 1)
        m.b(f"INTO :{t}-STATUS-CD, :{t}-AMOUNT-1, :{t}-AMOUNT-2,", 1)
        m.b(f"     :{t}-RATE-PCT", 1)
        m.b(f"FROM {table}", 1)
        m.b(f"WHERE KEY_ID = :{t}-KEY-ID", 1)
        m.b("END-EXEC")
        m.b("EVALUATE SQLCODE")
        m.b("WHEN 0", 1)
        m.b(f"ADD {t}-AMOUNT-1 TO {self.rng.choice(self.sym.nums)}", 2)
        m.b("WHEN 100", 1)
        m.b("MOVE 'ROW NOT FOUND' TO WS-MESSAGE", 2)
        m.b("WHEN OTHER", 1)
        m.b("PERFORM 9800-SQL-ERROR", 2)
        m.b("END-EVALUATE.")
        m.a("4100-UPDATE-ROW.")
        m.b("EXEC SQL")
        m.b(f"UPDATE {table}", 1)
        m.b(f"SET AMOUNT_1 = :{t}-AMOUNT-1,", 1)
        m.b("    UPDATED_DT = CURRENT DATE", 1)
        m.b(f"WHERE KEY_ID = :{t}-KEY-ID", 1)
        m.b("END-EXEC")
        m.b("IF SQLCODE NOT = 0")
        m.b("PERFORM 9800-SQL-ERROR", 1)
        m.b("END-IF.")
        m.a("5000-REPORT-FROM-TABLE.")
        m.b("EXEC SQL")
        m.b(f"DECLARE {t}CSR CURSOR FOR", 1)
        m.b(f"SELECT KEY_ID, AMOUNT_1 FROM {table}", 1)
        m.b("WHERE STATUS_CD = 'A'", 1)
        m.b("END-EXEC")
        m.b(f"EXEC SQL OPEN {t}CSR END-EXEC")
        m.b("PERFORM UNTIL SQLCODE NOT = 0")
        m.b(f"EXEC SQL FETCH {t}CSR INTO :{t}-KEY-ID, :{t}-AMOUNT-1", 1)
        m.b("END-EXEC", 1)
        m.b("IF SQLCODE = 0", 1)
        m.b(f"ADD {t}-AMOUNT-1 TO {self.rng.choice(self.sym.nums)}", 2)
        m.b("END-IF", 1)
        m.b("END-PERFORM")
        m.b(f"EXEC SQL CLOSE {t}CSR END-EXEC.")
        m.a("9800-SQL-ERROR.")
        m.b("MOVE SQLCODE TO WS-SQLCODE")
        m.b(f"DISPLAY '{self.p.name} SQL ERROR ' WS-SQLCODE")
        m.b("EXEC SQL ROLLBACK END-EXEC")
        m.b("PERFORM 9900-ABEND.")

    def procedure_sub(self, proc: Member, dispatch: Member, closing: Member, fixed: Member,
                      tail: Member) -> None:
        proc.a("PROCEDURE DIVISION USING LK-PARMS.")
        proc.a("0000-MAIN.")
        proc.b("MOVE ZERO TO LK-RETURN-CODE")
        proc.b("EVALUATE TRUE")
        proc.b("WHEN LK-FN-CALC", 1)
        proc.b("PERFORM 2000-PROCESS", 2)
        proc.b("WHEN LK-FN-VALIDATE", 1)
        proc.b("PERFORM 2500-VALIDATE", 2)
        proc.b("WHEN OTHER", 1)
        proc.b("MOVE 12 TO LK-RETURN-CODE", 2)
        proc.b("END-EVALUATE")
        proc.b("GOBACK.")
        dispatch.a("2000-PROCESS.")
        dispatch.b(f"MOVE LK-AMOUNT TO {self.rng.choice(self.sym.nums)}")
        closing.b(f"MOVE {self.rng.choice(self.sym.nums)} TO LK-RESULT.")
        fixed.a("2500-VALIDATE.")
        fixed.b("IF LK-AMOUNT < ZERO OR LK-RATE > 100")
        fixed.b("MOVE 8 TO LK-RETURN-CODE", 1)
        fixed.b("ELSE")
        fixed.b("MOVE ZERO TO LK-RETURN-CODE", 1)
        fixed.b("END-IF.")

    def procedure_online(self, proc: Member, dispatch: Member, closing: Member, fixed: Member,
                         tail: Member) -> None:
        p, comm, mapname = self.p, self.p.commarea, self.p.name + "A"
        proc.a("PROCEDURE DIVISION.")
        proc.a("0000-MAIN.")
        proc.b("IF EIBCALEN = 0")
        proc.b(f"MOVE LOW-VALUES TO {mapname}O", 1)
        proc.b("PERFORM 8000-SEND-MAP", 1)
        proc.b("ELSE")
        proc.b(f"MOVE DFHCOMMAREA (1:EIBCALEN) TO {comm}-AREA", 1)
        proc.b("EVALUATE EIBAID", 1)
        proc.b("WHEN DFHENTER", 2)
        proc.b("PERFORM 1000-RECEIVE-MAP", 3)
        proc.b("PERFORM 2000-PROCESS", 3)
        proc.b("PERFORM 8000-SEND-MAP", 3)
        proc.b("WHEN DFHPF3", 2)
        if p.kind == "menu":
            proc.b("EXEC CICS RETURN END-EXEC", 3)
        else:
            proc.b(f"MOVE '{p.name}' TO {comm}-FROM-PGM", 3)
            proc.b(f"EXEC CICS XCTL PROGRAM('{p.menu}')", 3)
            proc.b(f"     COMMAREA({comm}-AREA)", 3)
            proc.b("END-EXEC", 3)
        proc.b("WHEN OTHER", 2)
        proc.b("MOVE 'INVALID KEY PRESSED' TO WS-MESSAGE", 3)
        proc.b("PERFORM 8000-SEND-MAP", 3)
        proc.b("END-EVALUATE", 1)
        proc.b("END-IF")
        proc.b(f"EXEC CICS RETURN TRANSID('{p.transid}')")
        proc.b(f"     COMMAREA({comm}-AREA)")
        proc.b("END-EXEC.")
        self.receive_paragraphs(proc, mapname)
        dispatch.a("2000-PROCESS.")
        dispatch.b("MOVE SPACES TO WS-MESSAGE")
        if p.kind == "menu":
            self.menu_choice(closing)
        else:
            closing.b(f"MOVE WSR-KEY TO {comm}-KEY.")
        tail.a("8000-SEND-MAP.")
        tail.b("MOVE WS-MESSAGE TO SCRMSGO")
        tail.b(f"EXEC CICS SEND MAP('{mapname}') MAPSET('{p.name}S')")
        tail.b(f"     FROM({mapname}O) ERASE")
        tail.b("END-EXEC.")

    procedure_menu = procedure_online

    def receive_paragraphs(self, m: Member, mapname: str) -> None:
        m.a("1000-RECEIVE-MAP.")
        m.b(f"EXEC CICS RECEIVE MAP('{mapname}') MAPSET('{self.p.name}S')")
        m.b(f"     INTO({mapname}I) RESP(WS-RESP)")
        m.b("END-EXEC")
        m.b("MOVE SCRKEYI TO WS-RECORD-KEY")
        m.b("PERFORM 1100-READ-RECORD.")
        m.a("1100-READ-RECORD.")
        m.b(f"EXEC CICS READ FILE('{self.p.area}{self.rng.choice(NOUNS)}F')")
        m.b("     INTO(WS-FILE-REC)")
        m.b("     RIDFLD(WS-RECORD-KEY)")
        m.b("     RESP(WS-RESP)")
        m.b("END-EXEC")
        m.b("EVALUATE WS-RESP")
        m.b("WHEN DFHRESP(NORMAL)", 1)
        m.b(f"SET {self.p.commarea}-REENTRY TO TRUE", 2)
        m.b("WHEN DFHRESP(NOTFND)", 1)
        m.b("MOVE 'RECORD NOT FOUND' TO WS-MESSAGE", 2)
        m.b("WHEN OTHER", 1)
        m.b("MOVE 'FILE ERROR - CALL SUPPORT' TO WS-MESSAGE", 2)
        m.b("END-EVALUATE.")

    def menu_choice(self, m: Member) -> None:
        comm = self.p.commarea
        m.b("MOVE SCROPTI TO WS-OPTION")
        m.b(f"IF WS-OPTION < 1 OR WS-OPTION > {len(self.p.options)}")
        m.b("MOVE 'INVALID OPTION' TO WS-MESSAGE", 1)
        m.b("ELSE")
        m.b(f"MOVE '{self.p.name}' TO {comm}-FROM-PGM", 1)
        m.b("EXEC CICS XCTL PROGRAM(WS-MENU-PGM (WS-OPTION))", 1)
        m.b(f"     COMMAREA({comm}-AREA)", 1)
        m.b("END-EXEC", 1)
        m.b("END-IF.")


# ------------------------------------------------------------------ JCL


def _dd(lines: list[str], dd: str, dsn: str, disp: str, new: bool = False) -> None:
    if not new:
        lines.append(f"//{dd:<8} DD DSN={dsn},DISP={disp}")
        return
    lines += [f"//{dd:<8} DD DSN={dsn},", "//            DISP=(NEW,CATLG,DELETE),",
              "//            UNIT=SYSDA,SPACE=(CYL,(10,5),RLSE),",
              "//            DCB=(RECFM=FB,LRECL=200,BLKSIZE=0)"]


def proc_text(name: str, program: Program) -> str:
    """A cataloged procedure running one batch program, data set names built from &HLQ."""
    lines = [f"//{name:<8} PROC HLQ=PROD,RUNTYPE=D,OUTCLS=*",
             f"//*  {name} - RUN {program.name} AGAINST THE &HLQ DATA SETS",
             f"//PSTEP    EXEC PGM={program.name},PARM='&RUNTYPE'",
             "//STEPLIB  DD DSN=&HLQ..LOADLIB,DISP=SHR"]
    for f in program.files:
        if f.output:
            _dd(lines, f.ddname, f"&HLQ..{program.area}.{program.name}.{f.ddname}", "", True)
        else:
            _dd(lines, f.ddname, f"&HLQ..{program.area}.MASTER.{f.ddname}", "SHR")
    lines.append("//SYSOUT   DD SYSOUT=&OUTCLS")
    return "\n".join(lines) + "\n"


def job_text(name: str, chain: list[Program], procs: dict[str, str], rng: random.Random) -> str:
    """A job deck whose steps pass each program's first output to the next one's input."""
    lines = [f"//{name:<8} JOB ({chain[0].area}{rng.randint(1000, 9999)},'BATCH'),"
             f"'{chain[0].area} CYCLE',CLASS=A,",
             "//             MSGCLASS=X,MSGLEVEL=(1,1),NOTIFY=&SYSUID",
             f"//*  {name} - {' > '.join(p.name for p in chain)}"[:71],
             "//JOBLIB   DD DSN=PROD.LOADLIB,DISP=SHR"]
    handed = ""
    for n, program in enumerate(chain, 1):
        step = f"STEP{n * 10:03d}"
        cond = ",COND=(4,LT)" if n > 1 else ""
        lines.append("//*")
        if program.name in procs:
            handed = _proc_step(lines, step, cond, program, procs[program.name], handed)
            continue
        if program.kind == "sql":
            lines.append(f"//{step:<8} EXEC PGM=IKJEFT01,DYNAMNBR=20{cond}")
            lines.append("//STEPLIB  DD DSN=DB2P.SDSNLOAD,DISP=SHR")
        else:
            lines.append(f"//{step:<8} EXEC PGM={program.name},REGION=8M{cond}")
        first_out = ""
        for f in program.files:
            if f.output:
                dsn = f"PROD.{program.area}.{name}.{step}.{f.ddname}"
                first_out = first_out or dsn
                _dd(lines, f.ddname, dsn, "", True)
            elif handed and f is program.files[0]:
                _dd(lines, f.ddname, handed, rng.choice(("SHR", "SHR", "(OLD,DELETE,KEEP)")))
            else:
                _dd(lines, f.ddname, f"PROD.{program.area}.MASTER.{f.ddname}", "SHR")
        lines.append("//SYSOUT   DD SYSOUT=*")
        if program.kind == "sql":
            lines += ["//SYSTSPRT DD SYSOUT=*", "//SYSTSIN  DD *", "  DSN SYSTEM(DB2P)",
                      f"  RUN PROGRAM({program.name}) PLAN({program.name}P) -",
                      "      LIB('PROD.LOADLIB')", "  END", "/*"]
        handed = first_out
    lines.append("//")
    return "\n".join(lines) + "\n"


def _proc_step(lines: list[str], step: str, cond: str, program: Program, proc: str,
               handed: str) -> str:
    lines.append(f"//{step:<8} EXEC {proc},HLQ=PROD,RUNTYPE=M{cond}")
    first = program.files[0]
    if handed and not first.output:
        lines.append(f"//PSTEP.{first.ddname} DD DSN={handed},DISP=SHR")
    out = next(f for f in program.files if f.output)
    return f"PROD.{program.area}.{program.name}.{out.ddname}"


# ------------------------------------------------------------------ the estate on disk


def _write(path: Path, text: str) -> int:
    path.write_text(text, encoding="utf-8", newline="\n")
    return text.count("\n")


def write_estate(out: Path, lines: int, seed: int = 1) -> dict[str, int]:
    """Plan and write the estate under `out`; the counts of what was written."""
    estate = plan(lines, seed)
    for sub in ("cbl", "copybooks", "jcl", "proc"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    cbl = sum(_write(out / "cbl" / f"{p.name}.cbl", ProgramWriter(p, seed).text())
              for p in estate.programs)
    books = out / "copybooks"
    for book in estate.copybooks:
        _write(books / f"{book.name}.cpy", layout_text(book))
    for name, text in common_texts().items():
        _write(books / f"{name}.cpy", text)
    for table in estate.tables:
        _write(books / f"{table}.cpy", dclgen_text(table))
    for comm in estate.commareas:
        _write(books / f"{comm}.cpy", commarea_text(comm))
    for program in estate.programs:
        if program.kind in ("online", "menu"):
            _write(books / f"{program.name}S.cpy", map_text(program))
    rng = random.Random(f"jcl:{seed}")
    for n, chain in enumerate(estate.jobs, 1):
        job = f"{chain[0].area}J{n:03d}"
        _write(out / "jcl" / f"{job}.jcl", job_text(job, chain, estate.procs, rng))
    for program_name, proc in sorted(estate.procs.items()):
        _write(out / "proc" / f"{proc}.prc", proc_text(proc, _by_name(estate.programs,
                                                                        program_name)))
    _write(out / "logicmine.toml", 'copybook_paths = ["copybooks"]\n')
    return {"programs": len(estate.programs), "cobol_lines": cbl, "jobs": len(estate.jobs),
            "copybooks": len(list(books.iterdir())), "procs": len(estate.procs)}


def main(argv: list[str] | None = None) -> None:
    """Command line: write the estate and say what was written."""
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("outdir", type=Path)
    args.add_argument("--lines", type=int, required=True, help="physical lines of programs")
    args.add_argument("--seed", type=int, default=1)
    opts = args.parse_args(argv)
    if opts.outdir.exists() and any(opts.outdir.iterdir()):
        args.error(f"{opts.outdir} is not empty")
    started = time.perf_counter()
    counts = write_estate(opts.outdir, opts.lines, opts.seed)
    print(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) +
          f" in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
