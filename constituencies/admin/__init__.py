"""The Django admin: model admins (registered on import), the upload and bloc views, their forms."""

from django.contrib import admin

from constituencies.admin import elections, overrides, projections, records, results  # noqa: F401  (register the admins)

admin.site.site_header = "Seat Finder administration"  # the heading of every admin page
admin.site.site_title = "Seat Finder admin"  # after the page's own title in <title>
admin.site.index_title = "Elections, results and parties"
admin.site.index_template = "admin/constituencies/index.html"  # the imports, linked above the models
