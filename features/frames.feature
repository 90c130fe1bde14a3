Feature: Text, binary, JSON of any shape, pings and closes
  Not every protocol speaks JSON objects. The "echo" endpoint sends back whatever it gets.

  Scenario: Plain text, not JSON
    Given user Rob connects to the echo endpoint
    When Rob sends the text "hello, world"
    Then Rob receives the text "hello, world"
    And Rob does not receive a binary message within 0.1 seconds

  Scenario: Text on several lines, and text that only has to contain something
    Given user Rob connects to the echo endpoint
    When Rob sends the text:
      """
      first line
      second line
      """
    Then Rob receives a text message containing "second line"

  Scenario: Binary frames, written in hex, in base64 or read from a file
    Given user Rob connects to the echo endpoint
    When Rob sends the bytes 00 ff 10
    And Rob sends the base64 bytes "AP8Q"
    Then Rob receives exactly 2 messages matching the bytes 00 ff 10
    When Rob sends the bytes of "files/tiny.bin"
    Then Rob receives the bytes 89 50 4e 47 0d 0a 1a 0a 00 01 02
    And Rob receives no further messages within 0.1 seconds

  Scenario: JSON that is not an object
    Given user Rob connects to the echo endpoint
    When Rob sends [1, "two", {"three": 3}]
    And Rob sends "just a string"
    And Rob sends 42
    And Rob sends null
    Then Rob receives [1, "two", {"three": 3}]
    And Rob receives "just a string"
    And Rob receives 42
    And Rob receives null

  Scenario: A ping is answered with a pong
    Given user Rob connects to the echo endpoint
    When Rob sends a ping "are you there?"
    Then Rob receives a pong "are you there?" within 1 second

  Scenario: The server pings, and the actor answers by itself
    Given user Rob connects to the ping endpoint
    Then the server pings Rob within 2 seconds

  Scenario: The actor closes with a code of its own
    Given user Rob connects to the echo endpoint
    When Rob closes the connection with code 4000 and reason "done for today"

  Scenario: The server closes with a code, and a waiting step hears it at once
    Given user Rob connects to the close endpoint with the query parameters:
      | name   | value   |
      | code   | 4001    |
      | reason | idle    |
      | after  | message |
    When Rob sends {"last": "words"}
    Then the server closes Rob's connection with code 4001 and reason "idle" within 2 seconds
