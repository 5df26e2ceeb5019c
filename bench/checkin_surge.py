"""Benchmark: "are you safe?" check-ins over real HTTP during a surge.

A production server (granian, LIFELINE_ENV=production settings, PostgreSQL)
answers POST /api/app/checkins from concurrent clients, each holding keep-alive
connections and sending the same request again (same idempotency key) when
one times out or fails. Afterwards every accepted check-in is looked up in the
database: none may be missing (lost) and none may be there twice (duplicated).
The reference, in the same run and on the same server, is the rate of a trivial
endpoint (/healthz): the ceiling of the server and client on this machine.
A check-in is answered by the fast lane in front of Django with one prepared
statement (the device by its token, the answer, its audit entry, the request's
status and the sending dashboard's "answered", in one commit), so what is
counted afterwards is exactly what staff see on the board.

One run measures both ways of answering, one server after the other on the same
population: ``fast_lane`` (as deployed) and ``django`` (``CHECKIN_FAST_LANE=0`` and
``CHECKIN_ONE_STATEMENT=0``: the server and Django's full stack with the ORM alone);
``--modes`` may add ``statement`` (Django's full stack, the answer in one statement). ``fast_lane_gain`` is the
ratio of their accepted check-ins per second; each mode has its own ``/healthz``
ceiling, measured on its own server just before. ``--rounds N`` alternates the
modes N times and adds the rounds up, so that a noisy neighbour weighs on both.

Alongside the rates, ``cpu_ms`` gives the CPU milliseconds per accepted check-in
spent by the web server's workers, the database server and the clients; they
share this machine's cores, so their sum bounds the rate.

Run: DATABASE_URL=postgres://... python bench/checkin_surge.py [--seconds 60] [--people 20000]
The last line is one JSON object: bench, backend, one object per mode (accepted_per_s,
p50_ms, p99_ms, lost, duplicated, ceiling_per_s, cpu_ms and more), fast_lane_gain;
and, at the top, the fast lane's accepted_per_s, p99_ms, lost, duplicated and
ceiling_per_s, as earlier runs printed them. The server is granian, as the
operators' guide deploys it; ``--server gunicorn`` runs the same application
under gunicorn's threaded workers, for comparison; ``--interface asgi`` has granian
serve ``lifeline.asgi:application`` (the fast lane in front of Django's ASGI handler).
"""

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid

import _load
from _django import ROOT, setup


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def populate(people):
    """A ministry, a post, ``people`` registrations in Jordan with a device each, a crisis and its campaign."""
    from django.db import transaction

    from lifeline.core.models import Organisation, OrganisationKind
    from lifeline.crises.models import Crisis
    from lifeline.crises.services import start_campaign
    from lifeline.geo.models import Country
    from lifeline.geo.services import ensure_countries
    from lifeline.nationals.models import DeviceToken, Registration

    ensure_countries()
    jordan, philippines = Country.objects.get(code="JO"), Country.objects.get(code="PH")
    ministry = Organisation.objects.create(
        name="Bench ministry", kind=OrganisationKind.FOREIGN_AFFAIRS, country=philippines
    )
    post = Organisation.objects.create(
        name="Bench post", kind=OrganisationKind.CONSULAR_POST, country=jordan, parent=ministry
    )
    rng = random.Random(7)
    batch = []
    for n in range(people):
        lat, lon = 31.9 + rng.random() * 0.1, 35.85 + rng.random() * 0.1
        batch.append(
            Registration(
                organisation=post,
                given_names=f"Person {n}",
                family_name="Bench",
                nationality=philippines,
                country=jordan,
                languages=["fil", "en"],
                primary_language="fil",
                lat=round(lat, 2),
                lon=round(lon, 2),
            )
        )
    with transaction.atomic():
        Registration.objects.bulk_create(batch, batch_size=2000)
    ids = list(Registration.objects.filter(organisation=post).order_by("id").values_list("id", flat=True))
    tokens, devices = [], []
    for registration_id in ids:
        raw = uuid.uuid4().hex + uuid.uuid4().hex
        tokens.append(raw)
        devices.append(
            DeviceToken(registration_id=registration_id, label="bench", digest=DeviceToken.hash(raw))
        )
    DeviceToken.objects.bulk_create(devices, batch_size=2000)
    crisis = Crisis.objects.create(organisation=post, name="Bench crisis", country=jordan)
    crisis.countries.set([jordan])
    campaign = start_campaign(crisis, {"en": "Are you safe?"})
    return tokens, campaign


def serve(port, workers, threads, server="granian", fast_lane=True, one_statement=True, interface="wsgi"):
    env = dict(os.environ)
    env.update(
        {
            "CHECKIN_FAST_LANE": "1" if fast_lane else "0",
            "CHECKIN_ONE_STATEMENT": "1" if one_statement else "0",
            "LIFELINE_ENV": "production",
            "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
            "LIFELINE_INDEX_KEY": os.environ.get("LIFELINE_INDEX_KEY", "demo-only-index-key"),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",  # loopback, no TLS terminator in front
        }
    )
    env.setdefault("LIFELINE_ENCRYPTION_KEYS", "ZGVtby1vbmx5LWtleS1kby1ub3QtdXNlLWluLXByb2Q=")
    if server == "granian":
        command = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            interface,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            # Over ASGI granian runs the event loop in one blocking thread; Django's sync code and the
            # fast lane's answers run in the loop's worker threads.
            *(("--blocking-threads", str(threads)) if interface == "wsgi" else ()),
            "--log-level",
            "warning",
            f"lifeline.{interface}:application",
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "lifeline.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    import urllib.request

    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{server} did not start: " + process.stderr.read().decode()[-2000:])


# mode: (the fast lane in front of Django, the answer in one statement)
MODES = {"fast_lane": (True, True), "django": (False, False), "statement": (False, True)}


def measure(args, mode, tokens, seed):
    """One server in ``mode``: its /healthz ceiling, then check-ins for ``args.seconds``."""
    port = free_port()
    fast_lane, one_statement = MODES[mode]
    server = serve(port, args.workers, args.threads, args.server, fast_lane, one_statement, args.interface)
    concurrency = args.clients or 2 * args.workers * args.threads
    host = "127.0.0.1"
    try:
        health = _load.build("GET", host, "/healthz")
        counter = iter(range(10**9))
        # Warm up: every worker loads Django and opens its database connection before the clock starts.
        _load.run(host, port, lambda: (next(counter), health), 3, concurrency, args.timeout)
        workers = [
            server.pid,
            *_load.children(server.pid),
        ]  # the server, and its workers (those that end count in its total)
        ceiling_cpu = _load.cpu_seconds(workers)
        _keys, ceiling_latencies, _c, ceiling_elapsed = _load.run(
            host, port, lambda: (next(counter), health), args.ceiling_seconds, concurrency, args.timeout
        )
        ceiling_cpu = _load.cpu_seconds(workers) - ceiling_cpu

        rng = random.Random(seed)

        def checkin():
            key = str(uuid.uuid4())
            body = json.dumps(
                {
                    "answer": rng.choice(["safe", "safe", "safe", "need_help", "not_in_area"]),
                    "idempotency_key": key,
                }
            ).encode()
            headers = {
                "Authorization": f"Device {rng.choice(tokens)}",
                "Content-Type": "application/json",
                "Accept-Language": "en",
            }
            return key, _load.build("POST", host, "/api/app/checkins", headers, body)

        # The database's backends for the workers start with the first check-in: list them at each end.
        cpu_before = (
            _load.cpu_seconds(workers),
            _load.cpu_seconds(_load.processes_named("postgres")),
            time.process_time(),
        )
        accepted, latencies, counters, elapsed = _load.run(
            host, port, checkin, args.seconds, concurrency, args.timeout
        )
        cpu_after = (
            _load.cpu_seconds(workers),
            _load.cpu_seconds(_load.processes_named("postgres")),
            time.process_time(),
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {
        "accepted": accepted,
        "latencies": latencies,
        "retries": counters["retries"],
        "refused": counters["refused"],
        "elapsed": elapsed,
        "ceiling_requests": len(ceiling_latencies),
        "ceiling_elapsed": ceiling_elapsed,
        "ceiling_cpu": ceiling_cpu,
        "cpu": [after - before for before, after in zip(cpu_before, cpu_after)],
        "concurrency": concurrency,
    }


def milliseconds(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def summary(rounds, stored_keys, stored_count):
    """The figures of one mode over its rounds."""
    accepted = [key for r in rounds for key in r["accepted"]]
    latencies = sorted(latency for r in rounds for latency in r["latencies"])
    elapsed = sum(r["elapsed"] for r in rounds)
    ceiling_requests = sum(r["ceiling_requests"] for r in rounds)
    ceiling = ceiling_requests / max(sum(r["ceiling_elapsed"] for r in rounds), 1e-9)
    rate = len(accepted) / max(elapsed, 1e-9)
    cpu = [sum(r["cpu"][n] for r in rounds) for n in range(3)]
    return {
        "seconds": round(elapsed, 1),
        "accepted": len(accepted),
        "accepted_per_s": round(rate, 1),
        "p50_ms": milliseconds(_load.percentile(latencies, 50)),
        "p99_ms": milliseconds(_load.percentile(latencies, 99)),
        "retries": sum(r["retries"] for r in rounds),
        "refused": sum(r["refused"] for r in rounds),
        "lost": len(set(accepted) - stored_keys),
        # a key accepted twice, or stored more than once (the keys of every mode are told apart)
        "duplicated": len(accepted)
        - len(set(accepted))
        + sum(stored_count.get(k, 1) - 1 for k in set(accepted)),
        "ceiling_per_s": round(ceiling, 1),
        "ratio_to_ceiling": round(rate / ceiling, 3) if ceiling else None,
        "ceiling_server_cpu_ms": round(
            sum(r["ceiling_cpu"] for r in rounds) * 1000 / max(ceiling_requests, 1), 3
        ),
        # CPU milliseconds per accepted check-in, by the web server, the database server and the clients
        "cpu_ms": {
            part: round(seconds * 1000 / max(len(accepted), 1), 3)
            for part, seconds in zip(("server", "database", "clients"), cpu)
        },
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60, help="of check-ins, per mode and round")
    parser.add_argument("--ceiling-seconds", type=float, default=10)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2, help="server processes (one per core)")
    parser.add_argument("--threads", type=int, default=4, help="application threads per process")
    parser.add_argument(
        "--clients", type=int, default=0, help="concurrent clients (default: twice the server's threads)"
    )
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--server", choices=["granian", "gunicorn"], default="granian")
    parser.add_argument(
        "--interface",
        choices=["wsgi", "asgi"],
        default="wsgi",
        help="granian's: lifeline.wsgi:application (as deployed) or lifeline.asgi:application",
    )
    parser.add_argument(
        "--modes",
        default="fast_lane,django",
        help="which to measure, in this order: fast_lane (as deployed), django (both settings off), "
        "statement (CHECKIN_FAST_LANE=0 only)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="how many times to alternate the modes")
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or any(m not in MODES for m in modes):
        parser.error(f"--modes: a list of {', '.join(MODES)}")
    if args.server != "granian" and args.interface != "wsgi":
        parser.error("--interface asgi: granian only")

    backend = setup("checkin_surge")
    tokens, campaign = populate(args.people)
    from django.db import connection
    from django.db.models import Count

    from lifeline.crises.models import CheckInAnswer

    connection.close()
    runs = {mode: [] for mode in modes}
    for round_ in range(args.rounds):
        for n, mode in enumerate(modes):
            runs[mode].append(measure(args, mode, tokens, seed=11 + 100 * round_ + n))

    stored = dict(
        CheckInAnswer.objects.filter(request__campaign=campaign)
        .values("idempotency_key")
        .annotate(n=Count("id"))
        .values_list("idempotency_key", "n")
    )
    stored_count = {str(k): n for k, n in stored.items()}
    figures = {mode: summary(rounds, set(stored_count), stored_count) for mode, rounds in runs.items()}
    first = figures[modes[0]]
    result = {
        "bench": "checkin_surge",
        "backend": backend,
        **{k: first[k] for k in ("seconds", "accepted", "accepted_per_s", "p50_ms", "p99_ms", "lost")},
        "duplicated": first["duplicated"],
        "ceiling_per_s": first["ceiling_per_s"],
        **figures,
        "server": args.server,
        "interface": args.interface,
        "concurrency": runs[modes[0]][0]["concurrency"],
        "people": args.people,
        "rounds": args.rounds,
    }
    if "fast_lane" in figures and "django" in figures and figures["django"]["accepted_per_s"]:
        result["fast_lane_gain"] = round(
            figures["fast_lane"]["accepted_per_s"] / figures["django"]["accepted_per_s"], 3
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
