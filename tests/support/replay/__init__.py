"""A real HTTP server on loopback that replays recorded provider responses to the real SDKs."""

from support.replay.server import Exchange, Received, ReplayServer

__all__ = ["Exchange", "Received", "ReplayServer"]
