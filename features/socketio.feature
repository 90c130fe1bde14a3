Feature: A Socket.IO chat
  The demo's live chat speaks Socket.IO (python-socketio). Its handshake, its heartbeat and the
  packet numbers of the protocol stay out of the scenarios: users emit events, receive events
  and have their events acknowledged. The live endpoint is configured to speak Socket.IO, so no
  sentence needs to say so.

  Scenario: A chat message reaches everyone
    Given users Alice and Bob connect to the live endpoint
    When Alice emits "chat" with {"text": "Hi all"}
    Then everyone eventually receives the event "chat" with {"user": "Alice", "text": "Hi all"}

  Scenario: Joining a room is acknowledged
    Given user Alice connects to the live endpoint
    When Alice emits "join" with {"room": "lobby"}
    Then Alice's "join" is acknowledged with {"ok": true, "room": "lobby"}

  Scenario: The server asks, and the user answers
    Given user Alice connects to the live endpoint
    When Alice emits "quiz"
    And Alice acknowledges "question" with 42
    Then Alice receives the event "answered" with {"answer": 42}

  Scenario: Binary data goes both ways
    Given user Alice connects to the live endpoint
    When Alice emits "upload" with the bytes 00 01 02 03
    Then Alice's "upload" is acknowledged with {"size": 4}
    When Alice emits "download"
    Then Alice receives the event "file" with the attachment 00 01 ff

  Scenario: The admin area wants a token
    Given user Ada connects to the live endpoint with the namespace "/admin" and the auth {"token": "admin-secret"}
    When Ada emits "status"
    Then Ada's "status" is acknowledged with {"users": "<any integer>"}
    And connecting as Mallory to the live endpoint with the namespace "/admin" is refused with {"message": "Not authorized"}

  Scenario: A user who leaves is let go by the server
    Given user Alice connects to the live endpoint
    When Alice emits "leave"
    Then the server closes Alice's connection

  Scenario: A client that stops answering the heartbeat is dropped
    Given user Alice connects to the live endpoint
    When Alice stops answering heartbeats
    Then Alice's connection ends within 6 seconds
