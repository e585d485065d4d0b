"""Say conditions explicitly: abbreviated COBOL conditions and EVALUATE ... ALSO subjects.

`IF A = 1 OR 2` tests `A = 1 OR A = 2`; `IF X > 5 AND < 10` tests `X > 5 AND X < 10`;
`EVALUATE A ALSO B / WHEN 1 ALSO 'X'` tests `A = 1 AND B = 'X'`. A reviewer should not have
to know the abbreviation rules to read a rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .lang.cobol.scanner import Token, tokenize

_OPS = {"=", ">", "<", ">=", "<=", "<>"}
_OP_WORDS = {"EQUAL", "EQUALS", "GREATER", "LESS", "THAN", "TO", "IS"}
_JOINS = {"AND", "OR"}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def _is_op(tokens: list[Token], i: int) -> int:
    """Length of a relational operator starting at token i (0 when none)."""
    j = i
    if j < len(tokens) and tokens[j].upper == "IS":
        j += 1
    if j < len(tokens) and tokens[j].upper == "NOT":
        j += 1
    if j < len(tokens) and tokens[j].text in _OPS:
        return j - i + 1
    if j < len(tokens) and tokens[j].upper in ("EQUAL", "EQUALS", "GREATER", "LESS"):
        k = j + 1
        while k < len(tokens) and tokens[k].upper in ("THAN", "TO", "OR", "EQUAL"):
            if tokens[k].upper == "OR" and (k + 1 >= len(tokens) or tokens[k + 1].upper != "EQUAL"):
                break
            k += 1
        return k - i
    return 0


def expand_abbreviated(text: str, is_condition_name: Callable[[str], bool]) -> str:
    """The condition with implied subjects and operators written out."""
    tokens = tokenize(text)
    if not any(t.upper in _JOINS for t in tokens):
        return text
    out: list[str] = []
    subject: list[str] = []
    operator: list[str] = []
    changed = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.upper in _JOINS and subject and operator:
            out.append(tok.text)
            i += 1
            out_i, i, filled = _after_join(tokens, i, subject, operator, is_condition_name)
            out.extend(out_i)
            changed = changed or filled
            continue
        length = _is_op(tokens, i)
        if length:
            subject = _last_operand(out)
            operator = [t.text for t in tokens[i : i + length]]
            out.extend(operator)
            i += length
            continue
        out.append(tok.text)
        i += 1
    return _join(out) if changed else text


def _after_join(tokens, i, subject, operator, is_condition_name):
    """Tokens after AND/OR: fill in an implied subject and, when missing, the operator."""
    negated = []
    if i < len(tokens) and tokens[i].upper == "NOT" and not _is_op(tokens, i):
        negated, i = [tokens[i].text], i + 1
    length = _is_op(tokens, i)
    if length:  # `AND < 10`: the subject is implied
        op = [t.text for t in tokens[i : i + length]]
        operator[:] = op
        return negated + subject + op, i + length, True
    if i < len(tokens) and _operand_alone(tokens, i, is_condition_name):
        return negated + subject + operator + [tokens[i].text], i + 1, True
    return negated, i, False


def _operand_alone(tokens: list[Token], i: int, is_condition_name) -> bool:
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    # alone only when the condition goes on (AND/OR) or ends right after it: `X NOT NUMERIC`,
    # `A + B < 0` and `FUNCTION MOD (...)` are conditions or expressions of their own
    if nxt is not None and nxt.upper not in _JOINS and nxt.text != ")":
        return False
    if tok.kind in ("lit", "num"):
        return True
    return tok.kind == "word" and not is_condition_name(tok.upper) and tok.upper not in (
        "NOT", "(", ")")


def _last_operand(out: list[str]) -> list[str]:
    """The subject just written: tokens back to the previous AND/OR/NOT/( ."""
    start = len(out)
    depth = 0
    while start > 0:
        text = out[start - 1]
        if text == ")":
            depth += 1
        elif text == "(":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and text.upper() in _JOINS | {"NOT"}:
            break
        start -= 1
    return out[start:]


def _join(parts: list[str]) -> str:
    """Tokens as one condition, spaced as written: never a change inside a literal."""
    text = ""
    for index, part in enumerate(parts):
        if index and not _glued(parts[index - 1], part):
            text += " "
        text += part
    return text


def _glued(before: str, token: str) -> bool:
    """No space between two tokens: in `(A`, `A)`, `A,`, `1:2`, and a name and its `(`."""
    if before == "(" or token in (")", ",", ":"):
        return True
    # a name followed by its subscript or arguments: DFHRESP(NORMAL), TABLE(IX)
    return token == "(" and _NAME.fullmatch(before) is not None \
        and before.upper() not in _JOINS | {"NOT"}


def also_condition(subjects: list[str], objects: list[str]) -> str:
    """`A = 1 AND B = 'X'` for EVALUATE A ALSO B / WHEN 1 ALSO 'X'; ANY drops a column."""
    parts = []
    for subject, obj in zip(subjects, objects, strict=False):
        obj = obj.strip()
        if obj.upper() == "ANY":
            continue
        if subject.upper() == "TRUE":
            parts.append(obj)
        elif subject.upper() == "FALSE":
            parts.append(f"NOT ({obj})")
        elif obj.upper().startswith("NOT "):
            parts.append(f"{subject} NOT = {obj[4:].strip()}")
        else:
            parts.append(f"{subject} = {obj}")
    return " AND ".join(parts) if parts else "ANY"


def split_also(text: str) -> list[str]:
    """Parts of `A ALSO B` outside parentheses and literals."""
    parts, current, depth = [], [], 0
    for tok in tokenize(text):
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        if tok.upper == "ALSO" and depth == 0:
            parts.append(_join(current))
            current = []
        else:
            current.append(tok.text)
    parts.append(_join(current))
    return parts
