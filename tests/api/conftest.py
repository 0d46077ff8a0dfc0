"""Helpers for the API tests: a bearer-token client per persona."""

import json

import pytest
from django.test import Client, RequestFactory

from kexie.accounts.services import issue_token
from kexie.core.errors import DomainError

API = "/api/v1"


class ApiClient:
    """Django's test client (full middleware stack) speaking JSON with a bearer token."""

    def __init__(self, token: str | None = None, **client_kwargs):
        self.client = Client(**client_kwargs)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, body=None, **params):
        kwargs = {"headers": self.headers}
        if body is not None:
            kwargs["data"] = body if isinstance(body, str | bytes) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        elif params:
            kwargs["data"] = params
        return getattr(self.client, method)(API + path, **kwargs)

    def get(self, path, **params):
        return self._send("get", path, **params)

    def post(self, path, body=None):
        return self._send("post", path, body if body is not None else {})

    def patch(self, path, body=None):
        return self._send("patch", path, body if body is not None else {})


def token_for(user) -> str:

    request = RequestFactory().post(f"{API}/auth/token")
    try:
        return issue_token(username=user.username, password="kexie-test-pass", request=request)
    except DomainError as exc:  # pragma: no cover - a broken fixture should say why
        raise AssertionError(exc.message) from exc


@pytest.fixture
def as_user():
    """``as_user(world.county_staff)`` → an ApiClient carrying that user's token."""
    return lambda user, **kwargs: ApiClient(token_for(user), **kwargs)


@pytest.fixture
def anonymous():
    return ApiClient()
