"""HTTP requests an actor makes beside its websocket."""
