"""Text hygiene: Unicode form, invisible characters, link titles, mojibake, charsets."""

from __future__ import annotations

import unicodedata

from scraper.normalise import normalise_html, normalise_text
from scraper.normalise.source import decode
from scraper.normalise.text import clean_inline, repair_mojibake

RELEASE = "Ein Titel\n\nWiesbaden. {} Das Land fördert damit viele neue Projekte im ganzen Land."


def test_nfc():
    decomposed = unicodedata.normalize("NFD", "Förderung für Mädchen")
    assert clean_inline(decomposed) == "Förderung für Mädchen"


def test_nbsp_soft_hyphen_and_space_runs_folded():
    assert clean_inline("10\u00a0Mio.\u00a0Euro für För\u00adderung   und  mehr") == (
        "10 Mio. Euro für Förderung und mehr"
    )


def test_hyphenation_mark_joined():
    assert clean_inline("Integrations¬konferenz") == "Integrationskonferenz"


def test_glued_link_titles_removed_with_space_restored():
    text = "unter www.example.deÖffnet sich in einem neuen Fensterabrufbar und im Bericht"
    assert clean_inline(text) == "unter www.example.de abrufbar und im Bericht"
    assert clean_inline("den Bericht(Dokument, oeffnet ein neues Fenster).") == "den Bericht."


def test_mojibake_repaired_and_flagged():
    broken = "Die FÃ¶rderung fÃ¼r MÃ¤dchen und StraÃŸen â€“ â€žgutâ€œ"
    repaired, changed = repair_mojibake(broken)
    assert changed and repaired == "Die Förderung für Mädchen und Straßen – „gut“"
    rec = normalise_text(RELEASE.format("Die FÃ¶rderung wÃ¤chst."))
    assert "Die Förderung wächst." in rec.body and "mojibake-repaired" in rec.flags


def test_clean_text_is_not_repaired():
    assert repair_mojibake("Ärger über Öl, São Paulo, Ça va") == (
        "Ärger über Öl, São Paulo, Ça va",
        False,
    )


def test_replacement_character_kept_and_flagged():
    rec = normalise_text(RELEASE.format("Die Zahl w\ufffdchst."))
    assert "w\ufffdchst" in rec.body and "replacement-char" in rec.flags


def test_page_bytes_utf8_declared_latin1():
    page = '<html><head><meta charset="iso-8859-1"></head><body><main><h1>Größe</h1>'
    page += "<p>Wiesbaden. Die Größe der Förderung wächst weiter und weiter im Land.</p></main>"
    rec = normalise_html(page.encode("utf-8"))
    assert rec.title == "Größe" and "charset-mismatch" in rec.flags
    assert rec.sources["encoding"] == "utf-8 (detected)"


def test_page_bytes_cp1252_declared_utf8():
    page = '<html><head><meta charset="utf-8"></head><body><main><h1>Größe</h1>'
    page += "<p>Wiesbaden. Die Größe der Förderung wächst weiter und weiter im Land.</p></main>"
    rec = normalise_html(page.encode("cp1252"))
    assert rec.title == "Größe" and "charset-mismatch" in rec.flags


def test_truncated_utf8():
    decoded = decode("Förderung für Mä".encode()[:-1], markup=False)
    assert decoded.text == "Förderung für M"
    assert "truncated" in decoded.flags
