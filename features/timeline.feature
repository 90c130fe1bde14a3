Feature: Several users on one timeline
  Every message any user receives is stamped on one clock, so a scenario can say who got
  what, who did not, and in which order. Noise can be declared once, and a scenario can
  insist that nothing arrived that no step looked at.

  Scenario: A message reaches everyone
    Given users Alice, Bob and Carol connect
    When Alice sends {"message": "Hi all"}
    Then everyone eventually receives {"message": "Alice: Hi all"}

  Scenario: A message reaches the users named
    Given users Alice, Bob and Carol connect
    When Bob sends {"message": "Morning"}
    Then Alice, Bob and Carol eventually receive {"message": "Bob: Morning"} within 2 seconds

  Scenario: A welcome reaches the newcomer after the arrival it answers
    Given user Alice connects
    And whenever Alice receives {"message": "Bob has connected"}, Alice replies {"message": "Welcome, Bob"}
    When user Bob connects
    Then Alice receives {"message": "Alice has connected"} before Bob receives {"message": "Alice: Welcome, Bob"}

  Scenario: Only the users already there hear of an arrival
    Given users Alice and Bob connect
    And user Carol connects
    Then only Alice and Bob receive {"message": "Bob has connected"}

  Scenario: Nobody hears what nobody said
    Given users Alice and Bob connect
    Then no one receives {"message": "Alice: I never said this"} within 0.3 seconds

  Scenario: Arrivals are noise here, and nothing else goes unread
    Given messages matching {"message": "Bob has connected"} are ignored
    And user Alice connects
    And user Bob connects
    And Bob ignores messages matching {"message": "Bob has connected"}
    When Alice receives {"message": "Alice has connected"} then sends {"message": "Hello"}
    Then Alice and Bob receive {"message": "Alice: Hello"}
    And Alice has no unread messages
    And Bob has no unread messages
