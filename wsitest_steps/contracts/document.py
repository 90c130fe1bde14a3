"""An AsyncAPI document (2.6 or 3.x, YAML or JSON) read into what a test checks: servers, channels, messages.

Every ``$ref`` is resolved with ``referencing`` (the library jsonschema uses), across files
relative to the document as well as within it; schemas stay where they are in the document and
are validated there (:mod:`.conformance`), so their own references resolve as the document meant.

Directions are the client's, whatever the document's version says: AsyncAPI 2 describes what
the application *publishes* (the client receives it, in the channel's ``subscribe`` operation)
and what it is *published* (the client sends it, ``publish``); AsyncAPI 3 says ``send`` for what
the application sends (the client receives) and ``receive`` for what it receives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote, urldefrag, urljoin

from ..errors import ConfigurationError

#: Which way a message goes, from the client's side.
Direction = Literal["sends", "receives"]


@dataclass(frozen=True)
class MessageSpec:
    """One message the document defines: ``name`` as a sentence names it, its schemas by URI."""

    name: str
    #: The absolute URI of its payload schema (``None``: any payload), and of its headers schema.
    payload: str | None
    headers: str | None
    examples: tuple[Any, ...] = ()
    #: Other words it answers to: its key in the document, its ``name``, its ``messageId``.
    aliases: frozenset[str] = frozenset()

    def called(self, word: str) -> bool:
        return word == self.name or word in self.aliases


@dataclass(frozen=True)
class Operation:
    """``direction`` of ``messages`` over a channel; ``name`` is its id or a name made from the channel."""

    name: str
    direction: Direction
    messages: tuple[MessageSpec, ...]


@dataclass
class Channel:
    """A channel: ``name`` (its id, in AsyncAPI 3; its address, in 2), ``address`` with ``{parameters}``."""

    name: str
    address: str
    operations: list[Operation] = field(default_factory=list)

    def messages(self, direction: Direction) -> list[MessageSpec]:
        found: dict[str, MessageSpec] = {}
        for operation in self.operations:
            if operation.direction == direction:
                for message in operation.messages:
                    found.setdefault(message.name, message)
        return list(found.values())


@dataclass
class AsyncAPIDocument:
    """A document read by :func:`load_document`; ``registry`` resolves every schema URI in it."""

    path: Path
    version: str
    title: str
    servers: dict[str, str]
    channels: list[Channel]
    registry: Any  # referencing.Registry, imported only when a document is read

    def every_message(self) -> list[tuple[Channel, Operation, MessageSpec]]:
        return [(c, o, m) for c in self.channels for o in c.operations for m in o.messages]


def load_document(path: Path) -> AsyncAPIDocument:
    """Read the document at ``path``; :class:`ConfigurationError` in words if it cannot be read or is not AsyncAPI 2.6 or 3.x."""
    try:
        import referencing
    except ImportError:  # pragma: no cover - the contracts extra is missing
        raise ConfigurationError(
            "Checking messages against an AsyncAPI document needs the contracts extra: pip install 'wsitest-steps[contracts]'."
        ) from None
    path = path.resolve()
    root = _read(path)
    version = str(root.get("asyncapi", "")) if isinstance(root, dict) else ""
    if not version.startswith(("2.", "3.")):
        raise ConfigurationError(
            f"{path} is not an AsyncAPI document of version 2 or 3: its asyncapi field is {version or 'missing'}."
        )
    base = path.as_uri()

    def retrieve(uri: str) -> Any:
        return referencing.Resource.from_contents(_read(Path(_file_path(uri))), default_specification=_DRAFT7())

    registry = referencing.Registry(retrieve=retrieve).with_resource(  # type: ignore[call-arg]
        base, referencing.Resource.from_contents(root, default_specification=_DRAFT7())
    )
    reader = _Reader(registry, base)
    servers = _servers(root.get("servers") or {}, version)
    channels = reader.channels_v3(root) if version.startswith("3.") else reader.channels_v2(root)
    title = str((root.get("info") or {}).get("title", path.name))
    return AsyncAPIDocument(path, version, title, servers, channels, reader.registry)


def _DRAFT7() -> Any:
    from referencing.jsonschema import DRAFT7

    return DRAFT7


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"Cannot read the AsyncAPI document {path}: {exc.strerror or exc}.") from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        import yaml  # type: ignore[import-untyped,unused-ignore]

        return yaml.safe_load(text)
    except Exception as exc:  # yaml.YAMLError or ValueError, both say where
        raise ConfigurationError(f"The AsyncAPI document {path} is not valid {path.suffix.lstrip('.').upper()}: {exc}") from None


def _file_path(uri: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(uri)
    if parts.scheme != "file":
        raise ConfigurationError(f"The AsyncAPI document refers to {uri}; only files beside it can be read, never the network.")
    return unquote(parts.path)


def _servers(servers: dict[str, Any], version: str) -> dict[str, str]:
    found = {}
    for name, server in servers.items():
        if not isinstance(server, dict):
            continue
        if version.startswith("2."):
            url = str(server.get("url", ""))
            if "://" not in url:
                url = f"{server.get('protocol', 'ws')}://{url}"
        else:
            url = f"{server.get('protocol', 'ws')}://{server.get('host', '')}{server.get('pathname', '')}"
        found[str(name)] = url
    return found


def _pointer(uri: str, *keys: str | int) -> str:
    # A JSON pointer appended to a URI's fragment: "~" and "/" escaped (RFC 6901), the rest quoted.
    escaped = [quote(str(k).replace("~", "~0").replace("/", "~1"), safe="~") for k in keys]
    return uri + ("" if "#" in uri else "#") + "".join("/" + e for e in escaped)


class _Reader:
    def __init__(self, registry: Any, base: str) -> None:
        self.registry = registry
        self.base = base

    def resolve(self, node: Any, uri: str) -> tuple[Any, str]:
        """``node`` with its ``$ref`` followed (again and again), and the URI where it was found."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target = urljoin(uri, node["$ref"])
            if "#" not in target:
                target += "#"
            document, fragment = urldefrag(target)
            if not document.startswith("file:"):
                _file_path(document)  # says, in words, that only files beside the document are read
            try:
                resolved = self.registry.resolver(base_uri=document).lookup(f"#{fragment}" if fragment else "")
            except Exception as exc:  # referencing's Unresolvable, caused by what retrieve raised
                cause: BaseException | None = exc
                while cause is not None:
                    if isinstance(cause, ConfigurationError):
                        raise cause from None
                    cause = cause.__cause__
                raise ConfigurationError(
                    f"The AsyncAPI document's $ref {node['$ref']!r} at {uri} cannot be resolved: {exc}."
                ) from None
            node, uri = resolved.contents, target
            seen += 1
            if seen > 50:
                raise ConfigurationError(f"The AsyncAPI document's $ref at {uri} refers to itself in a loop.")
        return node, uri

    def message(self, node: Any, uri: str, key: str | None) -> list[MessageSpec]:
        node, found = self.resolve(node, uri)
        if not isinstance(node, dict):
            return []
        if "oneOf" in node and "payload" not in node:  # AsyncAPI 2: one of several messages
            return [m for i, item in enumerate(node["oneOf"]) for m in self.message(item, _pointer(found, "oneOf", i), None)]
        # A message reached by $ref is called what it is called where it is defined (components/messages/X).
        component = unquote(found.rsplit("/", 1)[-1]).replace("~1", "/").replace("~0", "~") if found != uri else None
        uri = found
        aliases = {str(a) for a in (key, component, node.get("name"), node.get("messageId")) if a}
        name = str(node.get("name") or node.get("messageId") or key or component or "message")
        payload = self._schema_uri(node, uri, "payload")
        headers = self._schema_uri(node, uri, "headers")
        examples = tuple(e.get("payload") for e in node.get("examples") or [] if isinstance(e, dict) and "payload" in e)
        return [MessageSpec(name, payload, headers, examples, frozenset(aliases))]

    def _schema_uri(self, message: dict[str, Any], uri: str, part: str) -> str | None:
        if part not in message:
            return None
        schema = message[part]
        if isinstance(schema, dict) and "schemaFormat" in schema and "schema" in schema:  # AsyncAPI 3's multi-format schema
            format_ = str(schema["schemaFormat"])
            if "json" not in format_ and "asyncapi" not in format_:
                raise ConfigurationError(f"The message at {uri} has a {part} in {format_}; only JSON Schema can be checked.")
            return _pointer(uri, part, "schema")
        return _pointer(uri, part)

    def channels_v2(self, root: dict[str, Any]) -> list[Channel]:
        channels = []
        for address, node in (root.get("channels") or {}).items():
            node, uri = self.resolve(node, _pointer(self.base, "channels", address))
            channel = Channel(str(address), str(address))
            for word, direction in (("subscribe", "receives"), ("publish", "sends")):
                operation = node.get(word) if isinstance(node, dict) else None
                if isinstance(operation, dict) and "message" in operation:
                    messages = self.message(operation["message"], _pointer(uri, word, "message"), None)
                    name = str(operation.get("operationId") or f"{word} {address}")
                    channel.operations.append(Operation(name, direction, tuple(messages)))  # type: ignore[arg-type]
            channels.append(channel)
        return channels

    def channels_v3(self, root: dict[str, Any]) -> list[Channel]:
        by_uri: dict[str, Channel] = {}
        declared: dict[str, dict[str, MessageSpec]] = {}
        for key, node in (root.get("channels") or {}).items():
            node, uri = self.resolve(node, _pointer(self.base, "channels", key))
            if not isinstance(node, dict):
                continue
            address = node.get("address")
            channel = Channel(str(key), str(address if address is not None else key))
            by_uri[uri] = by_uri[_pointer(self.base, "channels", key)] = channel
            messages: dict[str, MessageSpec] = {}
            for name, message in (node.get("messages") or {}).items():
                for spec in self.message(message, _pointer(uri, "messages", name), str(name)):
                    messages[_pointer(uri, "messages", name)] = spec
            declared[channel.name] = messages
        for key, node in (root.get("operations") or {}).items():
            node, uri = self.resolve(node, _pointer(self.base, "operations", key))
            if not isinstance(node, dict) or not isinstance(node.get("channel"), dict):
                continue
            _, channel_uri = self.resolve(node["channel"], _pointer(uri, "channel"))
            if channel_uri not in by_uri:
                raise ConfigurationError(f"The operation {key} refers to {channel_uri}, which is no channel of the document.")
            channel = by_uri[channel_uri]
            direction = "receives" if node.get("action") == "send" else "sends"
            chosen = []
            for i, ref in enumerate(node.get("messages") or []):
                _, message_uri = self.resolve(ref, _pointer(uri, "messages", i))
                known = declared[channel.name].get(message_uri)
                chosen.extend([known] if known is not None else self.message(ref, _pointer(uri, "messages", i), None))
            if not node.get("messages"):
                chosen = list(declared[channel.name].values())
            channel.operations.append(Operation(str(key), direction, tuple(chosen)))  # type: ignore[arg-type]
        return list({id(c): c for c in by_uri.values()}.values())
