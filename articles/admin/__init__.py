"""The news desk: Django admin for stories, photos and reference data."""
from . import articles, front, photos, reference  # noqa: F401  (registers the ModelAdmins)
