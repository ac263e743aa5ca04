"""The embedded local stack: PostgreSQL (pgserver), process handling, and the stack that starts them with the
demo cloud (``demo``); ``stack`` is the application layer."""
