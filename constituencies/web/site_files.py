"""The files every site is asked for: /robots.txt and /favicon.ico."""

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse

from constituencies.seats.data_version import without_version_validators

# Crawlers may read every page (the share cards too: link previews fetch them); not the admin, and not the
# downloads and the API, which hold the same figures as the pages in bulk.
DISALLOWED = (
    "admin:index",
    "constituencies:seat_list_csv",
    "constituencies:seat_list_json",
    "constituencies:api_docs",
)


@without_version_validators  # the same whatever the seat data: no version read
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {reverse(name)}" for name in DISALLOWED), "Allow: /"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@without_version_validators
def favicon(request):
    """Browsers that ask for /favicon.ico before reading the page's <link rel="icon"> get the SVG."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
