"""The legacy Java sample: hand-written golden facts, rules and entry points; it compiles."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from logicmine.lang.java import link_java, parse_java_file
from logicmine.lang.java.rules_java import refine_rules
from logicmine.rules import extract_rules

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples" / "java"
EXPECTED = json.loads((REPO / "tests" / "data" / "java" / "samples_expected.json").read_text())

# Minimal stand-ins for the two container APIs the sample uses (written here, not copied):
# just the members the sample calls, so javac can check the sample itself.
STUBS = {
    "javax/servlet/ServletException.java": """
        package javax.servlet;
        public class ServletException extends Exception {
            private static final long serialVersionUID = 1L;
            public ServletException(String message) { super(message); }
            public ServletException(String message, Throwable cause) { super(message, cause); }
        }""",
    "javax/servlet/RequestDispatcher.java": """
        package javax.servlet;
        import javax.servlet.http.HttpServletRequest;
        import javax.servlet.http.HttpServletResponse;
        public interface RequestDispatcher {
            void forward(HttpServletRequest q, HttpServletResponse r)
                throws ServletException, java.io.IOException;
        }""",
    "javax/servlet/http/HttpServletRequest.java": """
        package javax.servlet.http;
        public interface HttpServletRequest {
            String getParameter(String name);
            void setAttribute(String name, Object value);
            javax.servlet.RequestDispatcher getRequestDispatcher(String path);
        }""",
    "javax/servlet/http/HttpServletResponse.java": """
        package javax.servlet.http;
        public interface HttpServletResponse {
            int SC_BAD_REQUEST = 400;
            void sendError(int status, String message) throws java.io.IOException;
        }""",
    "javax/servlet/http/HttpServlet.java": """
        package javax.servlet.http;
        public abstract class HttpServlet implements java.io.Serializable {
            private static final long serialVersionUID = 1L;
            public void init() throws javax.servlet.ServletException { }
            protected void doGet(HttpServletRequest q, HttpServletResponse r)
                throws javax.servlet.ServletException, java.io.IOException { }
            protected void doPost(HttpServletRequest q, HttpServletResponse r)
                throws javax.servlet.ServletException, java.io.IOException { }
        }""",
    "javax/ejb/Stateless.java": "package javax.ejb; public @interface Stateless { }",
}


def _relative(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


@pytest.fixture(scope="module")
def linked():
    files = [parse_java_file(p.read_text(encoding="utf-8"), _relative(p))
             for p in sorted(SAMPLES.rglob("*.java"))]
    xml = {_relative(p): p.read_text(encoding="utf-8") for p in sorted(SAMPLES.rglob("*.xml"))}
    programs, diagnostics, stats = link_java(files, xml)
    return {p.name: p for p in programs}, diagnostics, stats


def test_every_type_is_a_program(linked):
    programs, diagnostics, _ = linked
    assert sorted(programs) == sorted(EXPECTED["programs"])
    assert diagnostics == []


@pytest.mark.parametrize("name", sorted(EXPECTED["programs"]))
def test_program_facts(linked, name):
    programs, _, stats = linked
    want = EXPECTED["programs"][name]
    prog = programs[name]
    assert prog.file == want["file"] and prog.language == "java"
    assert [prog.line, prog.end_line] == want["lines"]
    assert stats["type_info"][name]["kind"] == want["kind"]
    assert [p.name for p in prog.procedures] == want["procedures"]
    assert list(prog.entry_points) == want["entry_points"]
    supertypes = [[r.kind, r.target] for r in prog.references
                  if r.kind in ("extends", "implements")]
    assert supertypes == want["supertypes"]


@pytest.mark.parametrize("name", sorted(EXPECTED["programs"]))
def test_internal_calls(linked, name):
    programs, _, _ = linked
    calls: dict[str, set[str]] = {}
    for ref in programs[name].references:
        if ref.kind == "calls" and ref.target.startswith("com.acmebank."):
            calls.setdefault(ref.procedure, set()).add(ref.target)
    assert {k: sorted(v) for k, v in calls.items()} == EXPECTED["programs"][name]["internal_calls"]


@pytest.mark.parametrize("name", sorted(EXPECTED["programs"]))
def test_tables_and_rules(linked, name):
    programs, _, _ = linked
    prog = programs[name]
    tables = sorted({(r.kind, r.target, r.procedure) for r in prog.references
                     if r.kind in ("reads", "writes")})
    assert [list(t) for t in tables] == EXPECTED["programs"][name]["tables"]
    rules = refine_rules(prog, extract_rules(prog))
    assert [[r.kind, r.procedure, r.start_line, r.end_line] for r in rules] == \
        EXPECTED["programs"][name]["rules"]


def test_interface_calls_from_the_servlet_reach_the_session_bean(linked):
    programs, _, _ = linked
    details = {(r.target, r.detail) for r in programs["com.acmebank.web.AccountServlet"].references
               if r.procedure == "doPost" and r.target.endswith("#deposit")}
    assert details == {("com.acmebank.service.AccountService#deposit", "interface"),
                       ("com.acmebank.service.AccountServiceBean#deposit", "interface")}


def test_entry_reasons_and_resolution(linked):
    _, _, stats = linked
    for fqn, reasons in EXPECTED["entry_reasons"].items():
        assert stats["type_info"][fqn]["entry_points"] == reasons
    for key, value in EXPECTED["resolution"].items():
        assert stats[key] == value


def test_the_fee_rule_cites_its_rounding(linked):
    programs, _, _ = linked
    prog = programs["com.acmebank.rules.FeeCalculator"]
    [fee] = [r for r in extract_rules(prog) if r.procedure == "withdrawalFee"
             and r.kind == "calculation"]
    assert fee.text == ("COMPUTE fee ROUNDED = amount.multiply(WITHDRAWAL_RATE)"
                        ".setScale(2, RoundingMode.HALF_UP) (rounded)")
    assert (fee.file, fee.start_line) == (
        "samples/java/src/main/java/com/acmebank/rules/FeeCalculator.java", 52)


def test_samples_compile_with_javac(tmp_path):
    javac = shutil.which("javac")
    assert javac, "javac (a JDK) is needed to check that samples/java is real Java"
    stub_files = []
    for relative, text in STUBS.items():
        path = tmp_path / "stubs" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.strip() + "\n", encoding="utf-8")
        stub_files.append(str(path))
    sources = [str(p) for p in sorted(SAMPLES.rglob("*.java"))]
    result = subprocess.run(
        [javac, "-proc:none", "--release", "8", "-Xlint:all", "-d", str(tmp_path / "classes"),
         *stub_files, *sources], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr
