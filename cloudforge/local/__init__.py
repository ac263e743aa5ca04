"""The embedded local stack: PostgreSQL (pgserver), a moto server with the demo estate, and their state."""
