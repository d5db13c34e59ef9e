"""robots.txt, the favicon, and gzip for pages, downloads and the API (not the admin: BREACH)."""

import gzip
import json

import pytest


def test_robots_txt_allows_the_pages_and_keeps_crawlers_out_of_the_admin_and_bulk_data(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /seats/export.csv",
        "Disallow: /seats/export.json",
        "Disallow: /api/",
        "Allow: /",
    ]


def test_the_favicon_is_linked_and_favicon_ico_leads_to_it(client, db):
    assert (
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
        in client.get("/").content.decode()
    )
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")
    svg = client.get("/static/favicon.svg")
    assert b"".join(svg.streaming_content).startswith(b"<svg")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/seats/?election=ge2024", "text/html; charset=utf-8"),
        ("/seats/export.csv?election=ge2024", "text/csv; charset=utf-8"),
        ("/api/seats/?election=ge2024", "application/json"),
    ],
)
def test_html_csv_and_json_are_gzipped_for_clients_that_ask(ge2024, client, path, content_type):
    plain = client.get(path)
    assert "Content-Encoding" not in plain
    zipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert zipped["Content-Type"].startswith(content_type)
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content)
    if content_type == "application/json":
        assert json.loads(gzip.decompress(zipped.content))["count"] == 7


def test_the_admin_is_not_gzipped(admin_client):
    # Its pages carry a CSRF token beside what staff type: BREACH (seatfinder/middleware.py).
    response = admin_client.get("/admin/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and "Content-Encoding" not in response
