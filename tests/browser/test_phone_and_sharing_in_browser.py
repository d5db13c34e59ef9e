"""The seat list on a 390 px phone and at 1280 px, and the seat page's share card and copy-link button."""

import io

from PIL import Image

from tests.builders import small_ge2024

SELECT_TEXT_CUT = """[...document.querySelectorAll('select')].filter(s => {
  // A select is cut when it is narrower than it would be left to size itself to its longest option.
  const actual = s.getBoundingClientRect().width;
  const saved = s.getAttribute('style');
  s.style.width = 'auto'; s.style.minWidth = '0'; s.style.maxWidth = 'none';
  const natural = s.getBoundingClientRect().width;
  saved === null ? s.removeAttribute('style') : s.setAttribute('style', saved);
  return natural > actual + 0.5 || s.scrollWidth > s.clientWidth;
}).map(s => s.name)"""


def phone(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    context.set_default_timeout(10_000)
    return context


def test_on_a_390_px_phone_the_seat_list_is_cards_with_the_filters_folded(
    chromium, live_server, default_parties
):
    small_ge2024()
    context = phone(chromium, live_server)
    page = context.new_page()
    page.goto("/seats/?election=ge2024")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert page.locator("details.filters-fold").evaluate("d => d.open") is False
    assert not page.get_by_label("Winner").is_visible()
    cells = page.locator(".seat-table tbody tr").first.locator("td")
    assert cells.first.evaluate("td => getComputedStyle(td).display") == "flex"
    assert cells.first.evaluate("td => getComputedStyle(td, '::before').content") == '"Region"'
    # Every card fits the screen.
    widths = page.locator(".seat-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.getBoundingClientRect().right)"
    )
    assert len(widths) == 3 and max(widths) <= 390

    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Progressive tragedy").select_option("true")
    page.get_by_role("button", name="Show seats").click()
    page.wait_for_url("**tragedy=true**")
    assert page.locator("details.filters-fold").evaluate("d => d.open") is True  # filters in use stay open
    assert page.get_by_label("Progressive tragedy").input_value() == "true"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    context.close()


def test_at_1280_px_the_filters_show_and_no_select_cuts_its_text(page, default_parties):
    small_ge2024()
    page.goto("/seats/?election=ge2024")
    assert page.get_by_label("Winner").is_visible()  # not folded on a wide screen
    assert not page.locator("details.filters-fold > summary").is_visible()
    assert page.evaluate(SELECT_TEXT_CUT) == []
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280


def test_the_seat_page_share_card_and_copy_link(page, default_parties):
    small_ge2024()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/seats/godalming-and-ash/")
    card_url = page.locator('meta[property="og:image"]').get_attribute("content")
    assert card_url.startswith(page.url.split("/seats/")[0] + "/seats/godalming-and-ash/card.png?v=")
    card = page.request.get(card_url)
    assert card.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(card.body())).size == (1200, 630)

    link = page.get_by_role("button", name="Copy link")
    assert link.get_attribute("href") == page.url
    link.click()
    page.get_by_role("status").filter(has_text="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    assert page.url.endswith("/seats/godalming-and-ash/")  # the link was not followed
