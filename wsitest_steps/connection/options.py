"""What an actor sends with its websocket handshake, beyond the URL itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

from ..protocols.base import Opening


@dataclass
class ConnectOptions:
    """Query parameters, headers, subprotocols, Origin and cookies for one connection.

    Query parameters are percent-encoded and appended to any query the URL already has,
    which is kept as written: ``Rob Smith`` and ``a&b=c`` arrive literally and ``?room=1``
    stays. ``origin=None`` lets websocket-client send its default Origin (the URL's host).
    """

    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    subprotocols: list[str] = field(default_factory=list)
    origin: str | None = None
    cookies: list[str] = field(default_factory=list)
    #: The protocol spoken over the websocket (``socketio``, ``GraphQL``), ``None`` for raw frames.
    protocol: str | None = None
    #: What the protocol's handshake sends (auth payload, namespace).
    opening: Opening = field(default_factory=Opening)
    #: Values of an AsyncAPI channel address's ``{parameters}``, when the endpoint is a channel.
    parameters: dict[str, str] = field(default_factory=dict)

    def apply_to(self, url: str) -> str:
        """``url`` with the query parameters appended, each name and value percent-encoded."""
        if not self.query:
            return url
        parts = urlsplit(url)
        added = "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in self.query)
        query = f"{parts.query}&{added}" if parts.query else added
        return urlunsplit(parts._replace(query=query))

    def header_lines(self) -> list[str]:
        return [f"{name}: {value}" for name, value in self.headers]

    def cookie_header(self) -> str | None:
        return "; ".join(self.cookies) if self.cookies else None
