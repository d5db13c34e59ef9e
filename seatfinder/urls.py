from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("constituencies.urls")),
    path("", include("supporters.urls")),
]

# JSON under /api/, Django's pages elsewhere (constituencies/api/responses.py).
handler400 = "constituencies.api.responses.bad_request"
handler404 = "constituencies.api.responses.not_found"
handler500 = "constituencies.api.responses.server_error"
