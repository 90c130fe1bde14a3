"""Protocols spoken over websocket frames: Socket.IO, GraphQL (both websocket protocols), and plug-ins."""
