"""The English catalogue must be complete: every Dutch source string has a
translation, nothing is fuzzy (gettext skips fuzzy entries, so the Dutch would
leak into the English UI) and the placeholders survive translation (a missing
or renamed %(naam)s raises KeyError at render time).

Plain pytest, no database: run with ``-p no:django``.
"""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
NL_PO = LOCALE / "nl" / "LC_MESSAGES" / "django.po"
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"

# %(name)s, %(name)d, ... (python-format named placeholders); "%%" is a literal.
PLACEHOLDER = re.compile(r"%%|%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGoc%]")


@pytest.fixture(scope="module")
def en():
    return polib.pofile(str(EN_PO))


def placeholders(text):
    return {name for name in PLACEHOLDER.findall(text) if name}


def translations(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_the_english_catalogue_is_not_trivially_empty(en):
    entries = [e for e in en if not e.obsolete]
    assert len(entries) > 100, f"only {len(entries)} entries in {EN_PO}"
    assert any(e.msgid_plural for e in entries), "no plural entries at all"


@pytest.mark.parametrize("po_path,language", [(EN_PO, "en"), (NL_PO, "nl")])
def test_the_header_declares_language_and_plural_forms(po_path, language):
    po = polib.pofile(str(po_path))
    assert po.metadata.get("Language") == language
    assert po.metadata.get("Plural-Forms") == PLURAL_FORMS
    assert not po.metadata_is_fuzzy, f"{po_path}: the header is marked fuzzy"


def test_every_entry_is_translated(en):
    missing = [
        e.msgid for e in en if not e.obsolete and not all(s.strip() for s in translations(e))
    ]
    assert not missing, "untranslated msgids:\n" + "\n".join(missing)


def test_no_entry_is_fuzzy(en):
    fuzzy = [e.msgid for e in en if not e.obsolete and "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy msgids:\n" + "\n".join(fuzzy)


def test_placeholders_match_between_msgid_and_msgstr(en):
    wrong = []
    for e in en:
        if e.obsolete or "no-python-format" in e.flags:
            continue
        for index, msgstr in enumerate(translations(e)):
            # msgstr[0] is the singular form, the others follow msgid_plural.
            source = e.msgid_plural if e.msgid_plural and index > 0 else e.msgid
            expected, found = placeholders(source), placeholders(msgstr)
            if found != expected:
                wrong.append(f"{e.msgid!r}: expected {sorted(expected)}, got {sorted(found)}")
    assert not wrong, "placeholder mismatches:\n" + "\n".join(wrong)


def test_my_classes_is_translated_as_the_ui_tests_expect(en):
    entry = en.find("Mijn klassen")
    assert entry is not None and entry.msgstr == "My classes"
