"""Print Java front-end figures: per-file parse time and call-resolution rate.

Usage: python benchmarks/java_bench.py [--classes 200] [--runs 3] [--seed 7] [--samples PATH]

Two estates: the hand-written sample (samples/java) and a synthetic legacy estate generated
here from a seed (services behind interfaces with one or two implementations, abstract bases,
JDBC DAOs with SQL constants and StringBuffer-built queries, servlets, BigDecimal fee rules,
status switches, generic collections, static utilities). Parse time is per file, in this
process, on one core; tree-sitter alone on the same bytes is printed alongside.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from tree_sitter_language_pack import get_parser

from logicmine.lang.java import link_java, parse_java_file

_TIERS = ("STANDARD", "SILVER", "GOLD", "PLATINUM")


def _entity(pkg: str, name: str) -> str:
    return f"""package {pkg}.domain;

import java.math.BigDecimal;

public class {name} {{
    private String id;
    private String status = "OPEN";
    private BigDecimal amount = BigDecimal.ZERO;
    private String tier = "STANDARD";

    public String getId() {{ return id; }}
    public String getStatus() {{ return status; }}
    public void setStatus(String status) {{ this.status = status; }}
    public BigDecimal getAmount() {{ return amount; }}
    public void setAmount(BigDecimal amount) {{ this.amount = amount; }}
    public String getTier() {{ return tier; }}
}}
"""


def _dao(pkg: str, entity: str, table: str) -> str:
    return f"""package {pkg}.dao;

import java.sql.*;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import {pkg}.domain.{entity};

public class {entity}Dao {{
    private static final String FIND = "SELECT ID, STATUS, AMOUNT FROM {table} WHERE ID = ?";
    private static final String SAVE = "UPDATE {table} SET STATUS = ?, AMOUNT = ? WHERE ID = ?";
    private DataSource dataSource;

    public {entity} find(String id) throws SQLException {{
        Connection conn = dataSource.getConnection();
        try {{
            PreparedStatement ps = conn.prepareStatement(FIND);
            ps.setString(1, id);
            ResultSet rs = ps.executeQuery();
            if (!rs.next()) {{
                return null;
            }}
            {entity} row = new {entity}();
            row.setStatus(rs.getString("STATUS"));
            row.setAmount(rs.getBigDecimal("AMOUNT"));
            return row;
        }} finally {{
            conn.close();
        }}
    }}

    public List<{entity}> list(String status) throws SQLException {{
        StringBuffer sql = new StringBuffer("SELECT ID FROM {table}");
        sql.append(" WHERE STATUS = ?");
        List<{entity}> rows = new ArrayList<{entity}>();
        Connection conn = dataSource.getConnection();
        PreparedStatement ps = conn.prepareStatement(sql.toString());
        ps.setString(1, status);
        ResultSet rs = ps.executeQuery();
        while (rs.next()) {{
            rows.add(find(rs.getString(1)));
        }}
        conn.close();
        return rows;
    }}

    public void save({entity} row) throws SQLException {{
        Connection conn = dataSource.getConnection();
        PreparedStatement ps = conn.prepareStatement(SAVE);
        ps.setString(1, row.getStatus());
        ps.setBigDecimal(2, row.getAmount());
        ps.executeUpdate();
        conn.close();
    }}
}}
"""


def _service_interface(pkg: str, entity: str) -> str:
    return f"""package {pkg}.service;

import java.math.BigDecimal;
import {pkg}.domain.{entity};

public interface {entity}Service {{
    {entity} load(String id) throws Exception;
    BigDecimal charge(String id, BigDecimal amount) throws Exception;
    void close(String id) throws Exception;
}}
"""


def _service_impl(pkg: str, entity: str, suffix: str, rng: random.Random) -> str:
    rate = f"0.0{rng.randint(10, 99)}"
    cases = "\n".join(
        f"            case \"{t}\":\n                pct = {i * 10};\n                break;"
        for i, t in enumerate(_TIERS[1:], start=1))
    return f"""package {pkg}.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import {pkg}.dao.{entity}Dao;
import {pkg}.domain.{entity};
import {pkg}.util.Checks;

public class {entity}Service{suffix} extends AbstractService implements {entity}Service {{
    private static final BigDecimal RATE = new BigDecimal("{rate}");
    private {entity}Dao dao = new {entity}Dao();

    public {entity} load(String id) throws Exception {{
        Checks.notBlank(id);
        {entity} row = dao.find(id);
        if (row == null) {{
            throw new IllegalArgumentException("unknown " + id);
        }}
        return row;
    }}

    public BigDecimal charge(String id, BigDecimal amount) throws Exception {{
        if (amount.signum() <= 0) {{
            throw new IllegalArgumentException("amount must be positive");
        }}
        {entity} row = load(id);
        int pct = 0;
        switch (row.getTier()) {{
{cases}
            default:
                pct = 0;
        }}
        BigDecimal fee = amount.multiply(RATE).setScale(2, RoundingMode.HALF_UP);
        fee = fee.subtract(fee.multiply(new BigDecimal(pct)).divide(new BigDecimal("100")));
        row.setAmount(row.getAmount().add(amount).add(fee));
        dao.save(row);
        audit("charge " + id);
        return fee;
    }}

    public void close(String id) throws Exception {{
        {entity} row = load(id);
        row.setStatus(row.getAmount().signum() == 0 ? "CLOSED" : "PENDING");
        dao.save(row);
        List<{entity}> open = dao.list("OPEN");
        for ({entity} other : open) {{
            if (other.getAmount().signum() < 0) {{
                other.setStatus("FROZEN");
                dao.save(other);
            }}
        }}
    }}
}}
"""


def _servlet(pkg: str, entity: str) -> str:
    return f"""package {pkg}.web;

import java.io.IOException;
import java.math.BigDecimal;
import javax.servlet.ServletException;
import javax.servlet.http.*;
import {pkg}.service.{entity}Service;
import {pkg}.util.Checks;

public class {entity}Servlet extends HttpServlet {{
    private {entity}Service service;

    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {{
        String action = request.getParameter("action");
        try {{
            if ("charge".equals(action)) {{
                String id = request.getParameter("id");
                service.charge(id, Checks.amount(request.getParameter("amount")));
            }} else if ("close".equals(action)) {{
                service.close(request.getParameter("id"));
            }} else {{
                response.sendError(400);
            }}
        }} catch (Exception e) {{
            throw new ServletException(e);
        }}
    }}
}}
"""


def _shared(pkg: str) -> dict[str, str]:
    return {
        f"{pkg}/service/AbstractService.java": f"""package {pkg}.service;

public abstract class AbstractService {{
    protected void audit(String what) {{
        System.out.println(what);
    }}
}}
""",
        f"{pkg}/util/Checks.java": f"""package {pkg}.util;

import java.math.BigDecimal;

public final class Checks {{
    public static void notBlank(String value) {{
        if (value == null || value.trim().length() == 0) {{
            throw new IllegalArgumentException("required");
        }}
    }}

    public static BigDecimal amount(String raw) {{
        return new BigDecimal(raw.trim()).setScale(2, BigDecimal.ROUND_HALF_UP);
    }}
}}
""",
    }


def generate(classes: int, seed: int) -> dict[str, str]:
    """A synthetic legacy estate of about `classes` classes: path -> source."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    module = 0
    while len(files) < classes:
        pkg = f"com/synth/m{module:02d}"
        dotted = pkg.replace("/", ".")
        files.update(_shared(pkg))
        for index in range(rng.randint(3, 6)):
            entity = f"Item{module:02d}{index}"
            files[f"{pkg}/domain/{entity}.java"] = _entity(dotted, entity)
            files[f"{pkg}/dao/{entity}Dao.java"] = _dao(dotted, entity, f"T{module:02d}_{index}")
            files[f"{pkg}/service/{entity}Service.java"] = _service_interface(dotted, entity)
            for suffix in ("Bean", "Batch")[: rng.randint(1, 2)]:
                files[f"{pkg}/service/{entity}Service{suffix}.java"] = \
                    _service_impl(dotted, entity, suffix, rng)
            files[f"{pkg}/web/{entity}Servlet.java"] = _servlet(dotted, entity)
        module += 1
    return dict(sorted(files.items()))


def measure(sources: dict[str, str], runs: int) -> dict:
    """Median per-file parse time, tree-sitter alone, link time and resolution figures."""
    parser = get_parser("java")
    per_file: dict[str, list[float]] = {path: [] for path in sources}
    alone, link_times = [], []
    stats: dict = {}
    for _ in range(runs):
        facts = []
        for path, text in sources.items():
            started = time.perf_counter()
            facts.append(parse_java_file(text, path))
            per_file[path].append(time.perf_counter() - started)
        started = time.perf_counter()
        for text in sources.values():
            parser.parse(text.encode("utf-8"))
        alone.append(time.perf_counter() - started)
        started = time.perf_counter()
        _, _, stats = link_java(facts)
        link_times.append(time.perf_counter() - started)
    medians = sorted(statistics.median(v) for v in per_file.values())
    return {"files": len(sources), "lines": sum(t.count("\n") + 1 for t in sources.values()),
            "median_ms": statistics.median(medians) * 1000,
            "p90_ms": medians[int(0.9 * (len(medians) - 1))] * 1000,
            "max_ms": medians[-1] * 1000, "parse_s": sum(medians),
            "alone_s": statistics.median(alone), "link_s": statistics.median(link_times),
            "stats": stats}


def _report(title: str, figures: dict) -> None:
    stats = figures["stats"]
    print(f"{title}: {figures['files']} files, {figures['lines']} lines, "
          f"{stats['types']} types")
    print(f"  parse per file: median {figures['median_ms']:.2f} ms, "
          f"p90 {figures['p90_ms']:.2f} ms, "
          f"max {figures['max_ms']:.2f} ms; all files {figures['parse_s']:.3f} s "
          f"({figures['lines'] / figures['parse_s']:,.0f} lines/s); "
          f"tree-sitter alone {figures['alone_s']:.3f} s; link {figures['link_s']:.3f} s")
    print(f"  invocations {stats['invocations']}: resolved {stats['resolved']}, "
          f"external {stats['external']}, unresolved {stats['unresolved']}; "
          f"resolution rate {stats['resolution_rate']:.1%} of all, "
          f"{stats['internal_resolution_rate']:.1%} of non-library calls; "
          f"object creations {stats['creations']}")


def main() -> None:
    """Run the benchmark and print the figures."""
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--classes", type=int, default=200)
    args.add_argument("--runs", type=int, default=3)
    args.add_argument("--seed", type=int, default=7)
    args.add_argument("--samples", type=Path,
                      default=Path(__file__).resolve().parents[1] / "samples" / "java")
    opts = args.parse_args()
    samples = {p.relative_to(opts.samples).as_posix(): p.read_text(encoding="utf-8")
               for p in sorted(opts.samples.rglob("*.java"))}
    _report("samples/java", measure(samples, opts.runs))
    _report(f"synthetic (seed {opts.seed})", measure(generate(opts.classes, opts.seed), opts.runs))


if __name__ == "__main__":
    main()
