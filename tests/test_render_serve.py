"""`logicmine serve`: static files, the review API and its guards, over a real loopback socket."""

from __future__ import annotations

import http.client
import json
import threading

import pytest
from click.testing import CliRunner
from render_support import sample

from logicmine.cli import main
from logicmine.render import RenderInput, render_all
from logicmine.reviews import load_reviews, record_decision, rule_hash
from logicmine.serve import TOKEN_HEADER, ServeError, make_server


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample site, rendered once; it names a reviews file that each test replaces."""
    estate, graph = sample.build()
    base = tmp_path_factory.mktemp("served")
    site = base / "site"
    site.mkdir()
    reviews = base / "unused" / "logicmine-reviews.json"
    render_all(RenderInput(estate, graph, sample.read_source, reviews_path=str(reviews)), site)
    return site, estate


@pytest.fixture()
def served(built, tmp_path):
    """The site served on a free port; yields (server, reviews path, estate)."""
    site, estate = built
    reviews = tmp_path / "repo" / "logicmine-reviews.json"
    server = make_server(site, reviews=reviews, port=0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server, reviews, estate
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def request(server, method, path, body=None, headers=None, host=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    sent = {"Host": host or f"127.0.0.1:{server.port}", **(headers or {})}
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    if data is not None:
        sent.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=data, headers=sent)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), payload


def post(server, body, **headers):
    base = {TOKEN_HEADER: server.token, "Origin": f"http://127.0.0.1:{server.port}"}
    return request(server, "POST", "/api/review", body, {**base, **headers})


def test_pages_are_served_with_the_token_and_a_csp_that_allows_the_api(served):
    server, _, _ = served
    status, headers, body = request(server, "GET", "/")
    html = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f'<meta name="logicmine-token" content="{server.token}">' in html
    assert (
        "connect-src 'self'" in html and "connect-src 'self'" in headers["Content-Security-Policy"]
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, headers, body = request(server, "GET", "/static/site.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert server.token.encode() not in body  # only pages carry the token


@pytest.mark.parametrize(
    "path",
    [
        "/.logicmine-site.json",
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/nope.html",
        "/static/..%5c..%5cx",
    ],
)
def test_hidden_missing_and_outside_files_are_not_served(served, path):
    server, _, _ = served
    assert request(server, "GET", path)[0] == 404


def test_only_loopback_hosts_are_answered(served):
    server, _, _ = served
    assert request(server, "GET", "/", host="evil.example:80")[0] == 403
    assert request(server, "GET", "/", host=f"localhost:{server.port}")[0] == 200


def test_a_decision_is_recorded_atomically_and_read_back(served):
    server, reviews, estate = served
    rule = estate.rules[1]
    status, _, body = post(server, {"section": "rules", "id": rule.id, "status": "accepted"})
    assert status == 200, body
    answer = json.loads(body)
    assert answer["state"] == "accepted" and answer["label"] == "Accepted"
    stored = load_reviews(reviews, strict=True)["rules"][rule.id]
    assert stored["status"] == "accepted" and stored["hash"] == rule_hash(rule)
    assert [p.name for p in reviews.parent.iterdir()] == [reviews.name]  # no temporary left
    status, _, body = request(server, "GET", "/api/reviews", headers={TOKEN_HEADER: server.token})
    assert json.loads(body)["rules"][rule.id]["state"] == "accepted"
    post(
        server,
        {
            "section": "rules",
            "id": rule.id,
            "status": "commented",
            "comment": "  <b>cap</b> should be 90  ",
        },
    )
    assert load_reviews(reviews)["rules"][rule.id]["comment"] == "<b>cap</b> should be 90"
    post(server, {"section": "rules", "id": rule.id, "status": ""})
    assert load_reviews(reviews)["rules"] == {}


def test_a_decision_on_changed_content_reads_back_as_stale(served):
    server, reviews, estate = served
    rule = estate.rules[0]
    record_decision(reviews, "rules", rule.id, {"status": "rejected", "hash": "e" * 64})
    body = request(server, "GET", "/api/reviews", headers={TOKEN_HEADER: server.token})[2]
    seen = json.loads(body)["rules"][rule.id]
    assert seen["state"] == "stale" and seen["label"] == "Stale: rejected before the rule changed"


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        ({"section": "rules", "id": "PAYCALC-R001", "status": "accepted"}, {TOKEN_HEADER: ""}, 403),
        (
            {"section": "rules", "id": "PAYCALC-R001", "status": "accepted"},
            {TOKEN_HEADER: "x"},
            403,
        ),
        (
            {"section": "rules", "id": "PAYCALC-R001", "status": "accepted"},
            {"Origin": "http://evil.example"},
            403,
        ),
        (
            {"section": "rules", "id": "PAYCALC-R001", "status": "accepted"},
            {"Sec-Fetch-Site": "cross-site"},
            403,
        ),
        (
            {"section": "rules", "id": "PAYCALC-R001", "status": "accepted"},
            {"Content-Type": "text/plain"},
            415,
        ),
        ({"section": "rules", "id": "NOT-A-RULE", "status": "accepted"}, {}, 400),
        ({"section": "jobs", "id": "PAYCALC-R001", "status": "accepted"}, {}, 400),
        ({"section": "rules", "id": "PAYCALC-R001", "status": "approved"}, {}, 400),
        (
            {"section": "rules", "id": "PAYCALC-R001", "status": "commented", "comment": " "},
            {},
            400,
        ),
        (
            {
                "section": "rules",
                "id": "PAYCALC-R001",
                "status": "commented",
                "comment": "x" * 4001,
            },
            {},
            400,
        ),
        (
            {"section": "rules", "id": "PAYCALC-R001", "status": "accepted", "hash": "0" * 64},
            {},
            400,
        ),
        (b"not json", {}, 400),
        (b"x" * 20000, {}, 413),
    ],
)
def test_bad_or_foreign_requests_change_nothing(served, body, headers, status):
    server, reviews, _ = served
    assert post(server, body, **headers)[0] == status
    assert not reviews.exists()


def test_the_api_needs_the_token_to_read_too(served):
    server, _, _ = served
    assert request(server, "GET", "/api/reviews")[0] == 403
    assert request(server, "GET", "/api/other", headers={TOKEN_HEADER: server.token})[0] == 404


def test_serve_uses_the_reviews_file_the_build_named(built):
    site, _ = built
    server = make_server(site, port=0)
    try:
        assert server.reviews == site.parent / "unused" / "logicmine-reviews.json"
    finally:
        server.server_close()


def test_serve_refuses_what_is_not_a_site_or_a_broken_reviews_file(tmp_path, served):
    server, reviews, _ = served
    with pytest.raises(ServeError, match="logicmine build"):
        make_server(tmp_path, port=0)
    reviews.parent.mkdir(parents=True, exist_ok=True)
    reviews.write_text("{broken", encoding="utf-8")
    with pytest.raises(ServeError, match="not valid JSON"):
        make_server(server.site, reviews=reviews, port=0)
    with pytest.raises(ServeError, match="--port"):
        make_server(server.site, reviews=tmp_path / "other.json", port=server.port)


def test_cli_serve_reports_a_folder_that_is_not_a_site(tmp_path):
    result = CliRunner().invoke(main, ["serve", str(tmp_path), "--port", "0"])
    assert result.exit_code == 1
    assert "not a site built by" in result.output
