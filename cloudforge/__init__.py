"""CloudForge shared core: settings, warehouse access, the embedded local stack and the CLI.

Nothing here imports Dagster except the CLI, lazily, so every package may depend on it.
"""
