"""A loopback HTTP SMS gateway that records what it is sent.

    with Gateway(receipts_to=url, receipt_secret=SMS_WEBHOOK_SECRET) as gw:
        ... SMS_GATEWAY_URL = gw.url + "/send", batch at gw.url + "/batch"

POST /send   {"to", "text", "reference"}           -> 200 {"id": "gw-1", "parts": n}
POST /batch  {"messages": [{...}, ...]}             -> 200 {"messages": [{"id": ...} | {"error": ...}]}

A number listed in ``reject`` is refused (400 for one message, an item error in
a batch). ``latency`` (seconds per request) and ``failure_rate`` (share of
requests answered 503) simulate a slow or failing provider. With
``receipts_to`` a background thread posts a delivery receipt for every accepted
message to that URL, in batches, as JSON ``[{"id": ..., "status": "delivered"}]``,
signed as a real gateway signs them (``inbound.signed_headers``: a timestamp and the
HMAC of it and the body) when ``receipt_secret`` is given.
HTTP/1.1 keep-alive lets a pooled client reuse its connections.
"""

import itertools
import json
import queue
import random
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms delayed-ACK stall

    def log_message(self, *args):
        pass

    def _reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            self.close_connection = True

    def do_POST(self):
        gateway = self.server.gateway
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        gateway.requests += 1
        if gateway.latency:
            time.sleep(gateway.latency)
        if gateway.should_fail():
            return self._reply(503, {"error": "temporarily unavailable"})
        try:
            payload = json.loads(raw.decode("utf-8"))
        except ValueError:
            return self._reply(400, {"error": "body is not JSON"})
        gateway.headers_seen.append(dict(self.headers))
        if self.path.startswith("/batch"):
            items = payload.get("messages") if isinstance(payload, dict) else None
            if not isinstance(items, list):
                return self._reply(400, {"error": "messages must be a list"})
            return self._reply(200, {"messages": [gateway.accept(item) for item in items]})
        reply = gateway.accept(payload)
        return self._reply(400 if "error" in reply else 200, reply)


class Gateway:
    def __init__(
        self,
        latency=0.0,
        failure_rate=0.0,
        reject=(),
        receipts_to="",
        receipt_headers=None,
        receipt_secret="",
        receipt_status="delivered",
        seed=1,
    ):
        self.latency = latency
        self.failure_rate = failure_rate
        self.reject = set(reject)
        self.receipts_to = receipts_to
        self.receipt_headers = receipt_headers or {}
        self.receipt_secret = receipt_secret
        self.receipt_status = receipt_status
        self.messages = []
        self.headers_seen = []
        self.requests = 0
        self.receipts_posted = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._receipts = queue.Queue()

    # --- recording ---
    def should_fail(self):
        if not self.failure_rate:
            return False
        with self._lock:
            return self._random.random() < self.failure_rate

    def accept(self, item):
        if not isinstance(item, dict) or not item.get("to") or "text" not in item:
            return {"error": "to and text are required"}
        if item["to"] in self.reject:
            return {"error": f"number {item['to']} rejected"}
        with self._lock:
            provider_id = f"gw-{next(self._ids)}"
            self.messages.append({**item, "id": provider_id})
        if self.receipts_to:
            self._receipts.put(provider_id)
        return {"id": provider_id, "parts": item.get("parts", 1)}

    @property
    def count(self):
        with self._lock:
            return len(self.messages)

    def received(self):
        with self._lock:
            return list(self.messages)

    # --- receipts ---
    def post_receipts(self, ids, status=None, url=None):
        """POST one receipt batch; returns the HTTP status."""
        body = json.dumps([{"id": i, "status": status or self.receipt_status} for i in ids]).encode()
        signed = {}
        if self.receipt_secret:
            from lifeline.messaging.channels.inbound import signed_headers

            signed = signed_headers(body, self.receipt_secret)
        request = urllib.request.Request(
            url or self.receipts_to,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", **signed, **self.receipt_headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status_code = response.status
        except urllib.error.HTTPError as exc:
            status_code = exc.code
        with self._lock:
            self.receipts_posted += len(ids)
        return status_code

    def _post_receipts_loop(self):
        while True:
            first = self._receipts.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < 500:
                try:
                    item = self._receipts.get(timeout=0.05)
                except queue.Empty:
                    break
                if item is None:
                    self._receipts.put(None)
                    break
                batch.append(item)
            try:
                self.post_receipts(batch)
            except OSError:
                pass
            for _ in batch:
                self._receipts.task_done()

    def wait_for_receipts(self, timeout=10):
        deadline = time.monotonic() + timeout
        while self._receipts.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.02)
        return not self._receipts.unfinished_tasks

    # --- lifecycle ---
    def __enter__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.gateway = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._threads = [
            threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        ]
        if self.receipts_to:
            self._threads.append(threading.Thread(target=self._post_receipts_loop, daemon=True))
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self._receipts.put(None)
        for thread in self._threads:
            thread.join(timeout=5)
