"""Routes of the API areas: a handler method declares its own ``(method, path)`` with ``@route``, and
``routes_of(area)`` gives the area's table, which ``app.Emulator`` composes.

A ``POST``/``PATCH`` route calls ``handler(body, **options)``. A ``GET``/``DELETE`` route has no body: it
calls ``handler(<first value of each named query parameter, "" when absent>..., **options)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

Query = Mapping[str, list[str]]
Handler = Callable[[Mapping[str, Any], Query], dict[str, Any]]
Routes = dict[tuple[str, str], Handler]

F = TypeVar("F", bound=Callable[..., dict[str, Any]])

_MARKS: Final = "__descope_emulator_routes__"
_WITHOUT_BODY: Final = ("GET", "DELETE")


@dataclass(frozen=True)
class _Route:
    method: str
    path: str
    query: tuple[str, ...]  # the query parameters a GET or DELETE handler takes, in order
    options: dict[str, Any] = field(default_factory=dict)


def route(method: str, path: str, *query: str, **options: Any) -> Callable[[F], F]:
    """Marks an area method as the handler of ``method path`` (stackable: one method, several routes);
    ``query`` names the parameters of a GET or DELETE route, ``options`` are passed as keywords."""

    def mark(function: F) -> F:
        marks: list[_Route] = [*getattr(function, _MARKS, []), _Route(method, path, query, options)]
        setattr(function, _MARKS, marks)
        return function

    return mark


def query_value(query: Query, name: str) -> str:
    values = query.get(name) or [""]
    return values[0]


def routes_of(area: object) -> Routes:
    """The routes the methods of ``area`` declare. The method is looked up on ``area`` at each call,
    so a test that replaces it on the instance (to hold or change an answer) is heard."""
    routes: Routes = {}
    for name in dir(type(area)):
        for mark in getattr(getattr(type(area), name), _MARKS, ()):
            routes[(mark.method, mark.path)] = _handler(area, name, mark)
    return routes


def _handler(area: object, method: str, mark: _Route) -> Handler:
    def handle(body: Mapping[str, Any], query: Query) -> dict[str, Any]:
        bound: Callable[..., dict[str, Any]] = getattr(area, method)
        if mark.method in _WITHOUT_BODY:
            return bound(*(query_value(query, name) for name in mark.query), **mark.options)
        return bound(body, **mark.options)

    return handle
