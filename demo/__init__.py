"""The simulated world of the demo: estate, embedded cloud, billing. Production code never imports it."""
