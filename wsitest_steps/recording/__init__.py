"""What a scenario's actors did, on one clock, with secrets hidden, and its transcripts."""
