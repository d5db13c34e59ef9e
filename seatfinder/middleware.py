"""Compression of the site's responses."""

from django.middleware.gzip import GZipMiddleware

UNCOMPRESSED = ("/admin/", "/your-data/", "/join/confirm/", "/unsubscribe/")


class PublicGZipMiddleware(GZipMiddleware):
    """Gzips HTML, CSV and JSON (and any other response) for clients that accept it, except under UNCOMPRESSED.

    BREACH (see Django's GZipMiddleware docs): a compressed page that carries a secret beside text an attacker
    can choose may leak the secret through its length. The public pages carry no one's private data; the join
    form's CSRF token is masked afresh in every response (Django's defence), so they are compressed. The admin's
    pages, and the supporters' pages that show their own data or act on a signed link, are sent as they are.
    """

    def process_response(self, request, response):
        if request.path_info.startswith(UNCOMPRESSED):
            return response
        return super().process_response(request, response)
