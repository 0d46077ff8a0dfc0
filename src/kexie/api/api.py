"""The JSON API under /api/v1/: the same services and scoping as the pages."""

from ninja import NinjaAPI

api = NinjaAPI(title="kexie API", version="1", urls_namespace="api")
