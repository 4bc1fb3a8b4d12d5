"""The classification table on its own: which typed error each Descope error answer becomes."""

from __future__ import annotations

import pytest
from pulumi_descope_dynamic_provider.api.classify import ERROR_TABLE, ErrorAnswer, classify, error_words
from pulumi_descope_dynamic_provider.api.errors import (
    AlreadyExistsError,
    DescopeError,
    InvalidArgumentError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnauthorizedError,
)

GONE = frozenset({"E112202"})

CASES: list[tuple[int, str | None, str, type[DescopeError], str]] = [
    # status, errorCode, text, error class, rule
    (429, "E130429", "Rate limit", RateLimitedError, "rate limited"),
    (429, None, "HTTP 429 Too Many Requests", RateLimitedError, "rate limited"),
    (400, "E130429", "Rate limit", RateLimitedError, "rate limited"),  # the code alone is enough
    (503, "E130429", "Rate limit", RateLimitedError, "rate limited"),  # before "server error"
    (302, None, "HTTP 302 Found", DescopeError, "redirect"),
    (500, "E000", "oops", ServerError, "server error"),
    (503, None, "busy", ServerError, "server error"),
    (530, None, "origin unreachable", ServerError, "server error"),
    (500, "E112202", "tenant not found", ServerError, "server error"),  # a 5xx never means gone
    (400, "E112202", "tenant not found", NotFoundError, "gone"),
    (404, "E112202", "tenant not found", NotFoundError, "gone"),
    (404, "E112402", "permission not found", DescopeError, "foreign 404"),  # not this API's code
    (404, None, "HTTP 404 Not Found: 'page not found'", DescopeError, "foreign 404"),
    (401, "E011005", "Unauthorized", UnauthorizedError, "credentials refused"),
    (403, None, "forbidden", UnauthorizedError, "credentials refused"),
    (403, None, "name already exists", UnauthorizedError, "credentials refused"),
    (409, None, "conflict", AlreadyExistsError, "already exists"),
    (400, "E011004", "Tenant name already exists", AlreadyExistsError, "already exists"),
    (400, None, "domain already in use", AlreadyExistsError, "already exists"),
    (400, None, "Domain Already Taken", AlreadyExistsError, "already exists"),
    (400, None, "duplicate id", AlreadyExistsError, "already exists"),
    (400, "E011002", "name is required", InvalidArgumentError, "invalid argument"),
    (400, "E011003", "Request failed validation", InvalidArgumentError, "invalid argument"),
    (422, "E011004", "Invalid argument", InvalidArgumentError, "invalid argument"),
    (400, None, "bad", InvalidArgumentError, "invalid argument"),
    (422, None, "unprocessable", DescopeError, "anything else"),
    (418, "E999", "teapot", DescopeError, "anything else"),
]


@pytest.mark.parametrize(("status", "code", "text", "error", "rule"), CASES)
def test_the_table(status: int, code: str | None, text: str, error: type[DescopeError], rule: str) -> None:
    found = classify(ErrorAnswer(status, code, text, GONE))
    assert (found.error, found.name) == (error, rule)


def test_the_gone_codes_are_per_call() -> None:
    assert classify(ErrorAnswer(400, "E112202", "not found")).error is InvalidArgumentError
    assert classify(ErrorAnswer(400, "E112202", "not found", GONE)).error is NotFoundError


def test_every_row_is_reachable_and_the_last_matches_anything() -> None:
    assert {rule for *_, rule in CASES} == {rule.name for rule in ERROR_TABLE}
    assert ERROR_TABLE[-1].matches(ErrorAnswer(0, None, ""))


def test_messages_name_the_fix() -> None:
    def message(status: int, code: str | None, text: str) -> str:
        rule = classify(ErrorAnswer(status, code, text, GONE))
        return rule.message.format(text=text, base_url="https://api.example", location="https://elsewhere")

    assert message(429, None, "slow") == "rate limited by Descope: slow"
    assert message(301, None, "moved") == (
        "unexpected redirect to https://elsewhere; set descope:baseUrl to the API's final address"
    )
    assert message(404, None, "page not found") == (
        "unexpected 404 from https://api.example (page not found); check descope:baseUrl"
    )
    assert message(400, None, "Tenant already exists") == "Tenant already exists"
    assert "descope:managementKey" in message(401, None, "Unauthorized")


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (
            {"errorCode": "E011004", "errorDescription": "Invalid argument", "errorMessage": "bad id"},
            ("E011004", "Invalid argument; bad id"),
        ),
        ({"errorCode": "E1", "errorDescription": "same", "errorMessage": "same"}, ("E1", "same")),
        ({"errorCode": 7, "errorMessage": "odd code"}, (None, "odd code")),
        ({"errorDescription": ""}, (None, "")),
        (["not", "an", "object"], (None, "")),
        (None, (None, "")),
    ],
)
def test_error_words(payload: object, words: tuple[str | None, str]) -> None:
    assert error_words(payload) == words
