"""A bulk SMS gateway on loopback, and the channel that talks to it: for the crash test and the benchmark.

The gateway takes batched JSON, as bulk SMS APIs do::

    POST /messages  {"messages": [{"id": <delivery id>, "to": "+...", "text": "..."}]}
      -> 200 {"results": [{"id": <delivery id>, "provider_id": "lb-<n>"}]}

Like real providers, it treats the message ``id`` (the delivery id) as an
idempotency key: a message sent again with an id already accepted is answered
with the first provider id and not delivered twice. ``GET /stats`` reports
requests, messages received (raw), accepted (unique), resends, and the times
of the first and last accepted message; ``GET /ids`` lists the accepted ids.
``delay`` (seconds per request) makes a slow gateway.

Run it alone: ``python -m tests.rigs.loopback --port 8025 [--delay 0.2]``.
A worker uses it through ``tests.rigs.loopback_settings`` (the channel
reads ``LOOPBACK_GATEWAY_URL``).
"""

import argparse
import asyncio
import os
import threading
import time

import httpx
from aiohttp import web

from lifeline.messaging.channels.base import SendResult

NUMBERED_WIDTH = 9


def numbered(definition, after, limit):
    """A synthetic audience of ``count`` numbered phones (load tests only: never offered to staff)."""
    from lifeline.messaging.audiences import Recipient

    start = int(after.rpartition(":")[2]) + 1 if after else 0
    stop = min(int(definition["count"]), start + limit)
    languages = definition.get("languages") or ["en"]
    return [
        Recipient(f"n:{i:0{NUMBERED_WIDTH}d}", [languages[i % len(languages)]], {"sms": f"+1555{i:07d}"})
        for i in range(start, stop)
    ]


def _check_numbered(definition, user):
    from django.core.exceptions import ValidationError

    count = definition.get("count")
    if user is not None or not isinstance(count, int) or not 0 < count < 10**NUMBERED_WIDTH:
        raise ValidationError("The numbered audience is for load tests run by the system only.")
    return definition


def register_numbered():
    from lifeline.messaging.audiences import register

    register("numbered", check=_check_numbered)(numbered)


class Gateway:
    def __init__(self, delay=0.0):
        self.delay = delay
        self.accepted = {}  # delivery id -> provider id
        self.requests = self.received = self.resends = 0
        self.first_at = self.last_at = None

    async def messages(self, request):
        try:
            payload = await request.json()
            items = payload["messages"]
            assert isinstance(items, list)
        except (ValueError, KeyError, TypeError, AssertionError):
            return web.json_response({"error": 'expected {"messages": [...]}'}, status=400)
        self.requests += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        results, now = [], time.time()
        for item in items:
            self.received += 1
            key = item.get("id")
            provider_id = self.accepted.get(key)
            if provider_id is None:
                provider_id = self.accepted[key] = f"lb-{len(self.accepted) + 1}"
                self.first_at = self.first_at or now
                self.last_at = now
            else:
                self.resends += 1
            results.append({"id": key, "provider_id": provider_id})
        return web.json_response({"results": results})

    async def stats(self, request):
        return web.json_response(
            {
                "requests": self.requests,
                "received": self.received,
                "accepted": len(self.accepted),
                "resends": self.resends,
                "first_at": self.first_at,
                "last_at": self.last_at,
            }
        )

    async def ids(self, request):
        return web.json_response(list(self.accepted))

    async def reset(self, request):
        self.__init__(self.delay)
        return web.json_response({"ok": True})

    def app(self):
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.add_routes(
            [
                web.post("/messages", self.messages),
                web.get("/stats", self.stats),
                web.get("/ids", self.ids),
                web.post("/reset", self.reset),
            ]
        )
        return app


def serve(port, delay=0.0, host="127.0.0.1"):
    """Run the gateway in this process until it is killed."""
    web.run_app(Gateway(delay).app(), host=host, port=port, print=None, access_log=None)


class GatewayThread:
    """The gateway in a background thread of this process (tests): ``with GatewayThread(port) as url: ...``."""

    def __init__(self, port, delay=0.0):
        self.port, self.gateway = port, Gateway(delay)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()

    def _run(self):
        asyncio.set_event_loop(self.loop)
        runner = web.AppRunner(self.gateway.app(), access_log=None)
        self.loop.run_until_complete(runner.setup())
        self.loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self.runner = runner
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())

    def __enter__(self):
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.ready.wait(10)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


class GatewayChannel:
    """SMS through the loopback gateway, a batch per request."""

    name = "sms"

    def __init__(self, url=None):
        self.url = (url or os.environ.get("LOOPBACK_GATEWAY_URL", "http://127.0.0.1:8025")).rstrip("/")
        self.max_batch = int(os.environ.get("LOOPBACK_MAX_BATCH", "100"))
        self.rate_per_second = float(os.environ.get("LOOPBACK_RATE", "0"))
        self.client = httpx.Client(timeout=30)

    def send_batch(self, messages):
        body = {"messages": [{"id": m.delivery_id, "to": m.address, "text": m.short} for m in messages]}
        try:
            response = self.client.post(f"{self.url}/messages", json=body)
        except httpx.HTTPError as exc:
            return [
                SendResult(m.delivery_id, ok=False, error=str(exc) or "network", retryable=True)
                for m in messages
            ]
        if response.status_code != 200:
            retry = response.status_code >= 500 or response.status_code == 429
            return [
                SendResult(m.delivery_id, ok=False, error=f"HTTP {response.status_code}", retryable=retry)
                for m in messages
            ]
        found = {r["id"]: r.get("provider_id", "") for r in response.json().get("results", [])}
        return [
            SendResult(m.delivery_id, ok=True, provider_id=found[m.delivery_id])
            if m.delivery_id in found
            else SendResult(m.delivery_id, ok=False, error="not in the gateway's answer", retryable=True)
            for m in messages
        ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    serve(args.port, args.delay)


if __name__ == "__main__":
    main()
