Feature: Values carried between steps
  A value received in one message can be remembered and used in later messages and
  expectations, keeping its JSON type when it stands alone. Values can also come from behave
  userdata (-D name=value) and environment variables, for tokens in CI.

  Scenario: An id from one message goes into the next
    Given user Rob connects to the say endpoint with the query parameters:
      | name | value                                              |
      | m    | {"type": "order", "id": 17, "owner": {"name": "Rob"}} |
    When Rob receives {"type": "order"}
    And Rob remembers $.id from that message as order_id
    And Rob remembers $.owner from that message as owner
    And Rob sends {"type": "cancel", "id": {order_id}, "by": {owner}, "note": "cancel order {order_id}"}
    Then Rob receives {"type": "cancel", "id": 17, "by": {"name": "Rob"}, "note": "cancel order 17"}

  Scenario: Several values at once, used in a URL and in an expectation
    Given user Rob connects to the say endpoint with the query parameters:
      | name | value                                |
      | m    | {"room": "blue lagoon", "seat": 4}   |
    When Rob receives {"room": "<any string>"}
    And Rob remembers from that message:
      | path   | name |
      | $.room | room |
      | $.seat | seat |
    And user Ann connects to the headers endpoint with the query parameter "room={room}"
    Then Ann receives {"query": {"room": ["{room}"]}}

  Scenario: Values from userdata and from the environment
    Given user Rob connects to the echo endpoint
    When Rob sends {"greeting": "{userdata.demo_greeting}", "home": "{env.WSITEST_DEMO_ROOM}"}
    Then Rob receives {"greeting": "Hello from userdata", "home": "lobby"}
