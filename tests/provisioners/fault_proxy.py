"""The benchmark's loopback proxy in front of moto, injuring chosen calls: a create forwarded and then answered
by a dropped connection (the cloud did it, the caller never hears), or throttled."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from benchmarks.latency_proxy import ForwardingHandler, LatencyProxy, serving
from tests.support.aws_proxy import Refusal, error_response


class FaultProxy(LatencyProxy):
    def __init__(self, target: str, delay: float = 0.0) -> None:
        super().__init__(target, delay)
        self.drop: Counter[str] = Counter()  # action -> answers still to drop after forwarding
        self.throttle: Counter[str] = Counter()  # action -> calls still to throttle

    def take(self, budget: Counter[str], action: str) -> bool:
        with self.lock:
            if budget[action] > 0:
                budget[action] -= 1
                return True
            return False

    def intercept(self, handler: ForwardingHandler, action: str) -> bool:
        if not self.take(self.throttle, action):
            return False
        headers, payload = error_response(
            "ec2", Refusal(503, "RequestLimitExceeded", "Request limit exceeded.")
        )
        handler.reply(503, headers.items(), payload)
        return True

    def deliver(self, action: str) -> bool:
        return not self.take(self.drop, action)


@contextmanager
def fault_proxy(target: str, delay: float = 0.0) -> Iterator[FaultProxy]:
    with serving(FaultProxy(target, delay)) as proxy:
        yield proxy
