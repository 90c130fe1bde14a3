Feature: Pacing and automatic replies
  Some protocols need a pause before a message, or an answer to every heartbeat for as long
  as the scenario runs. An actor can also reconnect and carry on under the same name.

  Scenario: A message sent after a pause
    Given user Rob connects to the echo endpoint
    When after 0.3 seconds Rob sends {"late": true}
    Then Rob receives {"late": true} within 1 second

  Scenario: Every heartbeat is answered, with the heartbeat's own id
    Given whenever Rob receives {"type": "heartbeat", "id": "<any integer>"}, Rob replies {"type": "alive", "id": {message.id}}
    And user Rob connects to the say endpoint with the query parameters:
      | name | value                           |
      | m    | {"type": "heartbeat", "id": 1}  |
      | m    | {"type": "heartbeat", "id": 2}  |
    Then Rob receives, in this order:
      """
      {"type": "alive", "id": 1}
      {"type": "alive", "id": 2}
      """
    And Rob has no unread messages

  Scenario: Reconnecting keeps the name and the transcript
    Given user Rob connects
    And user Ann connects
    When Rob disconnects
    And Rob reconnects
    Then Ann receives, in this order:
      """
      {"message": "Rob has disconnected"}
      {"message": "Rob has connected"}
      """
    And Rob receives {"message": "Rob has connected"}
