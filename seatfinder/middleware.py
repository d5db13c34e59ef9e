"""Compression of the site's responses."""

from django.middleware.gzip import GZipMiddleware


class PublicGZipMiddleware(GZipMiddleware):
    """Gzips HTML, CSV and JSON (and any other response) for clients that accept it, except under /admin/.

    BREACH (see Django's GZipMiddleware docs): a compressed page that carries a secret, such as a CSRF token,
    beside text an attacker can choose may leak the secret through its length. The public pages carry no CSRF
    token (their forms are GETs) and no one's private data, so they are compressed; the admin's pages carry
    both, and few people load them, so they are sent as they are. Static files are compressed by WhiteNoise.
    """

    def process_response(self, request, response):
        if request.path_info.startswith("/admin/"):
            return response
        return super().process_response(request, response)
