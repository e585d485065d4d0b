"""Java front end: facts from inline snippets (types, members, flat statements, SQL, syntax)."""

from __future__ import annotations

import pickle
import textwrap
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from logicmine.lang.java import link_java, parse_java_file
from logicmine.structure import build_tree


def parse(source: str, path: str = "src/Demo.java"):
    return parse_java_file(textwrap.dedent(source).lstrip("\n"), path)


def program(source: str, name: str, path: str = "src/Demo.java"):
    programs, _, _ = link_java([parse(source, path)])
    return next(p for p in programs if p.name == name)


def verbs(prog, procedure: str) -> list[tuple[str, int, str]]:
    return [(s.verb, s.line, s.text) for s in prog.statements if s.procedure == procedure]


def test_types_fields_methods_and_nested_names():
    facts = parse("""
        package com.acme.shop;

        import java.math.BigDecimal;
        import java.util.*;
        import static com.acme.shop.Money.round;

        @Deprecated
        public class Order extends BaseEntity implements java.io.Serializable, Comparable<Order> {
            private static final int MAX_LINES = 50;
            private BigDecimal total = BigDecimal.ZERO, tax;
            public Order() { }
            public Order(String id) { this.id = id; }
            public int compareTo(Order other) { return 0; }
            static class Line { int qty; }
            enum Kind { RETAIL, WHOLESALE }
        }
        """)
    assert facts.package == "com.acme.shop"
    assert facts.imports == ("java.math.BigDecimal",)
    assert facts.wildcards == ("java.util",)
    assert facts.static_imports == (("com.acme.shop.Money", "round"),)
    names = [t.fqn for t in facts.types]
    assert names == ["com.acme.shop.Order", "com.acme.shop.Order.Line", "com.acme.shop.Order.Kind"]
    order = facts.types[0]
    assert (order.line, order.end_line) == (7, 16)  # the annotation opens the declaration
    assert [a.name for a in order.annotations] == ["Deprecated"]
    assert order.superclass[0] == "BaseEntity"
    assert [i[0] for i in order.interfaces] == ["java.io.Serializable", "Comparable"]
    assert [(f.name, f.type_text, f.value) for f in order.fields] == [
        ("MAX_LINES", "int", "50"), ("total", "BigDecimal", "BigDecimal.ZERO"),
        ("tax", "BigDecimal", "")]
    # overloaded constructors get parameter-typed keys; a unique name keeps its plain name
    assert [(m.key, m.kind) for m in order.methods] == [
        ("Order()", "constructor"), ("Order(String)", "constructor"), ("compareTo", "method")]
    kind = facts.types[2]
    assert kind.kind == "enum" and [f.name for f in kind.fields] == ["RETAIL", "WHOLESALE"]
    assert facts.types[1].outer == "com.acme.shop.Order"


def test_program_facts_match_the_cobol_model():
    prog = program("""
        package p;
        public class Fees {
            static final String CODE = "F1";
            private int count;
            public int next() { count += 1; return count; }
        }
        """, "p.Fees")
    assert prog.language == "java" and prog.file == "src/Demo.java"
    assert (prog.line, prog.end_line) == (2, 6)
    proc = prog.procedures[0]
    assert (proc.id, proc.name, proc.kind, proc.line, proc.end_line) == (
        "java:p.Fees#next", "next", "method", 5, 5)
    items = {d.name: d for d in prog.data_items}
    assert items["CODE"].pic == "String" and items["CODE"].value == '"F1"'
    assert items["CODE"].section == "STATIC" and items["count"].section == "INSTANCE"
    assert {d.level for d in prog.data_items} == {1}


def test_if_else_if_else_chain_nests_like_cobol():
    prog = program("""
        class Grade {
            String grade(int score) {
                String g;
                if (score >= 90) {
                    g = "A";
                } else if (score >= 75) {
                    g = "B";
                } else {
                    g = "C";
                }
                return g;
            }
        }
        """, "Grade")
    assert [(v, line) for v, line, _ in verbs(prog, "grade")] == [
        ("IF", 4), ("MOVE", 5), ("ELSE-IF", 6), ("MOVE", 7), ("ELSE", 8), ("MOVE", 9),
        ("END-IF", 10), ("END-IF", 10), ("RETURN", 11)]
    texts = [t for _, _, t in verbs(prog, "grade")]
    assert texts[0] == "IF score >= 90" and texts[2] == "ELSE IF score >= 75"
    assert texts[1] == 'MOVE "A" TO g'
    tree = build_tree([s for s in prog.statements if s.procedure == "grade"])
    assert [b.kind for b in tree] == ["if", "stmt"]
    assert tree[0].last_line == 10
    nested = tree[0].branches[1].body[0]
    assert nested.kind == "if" and [b.label for b in nested.branches] == ["THEN", "ELSE"]


def test_switch_classic_and_arrow_forms_become_evaluate():
    prog = program("""
        class Disc {
            int classic(Tier t) {
                int pct = 0;
                switch (t) {
                    case GOLD:
                    case PLATINUM:
                        pct = 20;
                        break;
                    default:
                        pct = 5;
                }
                return pct;
            }
            int arrow(Tier t) {
                return switch (t) {
                    case GOLD, PLATINUM -> 20;
                    case SILVER -> { yield 10; }
                    default -> 0;
                };
            }
        }
        """, "Disc")
    classic = verbs(prog, "classic")
    assert [v for v, _, _ in classic] == ["MOVE", "EVALUATE", "WHEN", "WHEN", "MOVE", "WHEN-OTHER",
                                          "MOVE", "END-EVALUATE", "RETURN"]
    assert classic[1][2] == "EVALUATE t" and classic[2][2] == "WHEN GOLD"
    assert classic[7][1] == 11  # END-EVALUATE on the closing brace
    arrow = verbs(prog, "arrow")
    assert [(v, t) for v, _, t in arrow] == [
        ("EVALUATE", "EVALUATE t"), ("WHEN", "WHEN GOLD"), ("WHEN", "WHEN PLATINUM"),
        ("RETURN", "return 20"), ("WHEN", "WHEN SILVER"), ("RETURN", "return 10"),
        ("WHEN-OTHER", "WHEN OTHER"), ("RETURN", "return 0"), ("END-EVALUATE", "END-EVALUATE")]


def test_ternary_arithmetic_setters_loops_throw_and_try():
    prog = program("""
        import java.math.BigDecimal;
        import java.math.RoundingMode;
        class Calc {
            BigDecimal total;
            void run(Account a, BigDecimal amount, BigDecimal rate, java.util.List<Item> items) {
                String band = amount.signum() > 0 ? "CREDIT" : "DEBIT";
                BigDecimal fee = amount.multiply(rate).setScale(2, RoundingMode.HALF_UP);
                total += fee.doubleValue();
                a.setStatus("CLOSED");
                for (Item item : items) { count++; }
                while (total.signum() > 0) { total = total.subtract(fee); }
                if (amount == null) throw new IllegalArgumentException("amount");
                try { a.save(); } catch (RuntimeException e) { log.error("failed", e); }
            }
        }
        """, "Calc")
    got = [(v, line, t) for v, line, t in verbs(prog, "run")]
    assert got[:5] == [
        ("IF", 6, "IF amount.signum() > 0"), ("MOVE", 6, 'MOVE "CREDIT" TO band'),
        ("ELSE", 6, "ELSE"), ("MOVE", 6, 'MOVE "DEBIT" TO band'), ("END-IF", 6, "END-IF")]
    assert got[5] == ("COMPUTE", 7, "COMPUTE fee ROUNDED = amount.multiply(rate)"
                      ".setScale(2, RoundingMode.HALF_UP)")
    assert got[6] == ("COMPUTE", 8, "COMPUTE total = total + fee.doubleValue()")
    assert got[7] == ("MOVE", 9, 'MOVE "CLOSED" TO a.status')
    assert got[8:11] == [("PERFORM", 10, "PERFORM VARYING Item item : items"),
                         ("COMPUTE", 10, "COMPUTE count = count + 1"),
                         ("END-PERFORM", 10, "END-PERFORM")]
    assert got[11][:2] == ("PERFORM", 11) and got[11][2].startswith("PERFORM UNTIL NOT")
    assert got[14:17] == [("IF", 12, "IF amount == null"),
                          ("RAISE", 12, 'throw new IllegalArgumentException("amount")'),
                          ("END-IF", 12, "END-IF")]
    assert [v for v, _, _ in got[17:]] == ["TRY", "CALL", "CATCH", "DISPLAY", "END-TRY"]
    assert got[18][2] == "CALL a.save()" and got[20][2] == 'DISPLAY log.error("failed", e)'


def test_sql_from_literals_locals_builders_and_constants():
    prog = program("""
        package dao;
        import java.sql.*;
        class OrderDao {
            static final String BY_ID = "SELECT * FROM ORDERS WHERE ID = ?";
            static final String UNUSED = "DELETE FROM ORDER_ARCHIVE WHERE DAY < ?";
            void a(Connection c) throws SQLException {
                PreparedStatement ps = c.prepareStatement(BY_ID);
            }
            void b(Connection c) throws SQLException {
                c.createStatement().executeUpdate("UPDATE ORDERS SET STATE = 'X'");
            }
            void d(Connection c, boolean open) throws SQLException {
                StringBuilder sql = new StringBuilder("SELECT O.ID FROM ORDERS O");
                sql.append(" JOIN CUSTOMER C ON C.ID = O.CUST");
                if (open) { sql.append(" WHERE O.OPEN = 1"); }
                c.prepareStatement(sql.toString());
            }
            void e(Connection c) throws SQLException {
                String sql = "INSERT INTO AUDIT (MSG) VALUES (?)";
                helper(sql);
            }
        }
        """, "dao.OrderDao")
    execs = [(s.procedure, s.line, s.text) for s in prog.statements if s.verb == "EXEC"]
    assert execs == [
        ("a", 7, "EXEC SQL SELECT * FROM ORDERS WHERE ID = ? END-EXEC"),
        ("b", 10, "EXEC SQL UPDATE ORDERS SET STATE = 'X' END-EXEC"),
        ("d", 16, "EXEC SQL SELECT O.ID FROM ORDERS O JOIN CUSTOMER C ON C.ID = O.CUST"
                  " WHERE O.OPEN = 1 END-EXEC"),
        ("e", 20, "EXEC SQL INSERT INTO AUDIT (MSG) VALUES (?) END-EXEC"),
    ]
    tables = sorted((r.kind, r.target, r.procedure, r.detail) for r in prog.references
                    if r.kind in ("reads", "writes"))
    assert tables == [
        ("reads", "CUSTOMER", "d", "SQL SELECT"), ("reads", "ORDERS", "a", "SQL SELECT"),
        ("reads", "ORDERS", "d", "SQL SELECT"), ("writes", "AUDIT", "e", "SQL INSERT"),
        ("writes", "ORDERS", "b", "SQL UPDATE"),
        ("writes", "ORDER_ARCHIVE", "", "SQL DELETE"),  # a constant no call was seen to take
    ]
    assert any(b.line == 5 and "ORDER_ARCHIVE" in b.text for b in prog.exec_blocks)


def test_sql_constant_of_another_class_is_read_by_the_linker():
    queries = parse("""
        package dao;
        public interface Queries {
            String FIND = "SELECT NAME FROM CUSTOMER WHERE ID = ?";
        }
        """, "src/dao/Queries.java")
    user = parse("""
        package svc;
        import dao.Queries;
        class Lookup {
            Object find(java.sql.Connection c) throws Exception {
                return c.prepareStatement(Queries.FIND);
            }
        }
        """, "src/svc/Lookup.java")
    programs, _, _ = link_java([user, queries])
    lookup = next(p for p in programs if p.name == "svc.Lookup")
    assert [(s.verb, s.line) for s in lookup.statements] == [("EXEC", 5)]
    assert [(r.kind, r.target) for r in lookup.references if r.kind == "reads"] == [
        ("reads", "CUSTOMER")]
    queries_program = next(p for p in programs if p.name == "dao.Queries")
    assert not [r for r in queries_program.references if r.kind == "reads"]  # used, so not here


def test_named_query_annotation_is_sql_of_the_type():
    prog = program("""
        @Entity
        @NamedQueries({
            @NamedQuery(name = "Invoice.open",
                        query = "SELECT i FROM Invoice i " + "WHERE i.paid = false")
        })
        class Invoice { }
        """, "Invoice")
    assert [(r.kind, r.target, r.line) for r in prog.references] == [("reads", "INVOICE", 4)]


def test_lambda_and_anonymous_class_bodies_are_walked_in_the_enclosing_method():
    prog = program("""
        class Jobs {
            void schedule(Runner runner) {
                runner.submit(new Task() {
                    public void run() { if (ready) { start(); } }
                });
                runner.each(x -> { x.stop(); });
            }
        }
        """, "Jobs")
    got = [(v, t) for v, _, t in verbs(prog, "schedule")]
    assert got == [("CALL", "CALL runner.submit(new Task() {...})"), ("IF", "IF ready"),
                   ("CALL", "CALL start()"), ("END-IF", "END-IF"),
                   ("CALL", "CALL runner.each(x -> {...})"), ("CALL", "CALL x.stop()")]


def test_syntax_errors_become_diagnostics_and_the_rest_is_kept():
    facts = parse("""
        class Broken {
            void ok() { a(); }
            void bad() { if (x { y(); }
        }
        """)
    assert facts.types and facts.types[0].methods[0].key == "ok"
    codes = {d.code for d in facts.diagnostics}
    assert "java-syntax" in codes
    assert all(d.file == "src/Demo.java" and d.line >= 1 for d in facts.diagnostics
               if d.code == "java-syntax")


def test_file_facts_survive_pickling_for_worker_processes():
    facts = parse("""
        package a;
        class A { int f(int x) { return x > 1 ? x * 2 : 0; } }
        """)
    assert pickle.loads(pickle.dumps(facts)) == facts


def test_output_is_deterministic_whatever_the_file_order():
    one = parse("package a; public class A { void f(B b) { b.g(); } }", "a/A.java")
    two = parse("package a; public class B { void g() { } }", "a/B.java")
    first = link_java([one, two])
    second = link_java([two, one])
    assert first[0] == second[0] and first[2] == second[2]


def test_long_else_if_chains_and_concatenations_need_no_deep_recursion():
    chain = " else ".join(f'if (code == {i}) {{ kind = "K{i}"; }}' for i in range(1500))
    sql = " + ".join(f'"C{i}, "' for i in range(3000))
    prog = program(f"""
        class Codes {{
            void map(int code, java.sql.Connection c) throws Exception {{
                {chain}
                c.prepareStatement("SELECT " + {sql} + "X FROM CODES");
            }}
        }}
        """, "Codes")
    counted = Counter(s.verb for s in prog.statements)
    assert counted["IF"] == 1 and counted["ELSE-IF"] == 1499 and counted["END-IF"] == 1500
    [exec_stmt] = [s for s in prog.statements if s.verb == "EXEC"]
    assert exec_stmt.text.startswith("EXEC SQL SELECT C0, C1, ") and "C2999, X FROM CODES" in \
        exec_stmt.text
    assert [r.target for r in prog.references if r.kind == "reads"] == ["CODES"]


SAMPLE_SERVICE = (Path(__file__).resolve().parents[1] / "samples" / "java" / "src" / "main" /
                  "java" / "com" / "acmebank" / "service" / "AccountServiceBean.java").read_text()


@settings(max_examples=80, deadline=None)
@given(st.integers(0, len(SAMPLE_SERVICE)), st.integers(0, len(SAMPLE_SERVICE)),
       st.sampled_from(["cut", "drop", "repeat"]))
def test_damaged_source_never_raises_and_keeps_lines_in_range(a, b, how):
    a, b = min(a, b), max(a, b)
    damaged = {"cut": SAMPLE_SERVICE[:a], "drop": SAMPLE_SERVICE[:a] + SAMPLE_SERVICE[b:],
               "repeat": SAMPLE_SERVICE[:b] + SAMPLE_SERVICE[a:]}[how]
    facts = parse_java_file(damaged, "X.java")
    programs, _, _ = link_java([facts])
    last = damaged.count("\n") + 1
    for prog in programs:
        assert all(1 <= s.line <= s.end_line <= last for s in prog.statements)
        assert all(1 <= r.line <= last for r in prog.references)
