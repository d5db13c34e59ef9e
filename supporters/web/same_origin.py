"""Why the seat page's join form carries no CSRF token, and what stands in for it.

The seat page is the busiest page on the site, and caches (each process's response cache, nginx, a CDN) can
keep it only if it is the same for everyone; a CSRF token is not (it is per visitor, and sets a cookie). So
the panel's form posts to /join/ without one, and the join view accepts a post that either carries a valid
token (the /join/ page's own form, which is private) or comes from this site by its `Origin` header (or, from
a browser that sends none, its `Referer`), checked here against the site's own scheme and host and
CSRF_TRUSTED_ORIGINS.

What a CSRF token defends is small on this form: joining acts with no one's session or account (whoever could
forge the post could send it themselves), and nothing counts until the emailed link is followed. A forged
cross-site post could only spend a visitor's IP address's join and email limits; every current browser sends
`Origin` with a cross-site form POST, so that is refused. A post with neither header (a privacy tool strips
both) gets the /join/ page back with what was typed and a token, so pressing Join again works.

The other way (the panel a GET step to /join/?seat=..., which shows the real form) was not taken: every
supporter would fill in a second page, and the panel's form, which is the point of the panel, would move off
the seat page.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.middleware.csrf import CsrfViewMiddleware

NOT_FROM_THIS_SITE = (
    "Your browser did not tell us that this form came from Seat Finder, so nothing has been saved. "
    "Please check your details and press Join again."
)


def from_this_site(request) -> bool:
    origin = request.META.get("HTTP_ORIGIN", "")
    if not origin:
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.scheme and referer.netloc else ""
    if not origin or origin == "null":
        return False
    try:
        ours = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return False
    return origin == ours or origin in settings.CSRF_TRUSTED_ORIGINS


def has_valid_csrf_token(request) -> bool:
    """Django's own check (token, and Origin or Referer when sent), for a view that is csrf_exempt."""
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is None


def join_post_allowed(request) -> bool:
    return from_this_site(request) or has_valid_csrf_token(request)
