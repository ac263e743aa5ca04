"""`python -m cloudforge.cli`: how the demo starts `cloudforge run` in a process of its own."""

from cloudforge.cli import main

main()
