"""A small HTTP/1.1 load generator on asyncio streams, for the benchmarks.

Keep-alive connections, each sending one request at a time; a request that times
out or fails is sent again, unchanged (same idempotency key), on a new
connection. Records the latency of each accepted request, from its first
attempt to its accepted answer, so retries count against the tail.
"""

import asyncio
import time


class Connection:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, raw):
        if self.writer is None:
            await self.open()
        self.writer.write(raw)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        body = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, body


def build(method, host, path, headers=None, body=b""):
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host}",
        "Connection: keep-alive",
        f"Content-Length: {len(body)}",
    ]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _worker(host, port, make_request, deadline, timeout, accepted, latencies, counters):
    conn = Connection(host, port)
    while time.perf_counter() < deadline:
        key, raw = make_request()
        first = time.perf_counter()
        while True:
            try:
                status, _body = await asyncio.wait_for(conn.request(raw), timeout)
            except (
                TimeoutError,
                ConnectionError,
                OSError,
                asyncio.IncompleteReadError,
                ValueError,
                IndexError,
            ):
                counters["retries"] += 1
                conn.close()
                await asyncio.sleep(0.01)
                continue
            if status >= 500 or status == 429:
                counters["retries"] += 1
                await asyncio.sleep(0.01)
                continue
            break
        if 200 <= status < 300:
            accepted.append(key)
            latencies.append(time.perf_counter() - first)
        else:
            counters["refused"] += 1
    conn.close()


def run(host, port, make_request, seconds, concurrency=64, timeout=2.0):
    """Send for ``seconds``; returns (accepted keys, latencies, counters, elapsed)."""
    accepted, latencies, counters = [], [], {"retries": 0, "refused": 0}

    async def main():
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(
                _worker(host, port, make_request, deadline, timeout, accepted, latencies, counters)
                for _ in range(concurrency)
            )
        )

    start = time.perf_counter()
    asyncio.run(main())
    return accepted, latencies, counters, time.perf_counter() - start


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def cpu_seconds(pids):
    """User + system CPU seconds used so far by these processes and by their children that have
    ended (a database server's backends that closed), from Linux's /proc."""
    import os

    total, tick = 0, os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total / tick


def _processes(wanted):
    """The ids of the processes for which ``wanted(pid_dir)`` is true (Linux /proc)."""
    import os

    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if wanted(f"/proc/{entry}"):
                    found.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return found


def _read(path):
    with open(path) as f:
        return f.read()


def children(pid):
    """The child processes of ``pid``."""
    return _processes(lambda d: int(_read(f"{d}/stat").rpartition(")")[2].split()[1]) == pid)


def processes_named(name):
    """Processes whose command is ``name``, e.g. the database server's."""
    return _processes(lambda d: _read(f"{d}/comm").strip() == name)
