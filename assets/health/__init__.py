"""Health checks: the cloud's own status per resource and HTTP endpoint checks, into ``raw_health``."""
