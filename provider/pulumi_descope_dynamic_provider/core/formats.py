"""Checks of values with a format of their own: https URLs, PEM certificates, IP ranges and
date/times. Same contract as checks.py (which re-exports them): (property, value) -> (normalised,
None) or (None, how to fix it)."""

from __future__ import annotations

import base64
import ipaddress
import re
import urllib.parse
from datetime import UTC, datetime
from typing import Any

from .basics import number_problem as _number_problem
from .basics import shown as _shown
from .basics import sorted_set as _sorted_set
from .basics import type_name as _type_name

_LOOPBACK_HOSTS = ("localhost", "::1")


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_HOSTS or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def https_url(prop: str, value: Any) -> tuple[Any, str | None]:
    """An https URL ("" = none). Plain http is refused, except on loopback hosts (local tests):
    an identity provider's endpoints carry tokens and assertions."""
    if value is None or value == "":
        return value, None
    example = f"{prop}='https://idp.example.com/...'"
    if not isinstance(value, str):
        return None, f"{prop} must be a URL string, e.g. {example}; got {_type_name(value)}"
    if value != value.strip() or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return None, f"{prop} {_shown(value)} contains spaces or control characters; remove them"
    try:
        parts = urllib.parse.urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return None, f"{prop} {_shown(value)} is not a valid URL; e.g. {example}"
    if parts.scheme not in ("https", "http") or not host:
        return None, f"{prop} {_shown(value)} must be an absolute https:// URL, e.g. {example}"
    if parts.scheme == "http" and not _is_loopback(host):
        return None, (
            f"{prop} {_shown(value)} uses plain http; use https:// (http is accepted only for localhost, "
            "127.0.0.1 and ::1)"
        )
    return value, None


_PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.DOTALL)
_BASE64_BODY = re.compile(r"^[A-Za-z0-9+/]+={0,2}\Z")


def _der_element(der: bytes, pos: int) -> tuple[int, int, int] | None:
    """(tag, content start, content end) of the DER element at `pos`, or None if it is cut short."""
    if pos + 2 > len(der):
        return None
    tag, first = der[pos], der[pos + 1]
    start = pos + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or start + count > len(der):
            return None
        length = int.from_bytes(der[start : start + count], "big")
        start += count
    end = start + length
    return (tag, start, end) if end <= len(der) else None


def _looks_like_x509(der: bytes) -> bool:
    """Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE,
    signature BIT STRING }: the outer structure, exactly filled. Not a signature check; it catches
    truncated pastes, a private key or a CSR where a certificate belongs."""
    outer = _der_element(der, 0)
    if outer is None or outer[0] != 0x30 or outer[2] != len(der):
        return False
    pos, tags = outer[1], []
    while pos < outer[2]:
        element = _der_element(der, pos)
        if element is None:
            return False
        tags.append(element[0])
        pos = element[2]
    return pos == outer[2] and tags == [0x30, 0x30, 0x03]


def pem_certificate(prop: str, value: Any) -> tuple[Any, str | None]:
    """One X.509 certificate in PEM form (a bare base64 body is accepted too), normalised to
    64-character lines between the BEGIN/END lines so that whitespace never shows as a change."""
    if value is None:
        return None, None
    fix = "paste the IdP's signing certificate: -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----"
    if not isinstance(value, str):
        return None, f"{prop} must be a string; {fix}"
    text = value.strip()
    blocks = _PEM_BLOCK.findall(text)
    if len(blocks) > 1:
        return None, f"{prop} holds {len(blocks)} certificates; give one here (more in idp_additional_certs)"
    if blocks:
        if _PEM_BLOCK.sub("", text).strip():
            return None, f"{prop} has text outside its BEGIN/END CERTIFICATE lines; remove it"
        body = blocks[0]
    elif "-----" in text:
        return None, f"{prop} is not a PEM certificate (a key or a request?); {fix}"
    else:
        body = text
    body = "".join(body.split())
    if not body or not _BASE64_BODY.match(body) or len(body) % 4:
        return None, f"{prop} is not valid base64 between its BEGIN/END lines; {fix}"
    der = base64.b64decode(body, validate=True)
    if not _looks_like_x509(der):
        return None, f"{prop} does not contain an X.509 certificate (truncated?); {fix}"
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join(["-----BEGIN CERTIFICATE-----", *lines, "-----END CERTIFICATE-----"]), None


def epoch_seconds(prop: str, value: Any) -> tuple[Any, str | None]:
    """A point in time as whole epoch seconds: a number, or an ISO 8601 date or date/time string
    ("2027-01-31", "2027-01-31T18:00:00Z"; without a zone it is UTC)."""
    if value is None:
        return None, None
    example = f'{prop}="2027-01-31T18:00:00Z" or {prop}=1801418400 (epoch seconds)'
    if isinstance(value, bool):
        return None, f"{prop} must be a date/time or epoch seconds, e.g. {example}; got bool"
    if isinstance(value, int | float):
        problem = _number_problem(prop, value)
        if problem:
            return None, problem
        if value < 0 or (isinstance(value, float) and not value.is_integer()):
            return None, f"{prop} must be whole epoch seconds (>= 0), e.g. {example}; got {value!r}"
        return int(value), None
    if not isinstance(value, str):
        return None, f"{prop} must be a date/time or epoch seconds, e.g. {example}; got {_type_name(value)}"
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None, f"{prop} {_shown(value)} is not an ISO 8601 date/time; write it like {example}"
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp()), None


def cidr_set(prop: str, value: Any) -> tuple[Any, str | None]:
    """IP addresses and CIDR ranges (IPv4 or IPv6), in canonical form, de-duplicated and sorted."""
    expected = 'a list of IP addresses or CIDR ranges, e.g. ["10.0.0.0/8"]'
    return _sorted_set(prop, value, expected, _cidr, " such as '10.0.0.0/8'")


def _cidr(where: str, item: str) -> tuple[str | None, str | None]:
    text = item.strip()
    try:
        # A single address stays one (Descope keeps what it is sent); a range must be exact.
        single = "/" not in text
        return str(ipaddress.ip_address(text) if single else ipaddress.ip_network(text, strict=True)), None
    except ValueError:
        pass
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None, (
            f"{where} {_shown(item)} is not an IP address or CIDR range such as '203.0.113.7' or '10.0.0.0/8'"
        )
    return None, (
        f"{where} {_shown(item)} has host bits set; write the range as '{network}' (or the "
        "single address without a prefix length)"
    )
