"""Benchmark: fan one send out to N recipients through Celery on Redis to a loopback bulk SMS gateway.

Real worker processes (prefork) resolve the audience in batches, create the
deliveries in bulk and send them, a batch per request, to a gateway server in
its own process. The reference in the same run is the gateway's ceiling: bare
clients posting the same batches straight to it, with as many processes as the
workers have.

Prints JSON; the last line has bench, deliveries, per_s, first_out_s,
ceiling_per_s, lost, duplicated (messages the gateway received more than once).
Run: python bench/fanout.py [--deliveries N] [--workers 3]
     (DATABASE_URL picks the database; BROKER_URL defaults to redis://127.0.0.1:6379/14)
"""

import argparse
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from _django import ROOT, setup


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url, data=None):
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def wait_for_port(port, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def _ceiling_client(url, start, stop, batch):
    import httpx

    with httpx.Client(timeout=60) as client:
        for first in range(start, stop, batch):
            body = {
                "messages": [
                    {"id": -(i + 1), "to": f"+1555{i:07d}", "text": "Flood warning: move to higher ground."}
                    for i in range(first, min(stop, first + batch))
                ]
            }
            client.post(f"{url}/messages", json=body).raise_for_status()


def ceiling(url, total, processes, batch):
    """Messages per second that bare clients get through the gateway, same batches, same concurrency."""
    share = total // processes
    jobs = [
        multiprocessing.Process(target=_ceiling_client, args=(url, n * share, (n + 1) * share, batch))
        for n in range(processes)
    ]
    start = time.perf_counter()
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    return share * processes / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=3, help="worker processes (prefork concurrency)")
    parser.add_argument(
        "--batch", type=int, default=500, help="recipients per batch task and per gateway request"
    )
    parser.add_argument("--timeout", type=int, default=3600)
    args = parser.parse_args()

    broker = os.environ.get("BROKER_URL") or "redis://127.0.0.1:6379/14"
    queue = f"bench-fanout-{os.getpid()}"
    port = free_port()
    gateway_url = f"http://127.0.0.1:{port}"
    os.environ.update(
        {
            "BROKER_URL": broker,
            "DJANGO_SETTINGS_MODULE": "tests.rigs.loopback_settings",
            "MESSAGING_QUEUE": queue,
            "LOOPBACK_GATEWAY_URL": gateway_url,
            "LOOPBACK_MAX_BATCH": str(args.batch),
            "MESSAGING_BATCH_SIZE": str(args.batch),
        }
    )
    backend = setup("fanout")
    env = dict(os.environ)  # now with the bench database's DATABASE_URL
    gateway = worker = None
    try:
        gateway = subprocess.Popen(
            [sys.executable, "-m", "tests.rigs.loopback", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=sys.stderr,
        )
        wait_for_port(port)
        ceiling_per_s = ceiling(gateway_url, min(args.deliveries, 200_000), args.workers, args.batch)
        get_json(f"{gateway_url}/reset", data=b"{}")

        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lifeline",
                "worker",
                "-Q",
                queue,
                "-c",
                str(args.workers),
                "-P",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-O",
                "fair",
                "-l",
                os.environ.get("BENCH_LOG", "WARNING"),
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=sys.stderr,  # stdout is for the figures
        )
        from lifeline.celery import app

        deadline = time.time() + 60
        while not app.control.ping(timeout=0.5) and time.time() < deadline:
            time.sleep(0.2)

        from django.db import transaction
        from django.db.models import Count

        from lifeline.core.models import Organisation
        from lifeline.geo.models import Country
        from lifeline.messaging import services
        from lifeline.messaging.models import Delivery, State

        country, _ = Country.objects.get_or_create(code="JO", defaults={"iso3": "JOR"})
        org = Organisation.objects.create(name="Bench agency", kind="civil_protection", country=country)
        texts = {
            code: {
                "subject": "Flood",
                "body": f"Flood warning ({code}): move to higher ground.",
                "short": "Flood warning",
            }
            for code in ("en", "ar", "fil", "fr")
        }

        # Warm the bench's own side (imports, the broker connection) so that the clock measures the system.
        from lifeline.messaging import audiences, tasks

        audiences.get("numbered")
        with app.producer_or_acquire() as producer:
            producer.connection.ensure_connection()
        _ = tasks
        started = time.time()
        with transaction.atomic():
            send = services.start_send(
                organisation=org,
                user=None,
                name="Bench",
                texts=texts,
                channels=["sms"],
                audience={
                    "kind": "numbered",
                    "count": args.deliveries,
                    "languages": ["ar", "fil", "en", "fr"],
                },
            )
        stats = {}
        while time.time() - started < args.timeout:
            stats = get_json(f"{gateway_url}/stats")
            if stats["accepted"] >= args.deliveries:
                break
            time.sleep(0.25)
        from lifeline.messaging.models import Send, SendStatus

        settle = time.time() + 60  # the last results are stored just after the gateway answers
        while Send.objects.get(pk=send.pk).status != SendStatus.DONE and time.time() < settle:
            time.sleep(0.2)
        stats = get_json(f"{gateway_url}/stats")
        received = set(get_json(f"{gateway_url}/ids"))
        expected = set(Delivery.objects.filter(send=send).values_list("pk", flat=True))
        states = dict(
            Delivery.objects.filter(send=send).values_list("state").annotate(n=Count("pk")).order_by()
        )
        end_to_end = (stats["last_at"] or time.time()) - started
        result = {
            "bench": "fanout",
            "backend": backend,
            "deliveries": args.deliveries,
            "workers": args.workers,
            "batch": args.batch,
            "seconds": round(end_to_end, 2),
            "per_s": round(stats["accepted"] / end_to_end) if end_to_end > 0 else 0,
            "first_out_s": round(stats["first_at"] - started, 3) if stats["first_at"] else None,
            "ceiling_per_s": round(ceiling_per_s),
            "lost": len(expected - received) + max(0, args.deliveries - len(expected)),
            "duplicated": stats["resends"],
            "unexpected": len(received - expected),
            "states": states,
            "all_sent": states.get(State.SENT, 0) == args.deliveries,
        }
        print(json.dumps({k: v for k, v in result.items() if k not in ("bench",)} | {"detail": True}))
        print(
            json.dumps(
                {
                    k: result[k]
                    for k in (
                        "bench",
                        "deliveries",
                        "per_s",
                        "first_out_s",
                        "ceiling_per_s",
                        "lost",
                        "duplicated",
                    )
                }
                | {k: result[k] for k in ("backend", "workers", "seconds", "all_sent")}
            )
        )
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)  # the worker and its pool
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        if gateway is not None:
            gateway.terminate()
            gateway.wait(10)


if __name__ == "__main__":
    main()
