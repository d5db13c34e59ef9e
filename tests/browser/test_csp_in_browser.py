"""The Content-Security-Policy in a real Chromium: the voter's pages, the map, the seat list and the admin load
without a single violation (no inline script, no style= attribute), and the seat page's script still runs."""

import pytest

from tests.builders import GODALMING, add_postcode, notional_godalming_2019, small_ge2024

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched_page(page):
    """`page`, recording every CSP violation event and every console message that names the policy."""
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.console_policy_messages = []
    page.on(
        "console",
        lambda message: (
            page.console_policy_messages.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations") + page.console_policy_messages


ADMIN_PAGES = [
    "/admin/",
    "/admin/constituencies/election/",
    "/admin/constituencies/election/import/",
    "/admin/constituencies/pollprojection/upload/",
    "/admin/constituencies/party/",
    "/admin/constituencies/party/add/",
    "/admin/axes/accessattempt/",
]


@pytest.fixture
def seats(default_parties):
    small_ge2024()
    notional_godalming_2019()
    add_postcode("GU7 1AA", GODALMING[0])


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/postcode/?postcode=GU7+1AA",
        "/seats/godalming-and-ash/",
        "/map/",
        "/seats/?election=ge2024",
        "/search?q=a",
        "/join/",
    ],
)
def test_the_pages_load_without_a_policy_violation(watched_page, seats, path):
    response = watched_page.goto(path)
    assert response.ok
    assert "script-src 'self'" in response.headers["content-security-policy"]
    watched_page.wait_for_load_state("networkidle")
    assert violations(watched_page) == []


def test_the_seat_page_s_script_still_runs_under_the_policy(watched_page, seats):
    watched_page.goto("/seats/godalming-and-ash/")
    copy = watched_page.locator("a[data-copy-link]").first
    assert copy.get_attribute("role") == "button"  # set by static/js/copy-link.js
    assert violations(watched_page) == []


def test_the_admin_loads_without_a_policy_violation(watched_page, seats, django_user_model):
    password = "a long browser password"
    django_user_model.objects.create_superuser("editor", "editor@example.org", password)
    watched_page.goto("/admin/")
    watched_page.get_by_label("Username").fill("editor")
    watched_page.get_by_label("Password").fill(password)
    watched_page.get_by_role("button", name="Log in").click()
    watched_page.get_by_role("heading", name="Elections, results and parties").wait_for()
    for path in ADMIN_PAGES:
        watched_page.goto(path)
        watched_page.wait_for_load_state("networkidle")
        assert violations(watched_page) == [], path


def test_the_recorder_does_catch_an_inline_style(watched_page, seats):
    watched_page.goto("/")
    watched_page.evaluate("document.body.setAttribute('style', 'color: red')")
    watched_page.wait_for_function("window.__cspViolations.length > 0")
    assert any("style-src" in v for v in violations(watched_page))
