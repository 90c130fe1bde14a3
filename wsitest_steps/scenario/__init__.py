"""A scenario's cast: its actors by name and the settings they share."""
