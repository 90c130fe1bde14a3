@stomp
Feature: Messaging through a STOMP broker
  A real message broker (RabbitMQ, with its web-STOMP plugin) carries messages between users by
  destination. The broker endpoint speaks STOMP 1.2: logging in, heart-beats, subscription ids
  and receipts stay out of the scenarios, which say who listens where and what arrives.

  Scenario: A message published to a topic reaches its subscribers
    Given users Alice and Bob connect to the broker endpoint
    When Bob subscribes to "/topic/chat"
    And Alice publishes {"text": "hi"} to "/topic/chat"
    Then Bob receives {"text": "hi"} from "/topic/chat"
    And the broker confirms Alice's message to "/topic/chat"

  Scenario: Messages are matched on their headers as well as their body
    Given users Alice and Bob connect to the broker endpoint
    When Bob subscribes to "/queue/orders"
    And Alice publishes {"order": 1, "item": "tea"} to "/queue/orders" with the headers {"priority": "9"}
    Then Bob receives {"item": "tea"} from "/queue/orders" with the headers {"priority": "9", "content-type": "application/json"}

  Scenario: A user who unsubscribes hears no more
    Given users Alice and Bob connect to the broker endpoint
    When Bob subscribes to "/topic/news"
    And Alice publishes the text "first" to "/topic/news"
    Then Bob receives "first" from "/topic/news"
    When Bob unsubscribes from "/topic/news"
    And Alice publishes the text "second" to "/topic/news"
    And the broker confirms Alice's message to "/topic/news"
    Then Bob does not receive "second" within 0.5 seconds

  Scenario: A wrong passcode is refused
    Then connecting as Mallory to the broker endpoint with the auth {"login": "guest", "passcode": "wrong"} is refused

  Scenario: A destination the broker does not know is an error
    Given user Alice connects to the broker endpoint
    When Alice publishes {"text": "hi"} to "/nowhere/at/all"
    Then Alice receives an error from the broker containing "nowhere"
