@load
Feature: The chat, as a load test
  The same scenarios run in behave and as load on Locust, each simulated user with actors of its
  own: python -m wsitest_steps.load features/load.feature -- --headless -u 50 -r 10 -t 30s
  (see the README's load section). Under load, every simulated user's Rob goes by a name of its
  own on the wire; {actor.Rob} is that name, and plain Rob in behave.

  Scenario: A user says hello and hears it back
    Given user Rob connects
    When Rob receives {"message": "{actor.Rob} has connected"} then sends {"message": "Hello, world!"}
    Then Rob eventually receives {"message": "{actor.Rob}: Hello, world!"}
    When Rob disconnects

  Scenario: Ann and Ben talk
    Given user Ann connects
    And user Ben connects
    When Ann eventually receives {"message": "{actor.Ben} has connected"}
    And Ann sends {"message": "Hi Ben"}
    Then Ben eventually receives {"message": "{actor.Ann}: Hi Ben"}

  Scenario: A standing reply answers while a step waits
    Given user Ann connects
    And user Ben connects
    And whenever Ben receives {"message": "{actor.Ann}: ping"}, Ben replies {"message": "pong"}
    When Ann eventually receives {"message": "{actor.Ben} has connected"}
    And Ann sends {"message": "ping"}
    Then Ann eventually receives {"message": "{actor.Ben}: pong"}
