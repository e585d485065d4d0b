"""Java call resolution across files: interfaces, fields, locals, generics, statics, externals."""

from __future__ import annotations

import textwrap

from logicmine.lang.java import link_java, parse_java_file


def link(sources: dict[str, str], xml: dict[str, str] | None = None):
    files = [parse_java_file(textwrap.dedent(text).lstrip("\n"), path)
             for path, text in sources.items()]
    return link_java(files, xml or {})


def calls(programs, name: str, procedure: str | None = None) -> set[tuple[str, str]]:
    prog = next(p for p in programs if p.name == name)
    return {(r.target, r.detail) for r in prog.references
            if r.kind == "calls" and (procedure is None or r.procedure == procedure)}


BANK = {
    "src/bank/Ledger.java": """
        package bank;
        public interface Ledger {
            void post(Entry e);
            Entry last();
        }
        """,
    "src/bank/DbLedger.java": """
        package bank;
        public class DbLedger implements Ledger {
            public void post(Entry e) { }
            public Entry last() { return null; }
        }
        """,
    "src/bank/AuditLedger.java": """
        package bank;
        public class AuditLedger extends AbstractLedger {
            public void post(Entry e) { }
        }
        """,
    "src/bank/AbstractLedger.java": """
        package bank;
        public abstract class AbstractLedger implements Ledger {
            public Entry last() { return null; }
            protected abstract void flush();
        }
        """,
    "src/bank/Entry.java": """
        package bank;
        import java.math.BigDecimal;
        public class Entry {
            private BigDecimal amount;
            public BigDecimal getAmount() { return amount; }
            public Entry copy() { return new Entry(); }
        }
        """,
    "src/bank/Poster.java": """
        package bank;
        import java.util.List;
        import java.util.Map;
        public class Poster {
            private Ledger ledger;
            private final Map<String, Entry> byId = new java.util.HashMap<String, Entry>();
            public void postAll(List<Entry> entries) {
                for (Entry e : entries) {
                    ledger.post(e);
                }
                Entry first = entries.get(0);
                first.copy().getAmount();
                byId.get("x").copy();
                this.ledger.last().copy();
                DbLedger db = new DbLedger();
                db.post(first);
                Object o = entries;
                ((Entry) o).getAmount();
                mystery.unknown();
            }
        }
        """,
}


def test_interface_calls_reach_the_declaration_and_every_implementation():
    programs, _, _ = link(BANK)
    assert {t for t in calls(programs, "bank.Poster", "postAll") if t[0].endswith("#post")} == {
        ("bank.Ledger#post", "interface"), ("bank.DbLedger#post", "interface"),
        ("bank.AuditLedger#post", "interface"),
        ("bank.DbLedger#post", "virtual")}  # db.post(first): a concrete class, no subclasses


def test_inherited_implementation_counts_for_an_interface_call():
    programs, _, _ = link(BANK)
    last = {t for t in calls(programs, "bank.Poster", "postAll") if t[0].endswith("#last")}
    # AuditLedger inherits last() from AbstractLedger: that is the code that runs
    assert last == {("bank.Ledger#last", "interface"), ("bank.DbLedger#last", "interface"),
                    ("bank.AbstractLedger#last", "interface")}


def test_receivers_typed_from_generics_chains_casts_and_fields():
    programs, _, _ = link(BANK)
    got = calls(programs, "bank.Poster", "postAll")
    assert ("bank.Entry#copy", "virtual") in got  # first.copy(): List<Entry>.get -> Entry
    assert ("bank.Entry#getAmount", "virtual") in got  # chain through copy()'s return type
    assert ("java.util.List#get", "external") in got
    assert ("java.util.Map#get", "external") in got
    assert ("bank.DbLedger#DbLedger", "constructor") not in got  # no explicit constructor


def test_statistics_count_resolved_external_and_unresolved():
    programs, diagnostics, stats = link(BANK)
    assert stats["unresolved"] == 1  # mystery.unknown(): no such field, local or type
    assert stats["invocations"] == stats["resolved"] + stats["external"] + stats["unresolved"]
    assert stats["resolution_rate"] == round(stats["resolved"] / stats["invocations"], 4)
    assert [d.code for d in diagnostics] == ["java-unresolved-calls"]
    assert diagnostics[0].file == "src/bank/Poster.java"


def test_hierarchy_references():
    programs, _, _ = link(BANK)
    refs = {(p.name, r.kind, r.target, r.detail) for p in programs for r in p.references
            if r.kind in ("extends", "implements")}
    assert refs == {
        ("bank.DbLedger", "implements", "bank.Ledger", ""),
        ("bank.AuditLedger", "extends", "bank.AbstractLedger", ""),
        ("bank.AbstractLedger", "implements", "bank.Ledger", ""),
    }


def test_unqualified_inherited_static_imports_super_and_overloads():
    programs, _, _ = link({
        "src/a/Base.java": """
            package a;
            public class Base {
                protected void audit(String what) { }
                protected void audit(int code) { }
                public void save() { }
            }
            """,
        "src/a/Util.java": """
            package a;
            public final class Util {
                public static String pad(String s) { return s; }
            }
            """,
        "src/a/Child.java": """
            package a;
            import static a.Util.pad;
            public class Child extends Base {
                public void save() {
                    audit("saved");
                    audit(42);
                    pad("x");
                    Util.pad("y");
                    super.save();
                    helper();
                }
                private void helper() { }
            }
            """,
    })
    assert calls(programs, "a.Child", "save") == {
        ("a.Base#audit(String)", "virtual"), ("a.Base#audit(int)", "virtual"),
        ("a.Util#pad", "static"), ("a.Base#save", "virtual"), ("a.Child#helper", "virtual")}


def test_virtual_call_on_a_base_class_reaches_overrides():
    programs, _, _ = link({
        "src/t/Step.java": "package t; public class Step { public void run() { } }",
        "src/t/Fast.java": "package t; public class Fast extends Step { public void run() { } }",
        "src/t/Main.java": """
            package t;
            public class Main {
                public static void main(String[] args) { Step s = new Fast(); s.run(); }
            }
            """,
    })
    assert {c for c in calls(programs, "t.Main", "main") if c[0].endswith("#run")} == {
        ("t.Step#run", "virtual"), ("t.Fast#run", "virtual")}


def test_library_types_get_their_imported_names():
    programs, _, stats = link({
        "src/x/Io.java": """
            package x;
            import java.sql.*;
            import java.math.BigDecimal;
            import javax.sql.DataSource;
            public class Io {
                private DataSource ds;
                public BigDecimal read() throws SQLException {
                    Connection c = ds.getConnection();
                    ResultSet rs = c.prepareStatement("SELECT A FROM T").executeQuery();
                    return rs.getBigDecimal(1).setScale(2);
                }
            }
            """,
    })
    assert calls(programs, "x.Io", "read") == {
        ("javax.sql.DataSource#getConnection", "external"),
        ("java.sql.Connection#prepareStatement", "external"),
        ("java.sql.PreparedStatement#executeQuery", "external"),
        ("java.sql.ResultSet#getBigDecimal", "external"),
        ("java.math.BigDecimal#setScale", "external")}
    assert stats["external"] == 5 and stats["unresolved"] == 0


def test_nested_and_anonymous_classes():
    programs, _, _ = link({
        "src/n/Outer.java": """
            package n;
            public class Outer {
                void top() { }
                static class Inner {
                    void go() { new Helper().work(); }
                }
                static class Helper { void work() { } }
                void anon() {
                    Runnable r = new Runnable() { public void run() { top(); } };
                }
            }
            """,
    })
    assert calls(programs, "n.Outer.Inner", "go") == {("n.Outer.Helper#work", "virtual")}
    assert ("n.Outer#top", "virtual") in calls(programs, "n.Outer", "anon")
