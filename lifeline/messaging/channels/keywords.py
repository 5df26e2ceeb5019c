"""Keywords a person can text back, in each language we know them in.

The first word of a message is compared with these, ignoring case, accents
and Arabic vowel marks, so "safe", "SAFE!", "Seguro" and "آمن" all count. A word
shared by several languages (SEGURO is Spanish and Portuguese) still gives its
keyword, but no language.
"""

import re
import unicodedata

SAFE, HELP, STOP, START = "safe", "help", "stop", "start"

KEYWORDS = {
    "en": {
        SAFE: ["SAFE", "OK"],
        HELP: ["HELP", "SOS"],
        STOP: ["STOP", "UNSUBSCRIBE", "END", "QUIT"],
        START: ["START", "SUBSCRIBE"],
    },
    "es": {
        SAFE: ["SEGURO", "SEGURA", "SALVO", "SALVA"],
        HELP: ["AYUDA", "SOCORRO"],
        STOP: ["ALTO", "PARAR", "BAJA"],
        START: ["INICIO", "ALTA", "EMPEZAR"],
    },
    "fr": {
        SAFE: ["SAUF", "SAUVE", "SAUVEE", "INDEMNE"],
        HELP: ["AIDE", "SECOURS"],
        STOP: ["ARRET", "ARRETER"],
        START: ["DEBUT", "DEMARRER", "REPRENDRE"],
    },
    "ar": {
        SAFE: ["آمن", "امان", "سالم", "بخير"],
        HELP: ["مساعدة", "النجدة", "ساعدوني"],
        STOP: ["توقف", "إلغاء"],
        START: ["ابدأ", "بدء"],
    },
    "ru": {
        SAFE: ["БЕЗОПАСНО", "ЦЕЛ", "ЦЕЛА"],
        HELP: ["ПОМОЩЬ", "ПОМОГИТЕ"],
        STOP: ["СТОП", "ОТПИСАТЬСЯ"],
        START: ["СТАРТ", "НАЧАТЬ"],
    },
    "pt": {
        SAFE: ["SEGURO", "SEGURA", "SALVO", "SALVA"],
        HELP: ["AJUDA", "SOCORRO"],
        STOP: ["PARAR", "SAIR", "CANCELAR"],
        START: ["COMECAR", "INICIAR"],
    },
    # Filipino is the standard form of Tagalog: one list, reported as "tl".
    "tl": {
        SAFE: ["LIGTAS"],
        HELP: ["TULONG", "SAKLOLO"],
        STOP: ["TIGIL", "HINTO"],
        START: ["SIMULA", "UMPISA"],
    },
}

_ARABIC_FOLD = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None})


def fold(word):
    """Case-, accent- and vowel-mark-insensitive form of a word."""
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_ARABIC_FOLD).casefold()


def _index():
    index = {}
    for language, table in KEYWORDS.items():
        for keyword, words in table.items():
            for word in words:
                key = fold(word)
                found = index.setdefault(key, (keyword, []))
                if found[0] != keyword:
                    raise ValueError(f"{word!r} means both {found[0]} and {keyword}")
                found[1].append(language)
    return {
        key: (keyword, languages[0] if len(languages) == 1 else "")
        for key, (keyword, languages) in index.items()
    }


INDEX = _index()
_FIRST_WORD = re.compile(r"\w+")


def match(text):
    """(keyword, language) for the first word of ``text``; ("", "") if it is no keyword."""
    found = _FIRST_WORD.search(fold(text or "")[:200])
    if found is None:
        return "", ""
    return INDEX.get(found.group(0), ("", ""))
