"""People quoted or speaking in a release, with their office as written."""

from __future__ import annotations

import re

from . import vocab

_VOCAB = vocab.load("persons")
# Offices as written, with gendered and compound forms (Sozialministerin, Bundesfinanzminister).
ROLE = (
    rf"(?:{vocab.alternation(_VOCAB['office_prefixes'])} +)?"
    rf"(?:[A-ZÄÖÜ][a-zäöüß]*{vocab.alternation(_VOCAB['compound'])}"
    rf"|{vocab.alternation(_VOCAB['offices'])})"
)
_TITLES = r"(?:(?:Dr\.|Prof\.|Dipl\.-\w+\.?|h\. ?c\.) +)*"
# A word of a name: capitalised, never an academic title or "Frau"/"Herr" (the honorifics
# in front of a surname).
_WORD = r"(?!(?:Dr|Prof|Frau|Herrn?)\b)[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?"
_HONORIFIC = r"(?:(?:Frau|Herrn?) +)?"
_PARTICLE = r"(?:von|van|de|zu|von der|van der|von und zu)"
NAME = rf"{_TITLES}{_WORD}(?: +{_PARTICLE})?(?: +{_WORD}){{1,2}}"
_OPEN_QUOTE = '„"“»«‚¿'  # "¿": a quotation mark that an old page's encoding garbled
_VERBS = vocab.alternation(_VOCAB["verbs"])
_ARTICLE = r"(?:der|die|des|dem|the)"
_PLACES = frozenset(_VOCAB["places"])  # never a word of a person's name

_SPEECH_BY = re.compile(
    rf"\b(?:Rede|Grußwort|Ansprache|Festrede|Interview|Statement) (?:von|mit|der|des) +"
    rf"(?:{ROLE} +)?(?P<name>{NAME})"
)
_SPEECH_WORDS = ("Rede", "Grußwort", "Ansprache", "Interview", "Statement")
# Pieces of every office, to find where an office can start quickly.
_ROLE_STEMS = vocab.stems([*_VOCAB["compound"], *_VOCAB["offices"]])
_ROLE_NAME = re.compile(rf"(?<![\w-])(?=[A-ZÄÖÜ])(?P<role>{ROLE}) +(?P<name>{NAME})(?![\w-])")
# An office with what it heads: "Präsidentin des Landesamts für Verfassungsschutz".
_OFFICE_WORD = r"[A-ZÄÖÜ][a-zäöüß]{3,}(?:er|erin|or|orin|ent|entin|rat|rätin|eur|eurin|te|ter|tin)"
_OFFICE = (
    rf"(?:{ROLE}|{_OFFICE_WORD})(?: (?:der|des|für|im|am|vom|von|beim) [^,:;„“\"\n]{{3,60}}?)?"
)
_COMMA_NAME = re.compile(rf", (?=[A-ZÄÖÜDP])(?P<name>{NAME})(?=[,:])")
_ARTICLE_BEFORE = re.compile(r"\b[Dd](?:er|ie) ")
_OFFICE_ONLY = re.compile(rf"(?P<role>{_OFFICE})")
_OFFICE_SUFFIX = re.compile(r"(?:er|erin|or|orin|ent|entin|rat|rätin|eur|eurin)$")
_FIRST_NAMES_LIKE_OFFICES = {"Alexander", "Christopher", "Günther", "Walther", "Lothar"}
_COLON_QUOTE = re.compile(rf": *[{_OPEN_QUOTE}]")
_PARTY = re.compile(r"^ *\([^()]{1,20}\)")  # "Anna Muster (SPD): „…“"
_NAME_OR_WORD_FULL = re.compile(rf"{NAME}|{_WORD}")
_NAME_FULL = re.compile(NAME)
_CAPITAL = re.compile(r"[A-ZÄÖÜ]")
SPEAKER_LINE = re.compile(rf"^(?:(?P<role>{ROLE}) +)?(?P<name>{NAME}) *:$")
_VERB_INITIALS = "".join(sorted({verb[0] for verb in _VOCAB["verbs"]}))
_VERB_WORD = re.compile(rf"\b(?=[{_VERB_INITIALS}]){_VERBS}\b")  # lookahead: a cheap first test
_VERB_BEFORE = re.compile(rf"\b{_VERBS} +$")
_GAP_BEFORE = re.compile(r"(?<! )(?: *,)? +$")  # (the look-behind keeps it linear)
# Between a name and its verb or colon: a party ("Anna Muster (SPD) sagte"), or an adverb
# ("Muster weiter: „…“").
_AFTER_NAME = re.compile(
    r"(?<! )(?: *\([^()]{1,20}\)| +(?:weiter|abschließend|ergänzend|dazu|zudem|außerdem"
    r"|anschließend))?(?: *,)? *$"
)
_AFTER_VERB_NAME = re.compile(
    rf"(?:{_ARTICLE} +)?(?:(?P<role>{ROLE}) +)?{_HONORIFIC}"
    rf"(?P<name>{NAME}|{_TITLES}{_WORD})(?![\w-])"
)
# "sagte die Ministerin für Verkehr, Anna Muster": an office, then the name after a comma.
_AFTER_VERB_APPOSITION = re.compile(rf"{_ARTICLE} +(?P<role>{_OFFICE}), +(?P<name>{NAME})(?![\w-])")
_AFTER_VERB_ROLE = re.compile(rf"{_ARTICLE} +(?P<role>{ROLE})\b(?! +[A-ZÄÖÜ])")
# "Der Minister betonte, ...": an office alone before the verb (a quotation must follow).
_ROLE_BEFORE_VERB = re.compile(rf"\b[Dd](?:er|ie) +(?P<role>{ROLE}) +$")
_QUOTE_IN_SENTENCE = re.compile(r"[^.!?\n„“\"]{0,200}[„\"“»]")
# „…“ (Anna Muster, Vorständin des Vereins): the speaker in brackets after a quotation.
_BRACKET_SPEAKER = re.compile(rf"[“\"”«¿] *\((?P<name>{NAME})(?:, *(?P<role>[^()]{{1,80}}))?\)")
_SPOKESMAN = re.compile(
    rf"(?P<role>(?:[Ss]tellvertretende[rn]? +)?Sprecher(?:in)? +der +Bundesregierung), +"
    rf"(?P<name>{NAME}), +teilt"
)


def _spokesman_role(formula: str) -> str:
    """The office that "(stellvertretende) Sprecher(in) der Bundesregierung" names."""
    office = "Regierungssprecherin" if "Sprecherin" in formula else "Regierungssprecher"
    if formula.lower().startswith("stellvertretend"):
        return ("stellvertretende " if office.endswith("in") else "stellvertretender ") + office
    return office


_ROLE_FULL = re.compile(rf"{ROLE}$")
_NOT_NAME_START = {"Der", "Die", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einen", "Wir", "Sie"}


def _nominative(role: str | None) -> str | None:
    """An office as it stands alone: "(der) Parlamentarische Staatssekretär" ->
    "Parlamentarischer Staatssekretär"; feminine and uninflected forms stay as written."""
    if not role or " " not in role:
        return role
    adjective, rest = role.split(" ", 1)
    if not adjective[:1].isupper() and not adjective.startswith("stellvertretend"):
        return role
    if adjective.endswith(("ische", "ischen", "tende", "tenden")) and not rest.endswith("in"):
        return adjective.removesuffix("n") + "r " + rest
    if adjective.endswith(("ischen", "tenden")):
        return adjective.removesuffix("n") + " " + rest
    return role


def _before_spaces(text: str, at: int) -> int:
    """Where the run of spaces that ends at ``at`` starts."""
    while at > 0 and text[at - 1] == " ":
        at -= 1
    return at


def _surname(name: str) -> str:
    return name.split()[-1]


def is_office(word: str) -> bool:
    """A word that names an office: a known one, or a long agent noun (Landesbranddirektor)."""
    if _ROLE_FULL.match(word):
        return True
    return (
        len(word) >= 7
        and word not in _FIRST_NAMES_LIKE_OFFICES
        and bool(_OFFICE_SUFFIX.search(word))
    )


def _word_start(text: str, at: int) -> int:
    return max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1


def _role_names(text: str) -> list[re.Match]:
    """``_ROLE_NAME.finditer(text)``, tried only where an office word occurs (much faster)."""
    starts = set()
    for stem in _ROLE_STEMS:
        at = text.find(stem)
        while at >= 0:
            start = _word_start(text, at)
            starts.add(start)
            for _ in range(2):  # "Parlamentarischer Staatssekretär", "Deputy Government ..."
                if start < 2 or text[start - 1] != " ":
                    break
                start = _word_start(text, start - 1)
                starts.add(start)
            at = text.find(stem, at + len(stem))
    found, covered = [], 0
    for start in sorted(starts):
        match = _ROLE_NAME.match(text, start) if start >= covered else None
        if match:
            found.append(match)
            covered = match.end()
    return found


def _appositions(text: str):
    """(name, office) for "die Präsidentin des Landesamts für X, Renate Vollmer," — found
    from the comma: the office is the leftmost "der/die ..." run that is an office."""
    for m in _COMMA_NAME.finditer(text):
        name, comma = m["name"], m.start()
        if is_office(name.split()[0]):
            continue
        window_start = max(0, comma - 90)
        for article in _ARTICLE_BEFORE.finditer(text, window_start, comma):
            office = _OFFICE_ONLY.fullmatch(text, article.end(), comma)
            if office and is_office(office["role"].split()[0]):
                yield name, office["role"]
                break


def _name_ending_at(text: str, end: int, name: re.Pattern) -> str | None:
    """The longest run of up to five words ending at ``end`` that ``name`` (a name pattern:
    it ends in a capitalised word) matches whole."""
    window = text[max(0, end - 60) : end]
    words = window[window.rfind("\n") + 1 :].split(" ")
    if not _CAPITAL.match(words[-1]):  # every candidate ends in this word, a capitalised one
        return None
    for count in range(min(5, len(words)), 0, -1):
        candidate = " ".join(words[-count:])
        start = end - len(candidate)
        if (start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "-")) and (
            name.fullmatch(candidate)
        ):
            return candidate
    return None


def _names_before(text: str, ends: list[int], name: re.Pattern, skip: set[int]):
    """(position, name) for each position in ``ends`` that a name directly precedes."""
    for end in ends:
        found = None if end in skip else _name_ending_at(text, end, name)
        if found:
            yield end - len(found), found


def _name_and_office_before(text: str, end: int) -> tuple[int, str, str] | None:
    """ "Markus Feld, Geschäftsführer der Aidshilfe: „…“": (start, name, office) before ``end``."""
    comma = text.rfind(", ", max(0, end - 80), end)
    if comma < 0:
        return None
    office = _OFFICE_ONLY.fullmatch(text, comma + 2, end)
    name = _name_ending_at(text, comma, _NAME_FULL) if office else None
    if not name or not is_office(office["role"].split()[0]) or is_office(name.split()[0]):
        return None
    return comma - len(name), name, office["role"]


def _verb_just_before(text: str) -> bool:
    """ "sagte ": a speech verb and spaces end ``text`` (so it ends in a space)."""
    return text.endswith((" ", " \n")) and bool(_VERB_BEFORE.search(text))


def _name_end(text: str, at: int) -> int:
    """Where a name would end that stands before ``at`` (a colon or a verb): before the
    spaces, a comma, a party in brackets or an adverb ("Muster weiter:")."""
    gap = _AFTER_NAME.search(text, max(0, at - 30), at)
    return at - len(gap.group(0)) if gap else _before_spaces(text, at)


def _comma_verb_ends(text: str, verbs: list[re.Match]) -> list[int]:
    """Where "Name, sagte" / "Name sagte" / "Name (SPD) sagte" would end its name."""
    ends = []
    for verb in verbs:
        if _GAP_BEFORE.search(text[max(0, verb.start() - 6) : verb.start()]):
            ends.append(_name_end(text, verb.start()))
    return ends


def _spokesmen(text: str) -> list[re.Match]:
    """ "Sprecher der Bundesregierung, Name, teilt ...": looked for when both words occur."""
    if "Sprecher" not in text or "Bundesregierung" not in text:
        return []
    return list(_SPOKESMAN.finditer(text))


def speaker_label(line: str) -> tuple[str, str | None] | None:
    """(name, office) of a line that names who speaks next ("Anna Beispiel:",
    "Bundesminister Max Muster:"), or None."""
    m = SPEAKER_LINE.match(line.strip())
    if not m or m["name"].split()[0] in _NOT_NAME_START or _ROLE_FULL.match(m["name"].split()[0]):
        return None
    return m["name"], m["role"]


def _speaker_lines(text: str):
    """(offset, name, office) for each line that names who speaks next: with an office, or
    followed by a quotation ("Weitere Informationen:" is no one)."""
    if ":" not in text:
        return
    offset = 0
    lines = text.split("\n")
    for at, line in enumerate(lines):
        found = speaker_label(line) if line.rstrip().endswith(":") else None
        if found:
            following = next((line for line in lines[at + 1 :] if line.strip()), "")
            if speaks(found, following):
                yield offset, *found
        offset += len(line) + 1


_FIRST_PERSON = re.compile(r"\b(?:[Ii]ch|[Ww]ir|[Uu]ns(?:er\w*)?|[Mm]ein\w*|mir|mich)\b")


def speaks(label: tuple[str, str | None], following: str) -> bool:
    """Whether a speaker label ("Name:") introduces what follows: it names an office, or
    a quotation or a statement in the first person follows ("Weitere Informationen:" with
    a plain sentence after it is a heading)."""
    following = following.strip()
    return bool(
        label[1]
        or following[:1] in _OPEN_QUOTE
        or _FIRST_PERSON.search(" ".join(following.split(" ", 8)[:8]))
    )


# "…“, sagte sie." / "Dazu sagte er: „…": a pronoun as the speaker of a quotation.
_PRONOUN = re.compile(r"(?P<pronoun>sie|er)\b(?:[^.!?:„“\"\n]{0,40}: *[„\"“»])?")
_QUOTE_CLOSED = re.compile(r"[“\"”«¿] *, *$")
# "Sie sagte: „…", "Er betonte:": a pronoun opening the sentence, before the verb.
_PRONOUN_BEFORE = re.compile(r"(?:^|[.!?“\"”]\s+)(?P<pronoun>Sie|Er)\s+$")
_COLON_AFTER = re.compile(r"[^.!?:„“\"\n]{0,40}: *[„\"“»]")


def _female(role: str | None) -> bool | None:
    if not role:
        return None
    return role.endswith(("in", "frau", "innen")) or role.startswith("Frau")


def _pronoun_speakers(text: str, verbs: list[re.Match], role_names: list[re.Match]):
    """(position, name) for a speech verb followed by "sie"/"er" that introduces or closes
    a quotation: the nearest person named before it whose office fits the pronoun."""
    for verb in verbs:
        spaced = text[verb.end() : verb.end() + 1] == " "
        m = _PRONOUN.match(text, verb.end() + 1) if spaced else None
        before = (
            None if m else _PRONOUN_BEFORE.search(text[max(0, verb.start() - 8) : verb.start()])
        )
        if before and _COLON_AFTER.match(text, verb.end()):
            pronoun = before["pronoun"].lower()
        elif m and (
            m.end() > m.end("pronoun")
            or _QUOTE_CLOSED.search(text[max(0, verb.start() - 6) : verb.start()])
        ):
            pronoun = m["pronoun"]
        else:
            continue
        female = pronoun == "sie"
        for named in reversed([r for r in role_names if r.end() <= verb.start()]):
            if _female(named["role"]) in (None, female):
                yield verb.start(), named["name"]
                break


def find_persons(text: str) -> list[dict]:
    """``[{"name", "role"}]`` of everyone quoted or speaking, once each, in order of appearance."""
    role_names = _role_names(text)
    mentions: dict[str, str | None] = {}  # named people with their office, speaking or not
    for m in role_names:
        mentions.setdefault(m["name"], m["role"])
    spokesmen = _spokesmen(text)
    for m in spokesmen:
        mentions.setdefault(m["name"], _spokesman_role(m["role"]))
    for name, role in _appositions(text):
        mentions.setdefault(name, role)
    verbs = list(_VERB_WORD.finditer(text))
    colon_ends = [_name_end(text, m.start()) for m in _COLON_QUOTE.finditer(text)]
    comma_ends = _comma_verb_ends(text, verbs)
    speakers: list[tuple[int, str | None]] = []
    after_office: set[int] = set()  # "Name, Office: „…“": the office is no speaker's name
    for ends in (colon_ends, comma_ends):
        for end in ends:
            found = _name_and_office_before(text, end)
            if found:
                start, name, role = found
                mentions.setdefault(name, role)
                speakers.append((start, name))
                after_office.add(end)

    def resolve(name: str, role: str | None = None) -> str | None:
        words = name.split()
        roles_at = [i for i, word in enumerate(words[:-1]) if _ROLE_FULL.match(word)]
        if roles_at:
            role, words = words[roles_at[-1]], words[roles_at[-1] + 1 :]
        elif len(words) > 2 and is_office(words[0]):
            role, words = words[0], words[1:]
        if words[0] in _NOT_NAME_START or _ROLE_FULL.match(words[0]):
            return None
        name = " ".join(words)
        if name in mentions:
            return name
        bare = name.replace("Dr. ", "").replace("Prof. ", "")
        if " " not in bare:
            full = [n for n in mentions if _surname(n) == bare]
            return full[0] if len(full) == 1 else None
        mentions[name] = role
        return name

    def by_role(role: str) -> str | None:
        stem = role.removesuffix("in").lower()
        named = [
            n for n, r in mentions.items() if r and r.lower().removesuffix("in").endswith(stem)
        ]
        return named[0] if len(named) == 1 else None

    for m in role_names:
        after = _PARTY.sub("", text[m.end() : m.end() + 30], count=1)[:4]
        before = text[max(0, m.start() - 40) : m.start()]
        if _COLON_QUOTE.match(after.lstrip(" ")) or _verb_just_before(before):
            speakers.append((m.start(), m["name"]))
    after_verbs = [m.end() + 1 for m in verbs if text[m.end() : m.end() + 1] == " "]
    for at in after_verbs:
        m = _AFTER_VERB_APPOSITION.match(text, at)
        if m and is_office(m["role"].split()[0]):
            mentions.setdefault(m["name"], m["role"])
            speakers.append((at, m["name"]))
            continue
        m = _AFTER_VERB_NAME.match(text, at)
        if m:
            speakers.append((at, resolve(m["name"], m["role"])))
    for start, name in _names_before(text, colon_ends, _NAME_OR_WORD_FULL, after_office):
        speakers.append((start, resolve(name)))
    for start, name in _names_before(text, comma_ends, _NAME_FULL, after_office):
        speakers.append((start, resolve(name)))
    for m in _SPEECH_BY.finditer(text) if any(w in text for w in _SPEECH_WORDS) else ():
        speakers.append((m.start(), m["name"]))
    speakers.extend((m.start(), m["name"]) for m in spokesmen)
    for offset, name, role in _speaker_lines(text):
        speakers.append((offset, resolve(name, role)))
    speakers.extend(_pronoun_speakers(text, verbs, role_names))
    for at in after_verbs:
        m = _AFTER_VERB_ROLE.match(text, at)
        if m:
            speakers.append((at, by_role(m["role"])))
    for verb in verbs:  # "Der Bundeskanzler verwies darauf, ... „…“"
        m = _ROLE_BEFORE_VERB.search(text, max(0, verb.start() - 60), verb.start())
        if m and _QUOTE_IN_SENTENCE.match(text, verb.end()):
            speakers.append((m.start(), by_role(m["role"])))
    for m in _BRACKET_SPEAKER.finditer(text) if "(" in text else ():
        role = m["role"] if m["role"] and is_office(m["role"].split()[0]) else None
        mentions.setdefault(m["name"], role)
        speakers.append((m.start(), m["name"]))

    seen: dict[str, str] = {}  # the name as output -> the name as found
    for _, name in sorted(speakers, key=lambda item: item[0]):
        if name and _trimmed(name) not in seen:
            seen[_trimmed(name)] = name
    return [{"name": out, "role": _nominative(mentions.get(name))} for out, name in seen.items()]


def _trimmed(name: str) -> str:
    """A name without a place that followed it ("besuchte Minister Anna Muster Thüringen")."""
    words = name.split()
    while len(words) > 2 and words[-1] in _PLACES:
        words.pop()
    return " ".join(words)
