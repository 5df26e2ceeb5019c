"""The deployment's own word for a crisis: an overlay of whole sentences per language (core.terms)."""

import io
import os
import re
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from lifeline.alerts.models import Origin
from lifeline.alerts.services import import_cap
from lifeline.core import terms
from lifeline.core.models import Role, Scope
from lifeline.crises.models import CheckInProposal
from lifeline.crises.tests.test_relay import cap_message  # noqa: F401 (a fixture)

SHIPPED = [path for path in settings.LOCALE_PATHS if "terms" not in str(path)]
PLACEHOLDERS = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}")


def _compiled_copy(source, target):
    """A copy of an overlay with its .mo made from its .po (translated entries only, as msgfmt)."""
    shutil.copytree(source, target)
    for po_path in target.rglob("django.po"):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    return target


@pytest.fixture
def emergency(tmp_path):
    """The shipped overlay ``emergency`` in use, as LIFELINE_TERMS=emergency sets it."""
    places = tmp_path / "terms"
    _compiled_copy(terms.SHIPPED_DIR / "emergency", places / "emergency")
    with override_settings(
        TERMS="emergency", TERMS_DIR=str(places), LOCALE_PATHS=[places / "emergency" / "locale", *SHIPPED]
    ):
        yield places


@pytest.fixture
def declared(
    cap_message,  # noqa: F811
    ministry,
    post_amman,
    make_registration,
    make_user,
    login,
    django_capture_on_commit_callbacks,
):
    """An officer of a post, and a proposal to declare a crisis from another authority's alert."""
    make_registration(post_amman, location="31.95,35.90", languages=["en"])
    with django_capture_on_commit_callbacks(execute=True):
        assert import_cap(cap_message, ministry, origin=Origin.FEED).ok
    client = login(make_user(post_amman, role=Role.OFFICER, scope=Scope.OWN))
    return client, CheckInProposal.objects.get()


def _declare(client, proposal, language):
    page = client.post(
        f"/crises/proposals/{proposal.pk}/", {"do": "declare"}, follow=True, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    listing = client.get("/crises/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return page, re.search(r"<title>(.*?)</title>", listing, re.S).group(1)


def test_the_setting_puts_the_overlay_first():
    code = "from django.conf import settings; print(settings.LOCALE_PATHS[0])"
    env = {**os.environ, "LIFELINE_TERMS": "emergency", "DJANGO_SETTINGS_MODULE": "lifeline.settings"}
    env.pop("LIFELINE_TERMS_DIR", None)
    first = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout.strip()
    assert first == str(terms.SHIPPED_DIR / "emergency" / "locale")


@pytest.mark.parametrize(
    "language, title, message",
    [
        ("en", "Emergencies", "Emergency declared from the alert: 1 registrations inside."),
        (
            "ru",
            "Чрезвычайные ситуации",
            "Чрезвычайная ситуация объявлена по оповещению. Регистраций в зоне: 1.",
        ),
        ("ar", "حالات الطوارئ", "أُعلنت حالة الطوارئ بناءً على التنبيه. عدد التسجيلات داخل المنطقة: 1."),
        ("fr", "Urgences", "Urgence déclarée à partir de l&#x27;alerte\u00a0: 1 inscriptions dans la zone."),
    ],
)
def test_with_the_overlay_pages_and_messages_say_emergency(emergency, declared, language, title, message):
    client, proposal = declared
    page, listing_title = _declare(client, proposal, language)
    assert message in page
    assert listing_title.startswith(title + " ·")
    assert "crisis" not in listing_title.lower() and "кризис" not in page and "الأزمة" not in page


@pytest.mark.parametrize(
    "language, title, message",
    [
        ("en", "Crises", "Crisis declared from the alert: 1 registrations inside."),
        ("ru", "Кризисы", "Кризис объявлен по оповещению. Регистраций в зоне: 1."),
    ],
)
def test_without_it_the_shipped_words(declared, language, title, message):
    assert not settings.TERMS
    client, proposal = declared
    page, listing_title = _declare(client, proposal, language)
    assert message in page
    assert listing_title.startswith(title + " ·")


def test_a_text_the_overlay_lacks_shows_the_shipped_sentence(emergency):
    """Texts that do not mention a crisis come from the shipped catalog, in the reader's language."""
    from django.utils import translation

    with translation.override("ru"):
        assert translation.gettext("Close the crisis") == "Закрыть чрезвычайную ситуацию"
        assert translation.gettext("Crisis cell") == "Группа по чрезвычайной ситуации"
        assert translation.gettext("Assembly point · %(crisis)s") == "Пункт сбора · %(crisis)s"


def test_the_check_warns_on_a_missing_entry(emergency):
    path = emergency / "emergency" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    catalog = polib.pofile(str(path))
    catalog.find("Close the crisis").flags.append("fuzzy")
    catalog.remove(catalog.find("No crises."))
    catalog.save(str(path))
    catalog.save_as_mofile(str(path.with_suffix(".mo")))

    [warning] = terms.check_overlay()
    assert warning.id == "lifeline.W201"
    assert "fr" in warning.msg and "'Close the crisis'" in warning.msg and "'No crises.'" in warning.msg
    assert "2 text(s)" in warning.msg


def test_the_check_is_quiet_without_the_setting_and_refuses_an_overlay_that_is_not_there(tmp_path):
    assert terms.check_overlay() == []
    with override_settings(TERMS="disaster", TERMS_DIR=str(tmp_path)):
        [error] = terms.check_overlay()
    assert error.id == "lifeline.E202"


def test_the_command_starts_an_overlay_from_the_shipped_sentences(tmp_path):
    with override_settings(TERMS_DIR=str(tmp_path)):
        call_command("term_overlay", "disaster", stdout=io.StringIO())
        ru = polib.pofile(str(tmp_path / "disaster" / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
        entry = ru.find("Close the crisis")
        # Every text that mentions a crisis, with the shipped sentence to start from, not yet written.
        assert entry.msgstr == "Закрыть кризис" and "fuzzy" in entry.flags
        assert ru.find("Are you safe? %(crisis)s") is None  # a placeholder is not the word
        assert sorted(terms.missing("disaster")) == sorted(code for code, _ in settings.STAFF_LANGUAGES)

        entry.msgstr, entry.flags = "Закрыть бедствие", []
        ru.save()
        call_command("term_overlay", "disaster", "ru", stdout=io.StringIO())
        again = polib.pofile(str(tmp_path / "disaster" / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
        assert again.find("Close the crisis").msgstr == "Закрыть бедствие"  # kept
        assert "Close the crisis" not in terms.missing("disaster")["ru"]
        assert (tmp_path / "disaster" / "locale" / "ru" / "LC_MESSAGES" / "django.mo").is_file()


def test_the_command_extends_a_shipped_overlay_in_the_deployments_directory(tmp_path):
    with override_settings(TERMS_DIR=str(tmp_path)):
        call_command("term_overlay", "emergency", "fil", stdout=io.StringIO())
        own = tmp_path / "emergency" / "locale"
        assert terms.locale_dir("emergency") == own
        assert (own / "ru" / "LC_MESSAGES" / "django.po").read_text() == (
            terms.SHIPPED_DIR / "emergency" / "locale" / "ru" / "LC_MESSAGES" / "django.po"
        ).read_text()
        assert (own / "fil" / "LC_MESSAGES" / "django.po").is_file()
    assert not (terms.SHIPPED_DIR / "emergency" / "locale" / "fil").exists()


def test_the_command_refuses_a_name_that_is_not_one(tmp_path):
    from django.core.management.base import CommandError

    with override_settings(TERMS_DIR=str(tmp_path)), pytest.raises(CommandError):
        call_command("term_overlay", "../etc")
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("code", [code for code, _ in settings.STAFF_LANGUAGES])
def test_the_shipped_overlay_is_complete_with_placeholders_and_plurals(code):
    assert code not in terms.missing("emergency", [terms.SHIPPED_DIR])
    path = terms.SHIPPED_DIR / "emergency" / "locale" / code / "LC_MESSAGES" / "django.po"
    catalog = polib.pofile(str(path))
    plurals = int(re.search(r"nplurals=(\d+)", catalog.metadata["Plural-Forms"]).group(1))
    assert re.search(r"^Reviewed by: .+", catalog.header, re.M)
    for entry in catalog:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == plurals, entry.msgid
            sources = set(PLACEHOLDERS.findall(entry.msgid_plural))
            for form in entry.msgstr_plural.values():
                assert set(PLACEHOLDERS.findall(form)) <= sources, (code, entry.msgid)
        else:
            assert sorted(PLACEHOLDERS.findall(entry.msgstr)) == sorted(PLACEHOLDERS.findall(entry.msgid))
