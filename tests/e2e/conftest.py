"""A real server (manage.py runserver on its own database, demo data loaded) and real Chromium."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base = url.rpartition("/")[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "lifeline_e2e"')
            conn.execute('CREATE DATABASE "lifeline_e2e"')
        env["DATABASE_URL"] = f"{base}/lifeline_e2e"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/e2e.sqlite3"
    env["MEDIA_ROOT"] = tempfile.mkdtemp()
    SERVER_DB["url"] = env["DATABASE_URL"]
    return env


# The server's own database, for tests that check what reached it (read-only queries).
SERVER_DB = {}


def server_query(sql, params=()):
    url = SERVER_DB["url"]
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return conn.execute(sql, params).fetchall()


class Mailbox:
    """A real SMTP server on loopback that keeps what the product sends (sign-in codes, reminders)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait_for(self, to, timeout=15, subject_contains=""):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for message in reversed(self.messages):
                if to in message["To"] and subject_contains in (message["Subject"] or ""):
                    return message
            time.sleep(0.2)
        raise AssertionError(f"no message to {to}")


@pytest.fixture(scope="session")
def mailbox():
    from aiosmtpd.controller import Controller

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture(scope="session")
def server(mailbox):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make setup`")
    env = _server_env()
    env.update(
        {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mailbox[1]),
            # As behind the nginx site: a journey may come from its own address (X-Forwarded-For),
            # so that the per-address limit on sign-in codes counts it apart from the others.
            "TRUSTED_PROXY_HOPS": "1",
        }
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    port = _free_port()
    # The server's log goes to a file: a pipe nobody reads fills up (64 KB of request lines, a few
    # hundred pages into the suite) and then blocks the single-threaded server on its next line.
    log = tempfile.NamedTemporaryFile(prefix="e2e-server-", suffix=".log", delete=False)  # noqa: SIM115 (closed at teardown)
    process = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the server did not start: " + Path(log.name).read_text(errors="replace")[-2000:])
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)
    log.close()
    Path(log.name).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


_codes = {}


def next_code(username):
    """Each demo user has backup codes demo0001..demo0020; each works once."""
    _codes[username] = _codes.get(username, 0) + 1
    return f"demo{_codes[username]:04d}"


@pytest.fixture
def page_as(browser, server):
    contexts = []

    def open_as(username, viewport=None, language="en"):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale=language)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{server}/account/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "Lifeline-demo-2026")
        page.click("main button[type=submit]")
        if "/account/2fa/" in page.url:
            page.fill("#id_token", next_code(username))
            page.click("main button[type=submit]")
        return page

    yield open_as
    for context in contexts:
        context.close()


SHOTS = os.environ.get("SCREENSHOTS_DIR")


def shoot(page, name):
    """Save a full-page screenshot when SCREENSHOTS_DIR is set (make screenshots)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        height = min(page.evaluate("document.documentElement.scrollHeight"), 2000)
        page.screenshot(
            path=str(Path(SHOTS) / f"{name}.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": width, "height": height},
        )


def wait_until(page, expression, timeout=15.0):
    """Wait until ``expression`` is true in the page. Playwright's ``wait_for_function`` evaluates
    its predicate with ``eval`` inside the page, which the pages' Content-Security-Policy forbids;
    ``page.evaluate`` goes through the browser's debugging protocol and is not subject to it."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(100)
