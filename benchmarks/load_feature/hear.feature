Feature: the load benchmark
  Scenario: hear the broadcast
    Given user Rob connects
    Then Rob hears the broadcast
