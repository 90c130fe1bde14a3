Feature: Connecting the way real websocket APIs expect
  A handshake can carry query parameters, headers, subprotocols, an Origin and cookies; a
  scenario can use several endpoints; a refused handshake can be what the scenario expects;
  and wss:// certificates are checked.

  The "headers" endpoint answers every connection with a description of the handshake it saw.

  Scenario: Query parameters arrive exactly as written, and the URL's own query is kept
    Given user Rob connects to the headers endpoint with the query parameters:
      | name   | value         |
      | room   | lobby         |
      | who    | Rob Smith     |
      | filter | a&b=c         |
    Then Rob receives a message with:
      | path         | expectation     |
      | $.query.name | ["Rob"]         |
      | $.query.room | ["lobby"]       |
      | $.query.who  | ["Rob Smith"]   |
      | $.query.filter | ["a&b=c"]     |

  Scenario: Headers go with the handshake
    Given user Rob connects to the headers endpoint with the headers:
      | name          | value               |
      | Authorization | Bearer demo-token-1 |
      | X-Client      | feature-tests       |
    Then Rob receives a message with:
      | path                      | expectation                   |
      | $.headers.authorization   | "Bearer demo-token-1"         |
      | $.headers["x-client"]     | "feature-tests"               |

  Scenario: Origin and cookies
    Given user Rob connects to the headers endpoint with the origin "https://app.example" and the cookie "session=abc123"
    Then Rob receives {"headers": {"origin": "https://app.example", "cookie": "session=abc123"}}

  Scenario: The server picks one of the subprotocols offered
    Given user Rob connects to the subprotocols endpoint with the subprotocols "chat.v3" and "chat.v1"
    Then Rob's connection uses the subprotocol "chat.v1"
    And Rob receives {"subprotocol": "chat.v1"}

  Scenario: An endpoint that speaks no subprotocol
    Given user Rob connects to the echo endpoint
    Then Rob's connection uses no subprotocol

  Scenario: Several endpoints in one scenario
    Given user Rob connects
    And user Echo connects to the echo endpoint
    When Echo sends {"ping": 1}
    Then Echo receives {"ping": 1}
    And Rob receives {"message": "Rob has connected"}

  Scenario: A forged token is turned away
    Then connecting as Mallory with the header "Authorization: Bearer forged" is rejected with status 401

  Scenario: An endpoint that refuses everyone
    Then connecting as Eve to the reject endpoint is rejected with status 403

  Scenario: A server whose certificate a trusted CA signed (ws_ca_file)
    Given user Rob connects to the secure endpoint
    When Rob sends {"over": "TLS"}
    Then Rob receives {"over": "TLS"}

  Scenario: A self-signed server, reached only because ws_insecure_skip_tls_verify names it
    Given user Rob connects to the selfsigned endpoint
    When Rob sends the text "nobody checked this certificate"
    Then Rob receives the text "nobody checked this certificate"
