"""`cloudforge metrics serve`: the platform's own figures at ``/metrics`` for Prometheus."""
