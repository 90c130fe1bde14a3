Feature: GraphQL subscriptions
  The demo's GraphQL API (Strawberry) streams results over a websocket. The graphql endpoint
  speaks graphql-transport-ws; its connection_init, its acknowledgement and the message
  envelopes stay out of the scenarios, which name each subscription and read its results.

  Scenario: A subscription counts to three, then completes
    Given user Alice connects to the graphql endpoint
    When Alice subscribes to "subscription { count(to: 3) }" as counter
    Then Alice receives, in this order:
      | message      |
      | {"count": 1} |
      | {"count": 2} |
      | {"count": 3} |
    And counter completes

  Scenario: Results are told apart by subscription
    Given user Alice connects to the graphql endpoint
    When Alice subscribes to "subscription { echo(text: \"left\") }" as left
    And Alice subscribes to "subscription ($text: String!) { echo(text: $text) }" as right with the variables {"text": "right"}
    Then Alice receives {"echo": "right"} from right
    And Alice receives {"echo": "left"} from left

  Scenario: A failing subscription says why
    Given user Alice connects to the graphql endpoint
    When Alice subscribes to "subscription { fail }" as broken
    Then Alice receives {"data": null, "errors": [{"message": "this subscription always fails"}]} from broken

  Scenario: A subscription the schema does not have fails, and another can be stopped
    Given user Alice connects to the graphql endpoint
    When Alice subscribes to "subscription { nope }" as nope
    Then nope fails with [{"message": "<containing \"nope\">"}]
    When Alice subscribes to "subscription { tick(every: 0.5) }" as clock
    And Alice receives {"tick": 1} from clock
    And Alice unsubscribes from clock
    Then Alice does not receive {"tick": 2} from clock within 1 second

  Scenario: A query goes over HTTP
    When Alice requests POST {userdata.graphql_http} with the query "query ($name: String!) { hello(name: $name) }" and the variables {"name": "Rob"}
    Then Alice's response is {"data": {"hello": "Hello, Rob!"}}

  Scenario: A wrong token is refused at connection_init
    Then connecting as Mallory to the graphql endpoint with the auth {"token": "wrong"} is refused

  Scenario: The older subscriptions-transport-ws protocol works the same way
    Given user Bob connects to the graphql endpoint with graphql-ws
    When Bob subscribes to "subscription { count(to: 2) }" as counter
    Then Bob receives {"count": 2} from counter
    And counter completes
