Feature: Matching more than exact JSON
  Expectations can name parts of a message by JSONPath, use a small vocabulary of phrases
  ("any integer", "greater than 100", "absent" ...), check order, count messages, and
  validate against a JSON Schema. The "say" endpoint sends the messages given as "m".

  Scenario: Parts of a message, by path, with expectations in words
    Given user Rob connects to the say endpoint with the query parameters:
      | name | value |
      | m    | {"type": "order", "id": 17, "side": "buy", "price": 101.5, "items": [{"sku": "A-1", "qty": 2}, {"sku": "B-7", "qty": 1}], "note": null, "tags": ["new", "vip"], "trader": "Rob Smith"} |
    Then Rob receives a message with:
      | path           | expectation                        |
      | $.type         | "order"                            |
      | $.id           | any integer                        |
      | $.side         | one of "buy", "sell"               |
      | $.price        | greater than 100                   |
      | $.price        | close to 101.49 within 0.02        |
      | $.items[0].sku | "A-1"                              |
      | $.items[*].sku | "B-7"                              |
      | $.items        | length 2                           |
      | $.note         | null                               |
      | $.cancelled    | absent                             |
      | $.tags         | containing "vip"                   |
      | $.trader       | matching [A-Z][a-z]+ [A-Z][a-z]+   |
      | $.trader       | starting with "Rob"                |
      | $.side         | not "sell"                         |

  Scenario: Expectations in words inside the expected JSON
    Given user Rob connects to the say endpoint with the query parameters:
      | name | value |
      | m    | {"type": "order", "id": 17, "price": 101.5, "note": null, "trader": "Rob Smith"} |
    Then Rob receives {"id": "<any integer>", "price": "<between 100 and 200>", "note": null, "cancelled": "<absent>", "trader": "<containing \"Smith\">"}

  Scenario: null is not the same as absent
    Given user Rob connects to the say endpoint with the query parameters:
      | name | value                 |
      | m    | {"type": "heartbeat"} |
    Then Rob does not receive {"seq": null} within 0.1 seconds
    But Rob receives {"seq": "<absent>"}

  Scenario: Messages in order, with others allowed in between
    Given user Rob connects to the say endpoint with the query parameters:
      | name | value                 |
      | m    | {"step": 1}           |
      | m    | {"noise": true}       |
      | m    | {"step": 2}           |
      | m    | {"step": 3}           |
    Then Rob receives, in this order:
      """
      {"step": 1}
      {"step": 2}
      {"step": 3}
      """

  Scenario: Messages in any order, where a loose expectation does not steal a strict one's message
    Given user Rob connects to the say endpoint with the query parameters:
      | name | value                    |
      | m    | {"user": "Bob", "n": 1}  |
      | m    | {"user": "Ann", "n": 2}  |
    Then Rob receives all of these, in any order:
      | message                             |
      | {"user": "<any string>"}            |
      | {"user": "Bob"}                     |

  Scenario: Counting, the very next message, and silence
    Given user Rob connects to the say endpoint with the query parameters:
      | name | value             |
      | m    | {"type": "trade"} |
      | m    | {"type": "trade"} |
      | m    | {"type": "quote"} |
    Then Rob receives exactly 2 messages matching {"type": "trade"}
    And the next message Rob receives is {"type": "quote"}
    And Rob receives no further messages within 0.2 seconds

  Scenario: A message valid against a JSON Schema
    Given user Rob connects to the say endpoint with the query parameters:
      | name | value |
      | m    | {"type": "order", "id": 17, "side": "buy", "price": 101.5, "items": [{"sku": "A-1", "qty": 2}]} |
    Then Rob receives a message matching the schema "schemas/order.schema.json"
