"""The real site's URLs plus a trivial view to measure against.

The trivial view goes through the same middleware, WSGI server and workers as the real pages, so the ratio
of a page's throughput to the trivial view's says what the page itself costs. It is never part of the site.
"""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("seatfinder.urls")),
]
