"""Page chrome and promotion that surround a release: recognised line by line and dropped."""

from __future__ import annotations

import re

from .dates import READING_TIME

_CHANNELS = (
    "Facebook|Twitter|Instagram|Flickr|Flickr/Instagram|YouTube|Youtube|X|Mastodon|LinkedIn"
    "|Threads|Bluesky|WhatsApp|TikTok|Xing|RSS|Newsletter|E-Mail"
)
_CHROME_LINES = [
    r"mehr|weiterlesen|Mehr anzeigen|Weniger anzeigen|zur Fotoreihe|zum Video|zur Bildergalerie",
    r"Jetzt teilen:?|Teilen|Seite teilen|Artikel teilen|Drucken|Druckversion|Seite drucken",
    r"Schließen|Schliessen|Hinweis schließen|Hinweis schliessen|Details|Sie sind hier:?",
    r"Springe zum Inhalt|Zum Inhalt springen|Zurück zum Seitenanfang|Nach oben|A A A",
    r"Metanavigation.*|Navigation und Service|Hauptnavigation|Menü|Suche|Zurück|Inhalt",
    r"Zu den Bildnachweisen|Bildnachweis(?:e)?:?|Vorheriger Beitrag(?:\s+Nächster Beitrag)?",
    r"Nächster Beitrag|Vorheriger Artikel|Nächster Artikel|Alle Pressemitteilungen",
    r"\.{3}\s*weiterlesen\b.*|weiterlesen\s+[\"„].*",
    r"Startseite\s*[»>›/|].*|Sie sind hier:.*",
    r"\d{1,3} / \d{1,3}|Bild \(\d+:\d+\) \d+ [Vv]on \d+|Bild \d+ von \d+",
    r"©.*|\(?Bild(?:quelle)?:.*\)?|Fotos?:.*|Bildrechte:.*|Copyright:?.*|.*vergrößern",
    r"Quelle: .{1,60}",
    r"\S+\.(?:jpe?g|png|gif|webp|svg)",
    r"Diese (?:Web)?[Ss]eite verwendet Cookies.*|Wir verwenden Cookies.*|Cookie-Einstellungen.*",
    r"Alle akzeptieren|Nur notwendige(?: Cookies)?|Einstellungen|Akzeptieren|Ablehnen|OK",
    rf"(?:{_CHANNELS})",
]
CHROME = re.compile(r"^(?:" + "|".join(_CHROME_LINES) + r")$", re.I)
_CASE_SENSITIVE_CHROME = re.compile(r"^(?:Inhalt|Menü|Suche|Details|Teilen|X)$")

# A line after which, up to the end of its section, only promotion follows.
STOP = re.compile(
    r"^(?:Sie finden unser Ministerium auf folgenden Kanälen:?|Folgen Sie uns(?: auf)?:?.*"
    r"|Immer sofort informiert!?|Das könnte Sie auch interessieren:?|Weitere Pressemitteilungen:?"
    r"|Verwandte (?:Artikel|Themen|Inhalte):?|Ähnliche (?:Artikel|Meldungen):?"
    r"|Mehr zum Thema:?|Weitere Meldungen:?|Aktuelle Pressemitteilungen:?)$",
    re.I,
)
SPEECH = re.compile(r"^(?:Es gilt das gesprochene Wort\.?|- Es gilt das gesprochene Wort -)$", re.I)
VERBATIM = re.compile(r"^Im Wortlaut:?$", re.I)
# Metadata boxes: "erstellt am:" carries the date; "zuletzt aktualisiert am:" does not.
CREATED = r"(?:erstellt am|veröffentlicht am|Datum|Stand|Veröffentlicht):?\s*(?P<created_value>.*)"
UPDATED = r"(?:zuletzt )?(?:aktualisiert|geändert) am:?\s*(?P<updated_value>.*)"
# One pass per line: which kind of marker or metadata line this is (``lastgroup``).
MARKER = re.compile(
    "^(?:"
    + "|".join(
        f"(?P<{name}>{pattern.removeprefix('^').removesuffix('$')})"
        for name, pattern in (
            ("speech", SPEECH.pattern),
            ("verbatim", VERBATIM.pattern),
            ("stop", STOP.pattern),
            ("box", r"Artikel-Informationen.*"),
            ("updated", UPDATED),
            ("created", CREATED),
            ("reading", READING_TIME.pattern),
        )
    )
    + ")$",
    re.I,
)


def is_chrome(line: str) -> bool:
    """True for a line of navigation, credits, counters, buttons, cookie notices or reading time."""
    line = line.strip()
    if not line:
        return True
    if len(line) > 200 and not line.startswith(("©", "Diese", "Wir verwenden")):
        return False
    if READING_TIME.match(line):
        return True
    match = CHROME.match(line)
    if not match:
        return False
    # Short generic words count only as whole lines written the way buttons write them.
    if line.lower() in {"inhalt", "menü", "suche", "details", "teilen", "x"}:
        return bool(_CASE_SENSITIVE_CHROME.match(line))
    return len(line) <= 200 or line.startswith(("©", "Diese", "Wir verwenden"))
