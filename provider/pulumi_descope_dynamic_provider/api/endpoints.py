"""Endpoints declared once: the method, the path, the "not found" codes, the answer's model and how
an operation names its object. `Transport._request` sends one, `Transport._found` loads one (None
when it is gone) and `Transport._removed` deletes one (False when it was already gone), so an API
module states what an endpoint is instead of repeating how it is called.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

A = TypeVar("A", bound=BaseModel)

# The methods whose fields travel in the query string; every other method sends them as a JSON body.
QUERY_METHODS = frozenset({"GET", "DELETE"})


@dataclass(frozen=True)
class Endpoint(Generic[A]):
    method: str
    path: str
    operation: str | Callable[[Mapping[str, Any]], str]
    """How messages name a call: formatted with the request's fields ("load access key {id!r}"), or
    made from them."""
    gone: frozenset[str] = frozenset()
    """Descope's error codes that mean "this object does not exist" here (NotFoundError)."""
    answer: type[A] | None = None
    """The model the answer is validated as; None: the JSON as it is."""

    @property
    def read_only(self) -> bool:
        """A GET changes nothing, so an answer that cannot be read is asked for again."""
        return self.method == "GET"

    def named(self, fields: Mapping[str, Any]) -> str:
        if callable(self.operation):
            return self.operation(fields)
        return self.operation.format(**fields)

    def arguments(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The keyword arguments of `Transport._call` for a call with these fields: they travel as
        the query or the body; the "not found" codes, the answer's model, whether it reads only."""
        carried = {"params": dict(fields)} if self.method in QUERY_METHODS else {"body": dict(fields)}
        return {**carried, "gone": self.gone, "parse": self.answer, "read_only": self.read_only}
