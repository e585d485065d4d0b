"""The `scan` report: per file and in total, how well the sources were read."""

from __future__ import annotations

from collections import Counter

from .pipeline import FileReport, ParseResult


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 2) if whole else 100.0


def _file_json(report: FileReport) -> dict:
    f = report.fidelity
    return {
        "path": report.path,
        "kind": report.kind,
        "lines": report.lines,
        "programs": list(report.programs),
        "procedure_code_lines": f.code_lines,
        "error_lines_before_recovery": f.error_lines,
        "error_lines_after_recovery": f.unrecovered_lines,
        "recovered_statements": f.recovered_statements,
        "timed_out": f.timed_out,
        "copybooks_resolved": report.copybooks_resolved,
        "copybooks_missing": list(report.copybooks_missing),
        "exec_blocks": dict(report.exec_blocks),
        "dynamic_calls_unresolved": report.dynamic_unresolved,
        "error": report.error,
    }


def totals(parsed: ParseResult) -> dict:
    """Estate-wide figures."""
    reports = parsed.reports
    code = sum(r.fidelity.code_lines for r in reports)
    before = sum(r.fidelity.error_lines for r in reports)
    after = sum(r.fidelity.unrecovered_lines for r in reports)
    execs: Counter[str] = Counter()
    for r in reports:
        execs.update(dict(r.exec_blocks))
    return {
        "files": len(parsed.inventory.files),
        "files_by_kind": parsed.inventory.count_by_kind(),
        "programs": len(parsed.programs),
        "jobs": len(parsed.jobs),
        "lines": sum(r.lines for r in reports),
        "procedure_code_lines": code,
        "error_lines_before_recovery": before,
        "error_lines_after_recovery": after,
        "clean_percent_before_recovery": _pct(code - before, code),
        "clean_percent_after_recovery": _pct(code - after, code),
        "recovered_statements": sum(r.fidelity.recovered_statements for r in reports),
        "timed_out": sum(1 for r in reports if r.fidelity.timed_out),
        "copybooks_resolved": sum(r.copybooks_resolved for r in reports),
        "copybooks_missing": sorted({m for r in reports for m in r.copybooks_missing}),
        "exec_blocks": dict(sorted(execs.items())),
        "dynamic_calls_unresolved": sum(r.dynamic_unresolved for r in reports),
        "diagnostics": dict(sorted(Counter(d.code for d in parsed.diagnostics).items())),
        "seconds": round(parsed.seconds, 3),
    }


def scan_json(parsed: ParseResult) -> dict:
    """The whole report as plain data."""
    return {"files": [_file_json(r) for r in parsed.reports], "total": totals(parsed),
            "diagnostics": [d.format() for d in parsed.diagnostics]}


def scan_text(parsed: ParseResult) -> str:
    """A table a person reads in a terminal."""
    rows = [f"{'file':<50} {'kind':<6} {'lines':>6} {'err%':>6} {'left%':>6} "
            f"{'exec':>5} {'miss':>4}"]
    for r in parsed.reports:
        f = r.fidelity
        execs = sum(n for _, n in r.exec_blocks)
        rows.append(f"{r.path[-50:]:<50} {r.kind:<6} {r.lines:>6} "
                    f"{100 - _pct(f.code_lines - f.error_lines, f.code_lines):>6.1f} "
                    f"{100 - _pct(f.code_lines - f.unrecovered_lines, f.code_lines):>6.1f} "
                    f"{execs:>5} {len(r.copybooks_missing):>4}"
                    + (" TIMEOUT" if f.timed_out else ""))
    t = totals(parsed)
    rows.append("")
    by_kind = ", ".join(f"{k}: {v}" for k, v in t["files_by_kind"].items())
    rows.append(f"{t['files']} files ({by_kind}),"
                f" {t['programs']} programs, {t['jobs']} jobs")
    rows.append(f"procedure lines: {t['procedure_code_lines']}; clean before recovery "
                f"{t['clean_percent_before_recovery']}%, "
                f"after {t['clean_percent_after_recovery']}%")
    rows.append(f"copybooks resolved {t['copybooks_resolved']}, missing "
                f"{len(t['copybooks_missing'])}; EXEC blocks {t['exec_blocks']}; "
                f"dynamic calls unresolved {t['dynamic_calls_unresolved']}")
    for d in parsed.diagnostics:
        if d.severity != "info":
            rows.append(d.format())
    return "\n".join(rows)
