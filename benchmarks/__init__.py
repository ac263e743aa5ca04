"""Benchmarks behind `cloudforge bench`: each prints figures and the ratio to a reference measured in the same run."""
