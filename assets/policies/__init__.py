"""The policy run over the inventory: a Dagster wrapper for ``policies.runtime``, writing ``raw_policies``."""
