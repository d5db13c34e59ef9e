"""How every JSON endpoint answers: its bodies, its errors, and the methods it takes.

Every error under /api/ is JSON with `error` and a plain-English `message`: the endpoints' own (400, 404, 410,
503) and those Django raises for them (an unknown /api/ path 404, a method other than GET, HEAD or OPTIONS 405,
a bad request 400, a crash 500), through `json_api` on every endpoint and the error handlers that
seatfinder/urls.py names. Pages keep Django's HTML error pages.
"""

from __future__ import annotations

import functools

from django.http import HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View, defaults
from django.views.decorators.csrf import csrf_exempt

API_PREFIX = "/api/"
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
ALLOW = ", ".join(ALLOWED_METHODS)


def api_response(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public, read-only data: any site may call it
    return response


def election_summary(election) -> dict:
    """How every endpoint names the election it answers for."""
    return {
        "slug": election.slug,
        "name": election.name,
        "date": election.date.isoformat(),
        "kind": election.kind,
    }


def api_error(message: str, status: int, errors: dict | None = None, **extra) -> JsonResponse:
    """The seats, elections and advice endpoints' errors: `error` is the message itself (as it always was),
    `message` the same text, `errors` the problems by parameter."""
    body = {"error": message, "message": message}
    if errors:
        body["errors"] = errors
    body.update(extra)
    return api_response(body, status=status)


def coded_error(code: str, message: str, status: int) -> JsonResponse:
    """An error every endpoint shares: `error` a stable code, `message` plain English."""
    return api_response({"error": code, "message": message}, status=status)


def json_api(view):
    """An endpoint's methods: GET; HEAD the same answer (its headers only); OPTIONS 200 with `Allow` (and what a
    browser's cross-origin check asks); any other method 405 JSON with `Allow`. No CSRF check: nothing here
    changes anything, so a POST gets the 405 rather than a CSRF page. On a function view, or on a class-based
    view's dispatch (`JsonApiView`)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        method = request.method
        if method == "GET" or method == "HEAD":
            # HEAD gets GET's answer, compressed and measured alike; the server (gunicorn, runserver) sends
            # its headers only, as it does for Django's class-based views.
            return view(request, *args, **kwargs)
        if method == "OPTIONS":
            response = HttpResponse(status=200)
            response["Allow"] = ALLOW
            response["Content-Length"] = "0"
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = ALLOW
            return response
        response = coded_error(
            "method_not_allowed", f"{method[:20]} is not allowed here: the API answers {ALLOW}.", 405
        )
        response["Allow"] = ALLOW
        return response

    return csrf_exempt(wrapper)


class JsonApiView(View):
    """The base of the class-based endpoints: `json_api` on their dispatch."""

    @method_decorator(json_api)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


# The error handlers (seatfinder/urls.py): JSON under /api/, Django's pages elsewhere. They never ask for the
# request's host, which may be the very thing that was refused.


def bad_request(request, exception):
    if is_api(request):
        return coded_error("bad_request", "The request could not be understood.", 400)
    return defaults.bad_request(request, exception)


def not_found(request, exception):
    if is_api(request):
        return coded_error(
            "not_found", f"There is nothing at {request.path_info[:200]}; /api/ lists the endpoints.", 404
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return coded_error("server_error", "Something went wrong on our side; please try again later.", 500)
    return defaults.server_error(request)
