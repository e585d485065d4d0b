"""Java entry points: main, servlets (annotation, inheritance, web.xml), JAX-RS, Spring, EJB ..."""

from __future__ import annotations

import textwrap

from logicmine.lang.java import link_java, parse_java_file


def link(sources: dict[str, str], xml: dict[str, str] | None = None):
    files = [parse_java_file(textwrap.dedent(text).lstrip("\n"), path)
             for path, text in sources.items()]
    return link_java(files, xml or {})


def entries(sources: dict[str, str], xml: dict[str, str] | None = None) -> dict[str, tuple]:
    programs, _, _ = link(sources, xml)
    return {p.name: p.entry_points for p in programs if p.entry_points}


def reasons(sources: dict[str, str], xml: dict[str, str] | None = None) -> dict:
    _, _, stats = link(sources, xml)
    return {fqn: info["entry_points"] for fqn, info in stats["type_info"].items()
            if info["entry_points"]}


WEB_XML = """<?xml version="1.0"?>
<web-app xmlns="http://java.sun.com/xml/ns/javaee" version="2.5">
  <servlet><servlet-name>pay</servlet-name><servlet-class>w.Pay</servlet-class></servlet>
  <servlet-mapping><servlet-name>pay</servlet-name><url-pattern>/pay/*</url-pattern>
  </servlet-mapping>
  <filter><filter-name>f</filter-name><filter-class>w.Guard</filter-class></filter>
</web-app>
"""


def test_main_needs_static_and_a_string_array():
    assert entries({
        "src/Batch.java": """
            public class Batch {
                public static void main(String[] args) { }
                public void main(int x) { }
            }
            """,
        "src/Other.java": "public class Other { public static void main(String... a) { } }",
        "src/NotMain.java": "public class NotMain { public static void main(int[] a) { } }",
    }) == {"Batch": ("main(String[])",), "Other": ("main",)}


def test_servlets_by_descriptor_annotation_and_inheritance():
    sources = {
        "src/w/Pay.java": """
            package w;
            public class Pay extends Object {
                protected void doPost(Req q, Resp r) { }
                protected void helper(Req q, Resp r) { }
            }
            """,
        "src/w/Guard.java": """
            package w;
            public class Guard { public void doFilter(Object a, Object b, Object c) { } }
            """,
        "src/w/Hello.java": """
            package w;
            @WebServlet(urlPatterns = {"/hello", "/hi"})
            public class Hello extends Object { public void doGet(Req q, Resp r) { } }
            """,
        "src/w/Base.java": """
            package w;
            import javax.servlet.http.HttpServlet;
            public abstract class Base extends HttpServlet {
                protected void doGet(Req q, Resp r) { }
            }
            """,
        "src/w/Report.java": """
            package w;
            public class Report extends Base { protected void doPost(Req q, Resp r) { } }
            """,
    }
    xml = {"web/WEB-INF/web.xml": WEB_XML}
    assert entries(sources, xml) == {
        "w.Pay": ("doPost",), "w.Guard": ("doFilter",), "w.Hello": ("doGet",),
        "w.Base": ("doGet",),  # inherited by the concrete servlet Report: its code runs
        "w.Report": ("doPost",)}
    found = reasons(sources, xml)
    assert found["w.Pay"] == {"doPost": "servlet /pay/*"}
    assert found["w.Hello"] == {"doGet": "servlet /hello /hi"}
    assert found["w.Guard"] == {"doFilter": "servlet filter"}


def test_jax_rs_and_spring_mvc_routes():
    found = reasons({
        "src/r/Orders.java": """
            package r;
            @Path("/orders")
            public class Orders {
                @GET @Path("/{id}") public String one(String id) { return id; }
                @POST public void create(String body) { }
                public void notExposed() { }
            }
            """,
        "src/r/Shop.java": """
            package r;
            @Controller
            @RequestMapping("/shop")
            public class Shop {
                @GetMapping("/cart") public String cart() { return "cart"; }
                @RequestMapping(value = "/pay", method = RequestMethod.POST)
                public String pay() { return "ok"; }
            }
            """,
    })
    assert found == {
        "r.Orders": {"create": "HTTP POST /orders", "one": "HTTP GET /orders/{id}"},
        "r.Shop": {"cart": "HTTP GET /shop/cart", "pay": "HTTP request /shop/pay"},
    }


def test_ejb_mdb_jsf_and_timers():
    sources = {
        "src/e/Teller.java": """
            package e;
            @Stateless
            public class Teller {
                public void pay() { }
                void internal() { }
                public static void util() { }
            }
            """,
        "src/e/Listener.java": """
            package e;
            @MessageDriven
            public class Listener { public void onMessage(Object m) { } }
            """,
        "src/e/Legacy.java": """
            package e;
            public class Legacy { public void open() { } }
            """,
        "src/e/Form.java": """
            package e;
            @ManagedBean
            public class Form {
                public String save() { return "done"; }
                public String getName() { return ""; }
                public String check(int x) { return ""; }
            }
            """,
        "src/e/Clock.java": """
            package e;
            public class Clock { @Scheduled(cron = "0 0 * * * *") public void tick() { } }
            """,
    }
    xml = {"META-INF/ejb-jar.xml": """<ejb-jar><enterprise-beans>
        <session><ejb-name>L</ejb-name><ejb-class>e.Legacy</ejb-class></session>
        </enterprise-beans></ejb-jar>"""}
    assert entries(sources, xml) == {
        "e.Teller": ("pay",), "e.Listener": ("onMessage",), "e.Legacy": ("open",),
        "e.Form": ("save",), "e.Clock": ("tick",)}


def test_unreadable_descriptor_is_a_diagnostic_not_a_failure():
    _, diagnostics, _ = link({"src/A.java": "class A { }"},
                             {"WEB-INF/web.xml": "<web-app><servlet>"})
    assert [(d.file, d.code, d.severity) for d in diagnostics] == [
        ("WEB-INF/web.xml", "java-descriptor", "warning")]
