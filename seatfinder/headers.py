"""The Permissions-Policy header on every response (django-csp sends the Content-Security-Policy; Django's
SecurityMiddleware sends Referrer-Policy, X-Content-Type-Options and, under the deploy settings, HSTS)."""

from django.conf import settings


def permissions_policy(features: dict[str, tuple[str, ...]]) -> str:
    """`camera=(), geolocation=()`: each feature allowed only to the origins listed, so () turns it off."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in features.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(settings.SEATFINDER_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
