"""Helpers shared by tests: real local servers that stand in for remote services."""
