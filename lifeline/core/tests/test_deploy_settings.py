import os
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings


def _run(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy():
    result = _run(
        {
            "LIFELINE_ENV": "production",
            "SECRET_KEY": "x" * 30 + "a-long-random-production-secret-key-0123456789",
            "LIFELINE_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "LIFELINE_INDEX_KEY": "another-long-random-string-for-blind-indexes",
            "ALLOWED_HOSTS": "lifeline.example.org",
            "DATABASE_URL": os.environ.get("DATABASE_URL") or "sqlite:///:memory:",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_fall_back_to_a_local_database():
    """Without DATABASE_URL a production run would quietly use a SQLite file in the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(
        {
            "LIFELINE_ENV": "production",
            "SECRET_KEY": "x" * 50,
            "LIFELINE_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "LIFELINE_INDEX_KEY": "another-long-random-string-for-blind-indexes",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "DATABASE_URL must be set" in result.stderr


def test_production_refuses_to_start_without_keys():
    result = _run({"LIFELINE_ENV": "production", "SECRET_KEY": "", "LIFELINE_ENCRYPTION_KEYS": ""})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_an_added_language_is_offered_from_its_own_folder_and_asks_for_no_migration(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update({"LIFELINE_LANGUAGES": "bn:বাংলা", "LIFELINE_LOCALE_DIR": str(tmp_path)})
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(dict(settings.LANGUAGES)['bn'], settings.LOCALE_PATHS[0])",
        ],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "lifeline.settings"},
        capture_output=True,
        text=True,
    )
    assert shown.stdout.split() == ["বাংলা", str(tmp_path)], shown.stderr
    check = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
