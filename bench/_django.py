"""Set up Django on a throw-away database for a benchmark (SQLite file or PostgreSQL)."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(name):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, _db = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "bench_{name}"')
            conn.execute(f'CREATE DATABASE "bench_{name}"')
        os.environ["DATABASE_URL"] = f"{base}/bench_{name}"
        backend = "postgresql"
    else:
        path = Path(tempfile.mkdtemp()) / f"bench_{name}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        backend = "sqlite"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return backend
