"""Hiding secrets in everything the library prints: reports, logs, transcripts."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

#: Header and query-parameter names whose values never appear in any output (compared
#: case-insensitively, ``-`` and ``_`` alike). Userdata ``ws_secrets`` adds more.
SECRET_NAMES = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "token",
        "access-token",
        "refresh-token",
        "id-token",
        "password",
        "passwd",
        "passcode",
        "secret",
        "client-secret",
        "session",
        "sessionid",
        "signature",
        "sig",
        "auth",
    }
)
MASK = "***"
# Shorter values are masked where they appear as a header or parameter, but not searched for
# in free text: masking every "abc" in every message would make transcripts unreadable.
MIN_SECRET_LENGTH = 6
# Words that make a variable or JSON field name secret: "session_token", "DB_PASSWORD", "apiKey".
_SECRET_WORDS = frozenset(
    {
        "token",
        "secret",
        "password",
        "passwd",
        "passcode",
        "pwd",
        "auth",
        "credential",
        "credentials",
        "cookie",
        "session",
        "sessionid",
        "jwt",
        "apikey",
        "signature",
    }
)
_KEY_OWNERS = frozenset({"api", "access", "private", "secret", "client", "signing"})
_NAME_PARTS = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")


def _normal(name: str) -> str:
    return name.strip().lower().replace("_", "-")


class Redactor:
    """Hides secrets in everything the library prints: reports, logs, transcripts.

    Values are secret when they are sent in a header or query parameter with a secret name
    (see :data:`SECRET_NAMES`, plus ``extra_names``), or registered with :meth:`add_secret`.
    Once known, a secret value is masked wherever it appears, in any text, including
    messages received later (a token echoed back by a server).
    """

    def __init__(self, extra_names: Iterable[str] = ()) -> None:
        self.names = set(SECRET_NAMES) | {_normal(name) for name in extra_names}
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def is_secret_name(self, name: str) -> bool:
        return _normal(name) in self.names

    def looks_secret(self, name: str) -> bool:
        """For variables and JSON fields: a name such as ``API_TOKEN``, ``db_password`` or ``apiKey``.

        Whole words count, so ``author`` is not ``auth``.
        """
        if self.is_secret_name(name):
            return True
        parts = [part.lower() for part in _NAME_PARTS.split(name) if part]
        if any(part in _SECRET_WORDS for part in parts):
            return True
        return any(second == "key" and first in _KEY_OWNERS for first, second in itertools.pairwise(parts))

    def add_secret(self, value: object) -> None:
        """Mask ``value`` (and, for ``Bearer xyz``, ``xyz``) wherever it appears from now on."""
        if not isinstance(value, str):
            return
        candidates = {value.strip()}
        scheme, _, credential = value.strip().partition(" ")
        if credential and scheme.isalpha():
            candidates.add(credential.strip())
        if "=" in value and ";" not in value:  # a cookie pair: name=value
            candidates.add(value.split("=", 1)[1].strip())
        with self._lock:
            before = len(self._values)
            self._values.update(v for v in candidates if len(v) >= MIN_SECRET_LENGTH)
            if len(self._values) != before:
                ordered = sorted(self._values, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(v) for v in ordered))

    def add_secret_fields(self, value: Any) -> None:
        """Mask, from now on, the values of JSON fields with secret names in ``value`` (a login's token, a passcode)."""
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                for key, child in item.items():
                    if isinstance(child, str) and self.looks_secret(str(key)):
                        self.add_secret(child)
                    else:
                        stack.append(child)
            elif isinstance(item, list):
                stack.extend(item)

    def text(self, text: str) -> str:
        """``text`` with every known secret value replaced by ``***``."""
        pattern = self._pattern
        if pattern is None or not text:
            return text
        return pattern.sub(MASK, text)

    def header(self, name: str, value: str) -> str:
        """How a header's value may be shown; remembers it as a secret if its name is one."""
        if self.is_secret_name(name):
            self.add_secret(value)
            return MASK
        return self.text(value)

    def url(self, url: str) -> str:
        """``url`` with secret query values and any password in it shown as ``***``."""
        if "?" not in url and "@" not in url:
            return self.text(url)  # nothing to look for: the common case, kept cheap (every connect)
        try:
            parts = urlsplit(url)
        except ValueError:
            return self.text(url)
        netloc = parts.netloc
        if parts.password:
            self.add_secret(parts.password)
            netloc = netloc.replace(f":{parts.password}@", f":{MASK}@")
        query = parts.query
        pairs = parse_qsl(query, keep_blank_values=True) if query else []
        if not any(self.is_secret_name(name) for name, _ in pairs) and netloc == parts.netloc:
            return self.text(url)
        if pairs:
            pieces = []
            for name, value in pairs:
                if self.is_secret_name(name):
                    self.add_secret(value)
                    value = MASK
                pieces.append(f"{quote(name, safe='')}={quote(value, safe='*')}")
            query = "&".join(pieces)
        return self.text(urlunsplit(parts._replace(netloc=netloc, query=query)))
