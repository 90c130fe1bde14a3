Feature: Chatting over a websocket
  The chat server tells everyone who connects, what each user says, and who leaves.
  These are the scenarios of pywsitest's blog post, written as plain sentences.

  Scenario: A user is told they connected
    Given user Rob connects
    Then Rob eventually receives {"message": "Rob has connected"}

  Scenario: A message triggered by the connect message is broadcast back
    Given user Rob connects
    When Rob receives {"message": "Rob has connected"} then sends {"message": "Hello, world!"}
    Then Rob eventually receives {"message": "Rob: Hello, world!"} within 2 seconds

  Scenario: Two users talk, and one sees the other leave
    Given user user_1 connects
    And user_1 receives {"message": "user_1 has connected"}
    And user user_2 connects
    When user_1 receives {"message": "user_2 has connected"} then sends {"message": "Hello"}
    And user_2 receives {"message": "user_1: Hello"} then sends {"message": "Hi there"}
    Then user_1 eventually receives {"message": "user_2: Hi there"}
    When user_1 disconnects
    Then user_2 eventually receives {"message": "user_1 has disconnected"}

  Scenario: Nobody hears a message that was never sent
    Given users Alice and Bob connect
    When Alice sends {"message": "Is anyone there?"}
    Then Bob eventually receives {"message": "Alice: Is anyone there?"}
    But Bob does not receive {"message": "Bob: Is anyone there?"} within 0.5 seconds

  Scenario: A message written as a doc string
    Given user Rob connects
    When Rob sends:
      """
      {"message": "A longer message, written on its own lines"}
      """
    Then Rob eventually receives:
      """
      {"message": "Rob: A longer message, written on its own lines"}
      """

  Scenario Outline: Names arrive exactly as written, <description>
    Given user <name> connects
    Then <name> eventually receives {"message": "<said>"}

    Examples:
      | description             | name      | said                          |
      | a plain name            | Carol     | Carol has connected           |
      | a name with a dot       | ann.lee   | ann.lee has connected         |
      | a name with an at sign  | bob@corp  | bob@corp has connected        |
      | a name with a space, in quotes | "Rob Smith" | Rob Smith has connected |
      | a name with & and =, in quotes | "a&b=c"     | a&b=c has connected     |

  Scenario: A name in quotes works in every sentence that names an actor
    Given users "Rob Smith" and Ann connect
    When "Rob Smith" sends {"message": "hello from Rob Smith"}
    Then Ann eventually receives {"message": "Rob Smith: hello from Rob Smith"}
    And "Rob Smith" eventually receives {"message": "Rob Smith: hello from Rob Smith"}
    When "Rob Smith" disconnects
    Then Ann eventually receives {"message": "Rob Smith has disconnected"}

