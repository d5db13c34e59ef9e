"""The Django admin: model admins (registered on import), the results upload and bloc views, their forms."""

from constituencies.admin import model_admins  # noqa: F401  (registers the model admins)
