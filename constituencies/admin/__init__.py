"""The Django admin: model admins (registered on import), the results upload and bloc views, their forms."""

from constituencies.admin import elections, overrides, records, results  # noqa: F401  (register the admins)
