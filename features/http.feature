Feature: HTTP beside the websocket
  Real products mix the two: log in over HTTP and connect with the token, trigger a broadcast
  over HTTP and see it arrive on the socket, fetch what a notification names. The chat server
  serves its HTTP API from the same process (http_url).

  Scenario: Log in over HTTP, connect with the token, broadcast over HTTP, see it on the socket
    When Rob requests POST /login with {"name": "Rob"}
    Then Rob's response has status 200
    And Rob's response has the header "Content-Type: application/json"
    And Rob's response has a body with:
      | path    | expectation |
      | $.token | any string  |
      | $.name  | "Rob"       |
    When Rob remembers $.token from the response as token
    And user Rob connects with the header "Authorization: Bearer {token}"
    And user Ann connects
    And Ann receives {"message": "Ann has connected"}
    And Rob requests POST /broadcast with the header "Authorization: Bearer {token}" and the body {"message": "Hello from HTTP"}
    Then Rob's response has status 202
    And Rob's response is {"delivered_to": 2}
    And Ann eventually receives {"message": "Rob: Hello from HTTP", "user": "Rob"}

  Scenario: A forged token is refused on both sides
    When Rob requests POST /broadcast with the header "Authorization: Bearer forged" and the body {"message": "Hi"}
    Then Rob's response has status 401
    And Rob's response is {"error": "<containing \"log in first\">"}
    And connecting as Rob with the header "Authorization: Bearer forged" is rejected with status 401

  Scenario: A message on the socket triggers a request with a value from that message
    Given user Ann connects
    And user Rob connects
    When Ann sends {"message": "Rob"}
    Then Rob receives {"message": "Ann: Rob", "user": "<any string>"} then requests GET /users/{message.user}
    And Rob's response is {"name": "Ann", "online": true}

  Scenario: A slow endpoint does not stop anyone's messages
    Given user Ann connects
    When Rob requests GET /slow?seconds=1
    Then Rob's response is {"waited": 1}
    And Ann receives {"message": "slow request started"} within 0.1 seconds

  Scenario: A request sent after a pause, as pywsitest's delayed requests were
    Given user Ann connects
    When Ann requests POST /login with {"name": "Ann"}
    And Ann remembers $.token from the response as ann_token
    And after 0.3 seconds Ann requests POST /broadcast with the header "Authorization: Bearer {ann_token}" and the body {"message": "after a pause"}
    Then Ann eventually receives {"message": "Ann: after a pause"}
