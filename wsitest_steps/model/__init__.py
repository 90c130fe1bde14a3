"""What happened, as data: frames received, frames to send, how connections ended, and events."""
