"""Where the library meets behave: the cast on behave's context, and behave's model read in one place."""
