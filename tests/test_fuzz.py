"""Property-based fuzzing of the readers and the rule renderers.

Extends tests/test_preprocess.py (the source map of well-formed card images) and
tests/test_jcl.py (random JCL lines) with: arbitrary card images and copybooks, REPLACING,
literal continuation and the sequence/identification areas for the preprocessor; split and
broken continuations for the JCL reader; and `rule_sentence`, `decision_table`/`table_csv`
and `expand_abbreviated`, which must never fail and never drop a data name.

Example counts are sized for CI (the whole file in well under a minute on two cores);
LOGICMINE_FUZZ_SCALE multiplies them (benchmarks/fuzz_long.py runs with a large scale).
"""

from __future__ import annotations

import csv
import io
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicmine.conditions import expand_abbreviated
from logicmine.decisions import decision_table, table_csv
from logicmine.lang.cobol.preprocess import CopybookResolver, build_copybook_index, preprocess
from logicmine.lang.jcl import parse_jcl
from logicmine.model import Branch, Rule
from logicmine.summarise.offline import rule_sentence

SCALE = max(1, int(os.environ.get("LOGICMINE_FUZZ_SCALE", "1")))


def fuzz(examples: int):
    """Hypothesis settings: `examples` times the scale, no deadline (CI machines vary)."""
    return settings(max_examples=examples * SCALE, deadline=None, derandomize=SCALE == 1,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------- shared strategies

RESERVED = {"AND", "OR", "NOT", "IS", "TO", "THAN", "EQUAL", "EQUALS", "GREATER", "LESS",
            "OTHER", "THRU", "THROUGH", "ALSO", "ANY", "TRUE", "FALSE", "WHEN", "OTHERWISE"}
names = st.from_regex(r"[A-Z][A-Z0-9]{0,6}(?:-[A-Z0-9]{1,5}){1,2}", fullmatch=True).filter(
    lambda n: n not in RESERVED)
numbers = st.integers(0, 99_999).map(str)
literal_text = st.text(st.sampled_from("ABCXYZ 019(),:.*=-+@<>&\"`"), min_size=0, max_size=12)
literals = literal_text.map(lambda t: "'" + t + "'")


def card(code: str = "", indicator: str = " ", seq: str = "", ident: str = "") -> str:
    """A card-image line; `code` is program text from column 8."""
    text = seq[:6].ljust(6) + indicator + code
    return text.ljust(72) + ident if ident else text


def word_set(text: str) -> set[str]:
    return set(re.findall(r"[A-Z0-9]+(?:-[A-Z0-9]+)+", text))


# ---------------------------------------------------------------- preprocessor

_CODE_TOKENS = st.sampled_from([
    "MOVE", "TO", "WS-A", "WS-B", "IF", "END-IF", ".", "'", '"', "==", "COPY", "REPLACING",
    "BY", "EXEC", "CICS", "SQL", "END-EXEC", "*>", "\t", "(", ")", "X'00'", "PROCEDURE",
    "DIVISION", "REPLACE", "OFF", "LEADING", "TRAILING", "MEM0", "MEM1", "GHOST", ">>SOURCE",
    "FORMAT", "FREE", "FIXED", "NOT=", "<>", "FUNCTION", "CURRENT-DATE(1:8)", "Ü", "€",
])
_code = st.lists(_CODE_TOKENS, max_size=14).map(" ".join)
_any_line = st.one_of(
    st.builds(card, _code, st.sampled_from(" *-/Dd$"), st.text("0123456789AB ", max_size=6),
              st.sampled_from(["", "IDENT001", "X" * 30])),
    st.text(max_size=90),  # anything at all, also a tab, a NUL or a lone surrogate-free char
    st.just(""),
    _code,  # free-format looking text
)


@st.composite
def card_estate(draw):
    """A main program and two copybooks of arbitrary lines."""
    files = {f"cpy/MEM{i}.cpy": "\n".join(draw(st.lists(_any_line, max_size=12))) for i in (0, 1)}
    main = "\n".join(draw(st.lists(_any_line, max_size=30)))
    return main, files


def run_pre(text: str, files: dict[str, str], source_format: str = "auto"):
    index = build_copybook_index(files, ())
    resolver = CopybookResolver(index, (), loader=files.__getitem__, files=files)
    return preprocess(text, "src/MAIN.cbl", resolver, source_format=source_format)


def physical(main: str, files: dict[str, str]) -> dict[str, list[str]]:
    texts = {"src/MAIN.cbl": main, **files}
    return {path: text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            for path, text in texts.items()}


@fuzz(300)
@given(card_estate(), st.sampled_from(["auto", "fixed", "free"]))
def test_any_card_images_preprocess_to_lines_that_map_to_real_lines(sample, source_format):
    main, files = sample
    pre = run_pre(main, files, source_format)
    real = physical(main, files)
    out = pre.text.split("\n")[:-1]  # the text ends with a newline, or is empty
    assert pre.text.endswith("\n") or pre.text == ""
    assert len(out) == len(pre.origins)
    for line, origin in zip(out, pre.origins, strict=True):
        assert origin.file in real and 1 <= origin.line <= len(real[origin.file]), origin
        assert line == "" or line.startswith(" " * 7), line
    for diag in pre.diagnostics:
        assert diag.file in real and 0 <= diag.line <= len(real[diag.file]), diag
    for block in pre.exec_blocks:
        assert block.file in real and 1 <= block.line <= block.end_line <= len(real[block.file])


_TAG_WORDS = st.sampled_from(["AMT", "CUST-ID", "X", "RATE-1", ":TAG:", "(P)"])


@st.composite
def tagged_member(draw):
    """A copybook whose lines mix a tag word with other words, and literals holding the tag."""
    tag = draw(_TAG_WORDS)
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        words = draw(st.lists(st.sampled_from([tag, "MOVE", "WS-OTHER", "TO", "PIC", "X(4)",
                                               f"{tag}-SUFFIX", f"'{tag}'"]),
                              min_size=1, max_size=6))
        while len("    " + " ".join(words)) > 65:  # program text ends at column 72
            words.pop()
        lines.append("    " + " ".join(words))
    return tag, lines


def _outside_literals(text: str) -> str:
    return re.sub(r"'[^']*'", "''", text)


def _whole_words(text: str, word: str) -> int:
    return len(re.findall(r"(?<![A-Z0-9:()-])" + re.escape(word) + r"(?![A-Z0-9:()-])", text))


@fuzz(200)
@given(tagged_member(), st.sampled_from(["NEW-NAME", "Z9", "ACCT-NO"]))
def test_replacing_replaces_each_whole_word_tag_and_nothing_in_literals(member, new):
    tag, lines = member
    files = {"cpy/MEM.cpy": "\n".join(card(line) for line in lines) + "\n"}
    main = card(f"COPY MEM REPLACING =={tag}== BY =={new}==.") + "\n"
    pre = run_pre(main, files, "fixed")
    out = [line for line, origin in zip(pre.text.split("\n")[:-1], pre.origins, strict=True)
           if origin.file == "cpy/MEM.cpy"]
    source = "\n".join(lines)
    body = "\n".join(out)
    assert _whole_words(_outside_literals(body), tag) == 0, body
    assert (_whole_words(_outside_literals(body), new)
            == _whole_words(_outside_literals(source), tag) + _whole_words(
                _outside_literals(source), new))
    assert re.findall(r"'[^']*'", body) == re.findall(r"'[^']*'", source)  # literals untouched


_LITERAL_CHARS = st.text(st.sampled_from("ABCDEFGHIJ 0123456789-.,"), min_size=1, max_size=60)


@fuzz(200)
@given(st.lists(_LITERAL_CHARS, min_size=2, max_size=4), st.sampled_from(["'", '"']))
def test_a_continued_literal_comes_out_whole_on_its_first_line(parts, quote):
    head = "    MOVE " + quote
    first = head + parts[0]
    first = first[:65].ljust(65, "X")  # fill the line to column 72 exactly
    pieces = [first[len(head):]]
    lines = [card(first)]
    for part in parts[1:-1]:
        text = ("    " + quote + part)[:65].ljust(65, "Y")
        pieces.append(text[5:])
        lines.append(card(text, "-"))
    pieces.append(parts[-1])
    lines.append(card("    " + quote + parts[-1] + quote + " TO WS-A.", "-"))
    main = "\n".join([card("PROCEDURE DIVISION."), card("MAIN-PARA."), *lines]) + "\n"
    pre = run_pre(main, {}, "fixed")
    out = pre.text.split("\n")
    literal = quote + "".join(pieces) + quote
    assert literal in out[2], (out[2], literal)
    assert pre.origins[2].line == 3
    assert [o.line for o in pre.origins[2:2 + len(lines)]] == list(range(3, 3 + len(lines)))
    assert pre.text.split()[-2:] == ["TO", "WS-A."]


_PROGRAM = [
    "IDENTIFICATION DIVISION.", "PROGRAM-ID. FUZZ.", "DATA DIVISION.",
    "WORKING-STORAGE SECTION.", "01 WS-A PIC X(10).", "PROCEDURE DIVISION.", "MAIN-PARA.",
    "    IF WS-A = 'X' MOVE 'Y' TO WS-A END-IF", "    STOP RUN.",
]


@fuzz(150)
@given(st.lists(st.tuples(st.text("0123456789ABCXYZ ", max_size=6),
                          st.text(st.characters(min_codepoint=33, max_codepoint=126)
                                  | st.just(" "), max_size=8)),
                min_size=len(_PROGRAM), max_size=len(_PROGRAM)))
def test_sequence_and_identification_areas_never_change_the_program(areas):
    plain = "\n".join(card(code) for code in _PROGRAM) + "\n"
    marked = "\n".join(card(code, seq=seq, ident=ident or " ")
                       for code, (seq, ident) in zip(_PROGRAM, areas, strict=True)) + "\n"
    assert run_pre(marked, {}, "fixed").text == run_pre(plain, {}, "fixed").text


# ---------------------------------------------------------------- JCL reader

dataset = st.from_regex(r"[A-Z][A-Z0-9]{0,7}(?:\.[A-Z][A-Z0-9]{0,7}){1,3}", fullmatch=True)
member = st.from_regex(r"[A-Z][A-Z0-9]{0,7}", fullmatch=True)


@st.composite
def jcl_job(draw):
    """A job as statements: (name, operation, operands)."""
    statements = [(draw(member), "JOB", ["(ACCT)", "'FUZZ'", "CLASS=A", "MSGCLASS=X"])]
    for _ in range(draw(st.integers(1, 4))):
        statements.append((draw(member), "EXEC", [f"PGM={draw(member)}", "REGION=8M"]))
        for _ in range(draw(st.integers(0, 4))):
            disp = draw(st.sampled_from(["SHR", "OLD", "(NEW,CATLG,DELETE)", "(MOD,KEEP)"]))
            operands = [f"DSN={draw(dataset)}", f"DISP={disp}"]
            operands += draw(st.lists(st.sampled_from(
                ["UNIT=SYSDA", "SPACE=(CYL,(5,5),RLSE)", "DCB=(RECFM=FB,LRECL=80)"]),
                max_size=2, unique=True))
            statements.append((draw(member), "DD", operands))
    return statements


def render_jcl(statements, splits) -> str:
    """Statements continued after the commas `splits` chooses, and wherever column 71 ends."""
    lines = []
    for (name, op, operands), split in zip(statements, splits, strict=True):
        current = f"//{name:<8} {op:<4} "
        for i, operand in enumerate(operands):
            last = i == len(operands) - 1
            current += operand + ("" if last else ",")
            after = "" if last else operands[i + 1] + ","
            if not last and (split[i % len(split)] or len(current) + len(after) > 71):
                lines.append(current)
                current = "//" + " " * (2 + i % 10)  # continued in columns 4-13
        lines.append(current)
    assert all(len(line) <= 71 for line in lines)
    return "\n".join(lines) + "\n"


def jcl_facts(text: str):
    result = parse_jcl(text, "fuzz.jcl")
    return [(job.name, [(s.name, s.program, [(d.name, d.dsn, d.disp) for d in s.dds])
                        for s in job.steps]) for job in result.jobs], result


@fuzz(200)
@given(jcl_job(), st.data())
def test_continuing_a_statement_after_any_comma_keeps_its_facts(statements, data):
    splits = [data.draw(st.lists(st.booleans(), min_size=1, max_size=6)) for _ in statements]
    every_comma, _ = jcl_facts(render_jcl(statements, [[True]] * len(statements)))
    continued, result = jcl_facts(render_jcl(statements, splits))
    assert continued == every_comma
    assert not [d for d in result.diagnostics if d.severity != "info"], result.diagnostics
    assert len(continued[0][1]) == sum(op == "EXEC" for _, op, _ in statements)


@fuzz(200)
@given(jcl_job(), st.data())
def test_a_broken_continuation_is_reported_on_a_real_line_and_the_rest_is_read(statements,
                                                                               data):
    text = render_jcl(statements, [[True]] * len(statements))
    lines = text.split("\n")[:-1]
    broken = data.draw(st.lists(st.integers(0, len(lines) - 1), min_size=1, max_size=3))
    for index in broken:
        how = data.draw(st.sampled_from(["drop-slashes", "far-column", "delete", "garbage"]))
        if how == "drop-slashes":
            lines[index] = lines[index].lstrip("/")
        elif how == "far-column":
            lines[index] = "//" + " " * 20 + lines[index].lstrip("/ ")
        elif how == "delete":
            lines[index] = "//*"
        else:
            lines[index] = data.draw(st.text(max_size=80)).replace("\n", " ").replace("\r", " ")
    text = "\n".join(lines) + "\n"
    result = parse_jcl(text, "broken.jcl")
    count = len(text.split("\n"))
    assert all(1 <= d.line <= count and d.code != "jcl-internal" for d in result.diagnostics)
    for job in result.jobs:
        for step in job.steps:
            assert 1 <= step.line <= count
            assert all(1 <= dd.line <= count for dd in step.dds)


# ---------------------------------------------------------------- conditions

_OPS = st.sampled_from(["=", ">", "<", ">=", "<=", "NOT =", "NOT <", "EQUAL", "EQUAL TO",
                        "GREATER THAN", "IS LESS THAN", "NOT GREATER THAN"])
_VALUES = st.one_of(numbers, literals, names)


@st.composite
def abbreviated(draw):
    """(abbreviated condition, the same written out in full, data names in it)."""
    subject, op, value = draw(names), draw(_OPS), draw(_VALUES)
    short = [subject, op, value]
    full = [subject, op, value]
    used = {subject, value}
    for _ in range(draw(st.integers(1, 4))):
        join = draw(st.sampled_from(["AND", "OR"]))
        how = draw(st.sampled_from(["value", "operator", "relation"]))
        value = draw(_VALUES)
        used.add(value)
        if how == "value":  # `A = 1 OR 2`
            short += [join, value]
            full += [join, subject, op, value]
        elif how == "operator":  # `A > 1 AND < 9`
            op = draw(_OPS)
            short += [join, op, value]
            full += [join, subject, op, value]
        else:  # a full relation of its own
            subject, op = draw(names), draw(_OPS)
            used.add(subject)
            short += [join, subject, op, value]
            full += [join, subject, op, value]
    return " ".join(short), " ".join(full), {n for n in used if n[0] not in "'0123456789"}


def no_condition_names(_name: str) -> bool:
    return False


@fuzz(500)
@given(abbreviated())
def test_abbreviated_conditions_are_written_out_in_full(sample):
    short, full, used = sample
    expanded = expand_abbreviated(short, no_condition_names)
    assert expanded == full
    assert expand_abbreviated(full, no_condition_names) == full  # nothing left to expand
    assert used <= word_set(expanded) | {n for n in used if n in expanded}


@fuzz(300)
@given(st.lists(st.one_of(names, numbers, literals, st.sampled_from(
    ["AND", "OR", "NOT", "(", ")", "=", ">", "<", "IS", "GREATER", "THAN", "NUMERIC",
     "FUNCTION", "+", "*", ",", ":"])), max_size=20))
def test_any_token_soup_expands_without_error_or_losing_a_name(tokens):
    text = " ".join(tokens)
    expanded = expand_abbreviated(text, lambda n: n.endswith("-OK"))
    for name in {t for t in tokens if t[0].isalpha() and "-" in t}:
        assert name in expanded, (text, expanded)
    # literals intact (a subject written out again repeats its literals, never changes them)
    assert set(re.findall(r"'[^']*'", expanded)) == set(re.findall(r"'[^']*'", text))


# ---------------------------------------------------------------- rule sentences and tables

_ACTIONS = st.one_of(
    st.builds(lambda v, n: f"MOVE {v} TO {n}", _VALUES, names),
    st.builds(lambda v, n: f"MOVE {v} TO {n}", st.sampled_from(["=1+1", "@X", "-A-B"]), names),
    st.builds(lambda a, b: f"ADD {a} TO {b}", names, names),
    st.builds(lambda n: f"SET {n} TO TRUE", names),
    st.builds(lambda a, b, c: f"COMPUTE {a} = {b} * {c}", names, names, numbers),
    st.builds(lambda v: f"DISPLAY {v}", literals),
    st.just("PERFORM 2000-NEXT-STEP"),
)
_CONDITION = st.builds(lambda a, op, v: f"{a} {op} {v}", names, _OPS, _VALUES)
# What a hostile source can put in a WHEN object or a MOVE: a spreadsheet formula.
_CELLS = st.one_of(_VALUES, st.sampled_from(["=1+1", "-WS-A+1", "@SUM(A1)", "+CMD|X", "\tX"]))
_EXCEPTIONS = {"calculation": ["ON SIZE ERROR", "NOT ON SIZE ERROR"],
               "data-access": ["AT END", "NOT AT END", "INVALID KEY", "NOT INVALID KEY"]}


@st.composite
def rules(draw):
    """A rule as the extractor makes them: branches, with inputs and outputs from them."""
    kind = draw(st.sampled_from(["calculation", "validation", "decision", "routing",
                                 "state-transition", "data-access", "error-handling"]))
    statement = kind in ("calculation", "data-access")  # branches are its exceptions
    subjects = () if statement else tuple(draw(st.lists(names, max_size=2)))
    branches = []
    for number in range(draw(st.integers(0 if statement else 1, 4))):
        actions = tuple(draw(st.lists(_ACTIONS, min_size=1, max_size=4)))
        values = tuple(draw(_CELLS) for _ in subjects)
        if statement:
            condition = draw(st.sampled_from(_EXCEPTIONS[kind]))
        elif subjects:
            condition = " AND ".join(f"{s} = {v}"
                                     for s, v in zip(subjects, values, strict=True))
        else:
            condition = draw(_CONDITION)
        branches.append(Branch(condition, actions, 10 + number, 11 + number, values))
    if branches and not statement and draw(st.booleans()):
        last = branches[-1]
        branches[-1] = Branch("OTHERWISE", last.actions, last.line, last.end_line,
                              ("OTHER",) * len(subjects))
    head = draw(_ACTIONS) if kind in ("calculation", "data-access") else ""
    if kind == "data-access":
        head = f"READ {draw(names)} INTO {draw(names)}"
    shown = " ".join([head] + [b.condition + " " + " ".join(b.actions) for b in branches])
    used = word_set(shown)
    outputs = tuple(sorted(word_set(head)))[:2]
    inputs = tuple(sorted(used - set(outputs)))[:3]
    if kind != "calculation":
        outputs, inputs = (), ()
    return Rule(id="FUZZ-1", program="FUZZ", procedure=draw(st.sampled_from(["", "1000-P"])),
                kind=kind, file="src/FUZZ.cbl", start_line=10, end_line=20,
                conditions=tuple(b.condition for b in branches), actions=(head,) if head else (),
                text=head or (branches[0].condition if branches else ""),
                branches=tuple(branches), inputs=inputs, outputs=outputs,
                subjects=subjects if branches else ())


@fuzz(400)
@given(rules())
def test_a_rule_sentence_names_every_data_name_of_the_rule(rule):
    sentence = rule_sentence(rule)
    assert sentence.strip()
    shown = [rule.text, *rule.actions[:1], *rule.inputs, *rule.outputs]
    shown += [part for b in rule.branches for part in (b.condition, *b.actions)]
    missing = word_set(" ".join(shown)) - word_set(sentence)
    assert not missing, (missing, sentence)


@fuzz(400)
@given(rules())
def test_a_decision_table_csv_has_every_name_and_no_formula_cell(rule):
    table = decision_table(rule)
    if not rule.branches:
        assert table is None
        return
    text = table_csv(table, rule.file)
    rows = list(csv.reader(io.StringIO(text)))
    width = len(table.conditions) + len(table.actions) + 1
    assert len(rows) == len(rule.branches) + 1 and all(len(r) == width for r in rows)
    shown = [*rule.subjects] + [part for b in rule.branches
                                for part in ((*b.values,) if rule.subjects else (b.condition,))
                                + b.actions]
    missing = word_set(" ".join(shown)) - word_set(text)
    assert not missing, (missing, text)
    for row in rows:
        for cell in row:
            assert not re.match(r"[=@\t\r]|[+-](?![\d.,]+$)", cell), cell
