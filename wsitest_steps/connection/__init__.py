"""One websocket connection per actor: transport, handshake, reader thread, inbox and waits."""
