Feature: The chat keeps to its AsyncAPI document
  The chat's AsyncAPI document (features/contracts/chat.asyncapi.yaml) says what may be sent and
  what may arrive. Once a scenario names it, every message either way is checked against it,
  and a sentence can name a message of the document instead of spelling it out.

  Background:
    Given the AsyncAPI document "contracts/chat.asyncapi.yaml"

  Scenario: Arrivals, messages and departures are all the document's
    Given users Alice and Bob connect
    Then Alice receives a "UserJoined" message with {"user": "Bob"}
    When Bob sends the example of "SendMessage"
    Then Alice receives a "ChatMessage" message with {"message": "Bob: Hello, everyone"}
    When Bob disconnects
    Then Alice receives a "UserLeft" message
    And every message in this scenario conformed to the document

  Scenario: Each arrival is announced to everyone already there, in the document's words
    Given user Alice connects
    Then Alice receives a "UserJoined" message with {"user": "Alice"}
    When user Bob connects
    Then Alice receives a "UserJoined" message with {"user": "Bob"}
    And Bob receives a "UserJoined" message with {"user": "Bob"}
