"""Bytes -> a document: decoded once, before parsing, then parsed once.

Decoding follows the standard order: a byte order mark, the ``Content-Type`` charset, the
page's ``<meta charset>`` (w3lib reads both, with the WHATWG label table that makes
``iso-8859-1`` mean ``windows-1252``), then detection. A declaration is overruled only on
evidence: bytes that are not valid in the declared encoding, valid UTF-8 under a single-byte
declaration, or the NUL pattern of UTF-16. The chosen encoding and how it was chosen are
kept (``Document.encoding_source``, e.g. ``windows-1252 (content-type)``).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from lxml import etree
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

from .select import parse_tree
from .text import repair_mojibake

# Names an archivist knows (the WHATWG names) for Python's codec names.
_DISPLAY = {
    "cp1252": "windows-1252", "utf-16-le": "utf-16le", "utf-16-be": "utf-16be",
    "iso8859-15": "iso-8859-15", "cp1250": "windows-1250",
}  # fmt: skip
_SINGLE_BYTE_WESTERN = {"cp1252", "latin-1", "iso8859-1", "iso8859-15", "ascii", "cp1250",
                        "iso8859-2", "mac-roman", "cp850", "cp437"}  # fmt: skip
_UTF16 = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_NON_ASCII_TEXT = re.compile("[^\x00-\x7f]")
_1252_GAPS = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")  # bytes windows-1252 leaves undefined
_LATE_META = re.compile(rb"<meta\s[^<>]*charset", re.I)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Runs of wrapper tags (only whitespace between) that nest a page deeper than a parser goes.
_WRAPPERS = "div|span|section|article|main|font|center|b|i"
_RUN = re.compile(
    rf"(?P<open><(?P<open_name>{_WRAPPERS})\b[^<>]*>)(?:\s*(?P=open)){{23,}}"
    rf"|(?P<close></(?P<close_name>{_WRAPPERS})\s*>)(?:\s*(?P=close)){{23,}}",
    re.I,
)
_TAG = re.compile(r"<(?P<closing>/?)(?P<name>[a-zA-Z][\w-]*)[^<>]*?(?P<self>/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})  # fmt: skip
_CONTAINERS = frozenset({*_WRAPPERS.split("|"), "em", "strong", "u", "small", "nav", "aside",
                         "header", "footer", "ul", "ol", "dl", "table", "tbody", "thead", "tr",
                         "blockquote", "form", "fieldset"})  # fmt: skip
_MAX_DEPTH = 512
_KEPT_OUTER = 8  # (libxml2 goes to 2048 with its huge option; its count adds implied tags)


def _windows_1252_gaps(error: UnicodeDecodeError) -> tuple[str, int]:
    """The five bytes windows-1252 leaves undefined are the C1 controls (as browsers read them)."""
    return "".join(map(chr, error.object[error.start : error.end])), error.end


def _single_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """A byte that is not UTF-8 inside UTF-8 text: read as windows-1252 (a pasted snippet)."""
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", errors="pressarchiv-1252-gaps"), error.end


codecs.register_error("pressarchiv-1252-gaps", _windows_1252_gaps)
codecs.register_error("pressarchiv-single-bytes", _single_bytes)


@dataclass
class Decoded:
    """Text decoded from bytes: the encoding, how it was chosen, what was odd."""

    text: str
    encoding: str
    how: str
    flags: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """E.g. ``windows-1252 (content-type)``: the entry of ``sources["encoding"]``."""
        return f"{_DISPLAY.get(self.encoding, self.encoding)} ({self.how})"


def _codec(label: str | None) -> str | None:
    """Python's codec name for an encoding label (WHATWG aliases applied), or None."""
    if not label:
        return None
    resolved = resolve_encoding(label)
    if not resolved:
        return None
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def _meta_charset(data: bytes) -> str | None:
    """The ``<meta>`` charset label: in the first 4 KB (w3lib's scan), else the first
    ``<meta ... charset`` of the first 64 KB (a head of long inline scripts or styles)."""
    label = html_body_declared_encoding(data)
    if label or len(data) <= 4096:
        return label
    late = _LATE_META.search(data, 0, 65536)
    return html_body_declared_encoding(data[late.start() :]) if late else None


def _utf16_by_nuls(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the sample is ASCII text with a NUL beside every byte."""
    sample = data[:2048]
    if len(sample) < 16:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.6 * half and even < 0.1 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def _decode_utf8(data: bytes, flags: list[str]) -> str | None:
    """UTF-8 text; a character cut at the very end is dropped (``truncated``); None when
    the bytes are not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            flags.append("truncated")
            return data[: exc.start].decode("utf-8", errors="replace")
        return None


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether the bytes hold well-formed multi-byte UTF-8 characters (evidence of UTF-8)."""
    return bool(re.search(rb"[\xc2-\xf4][\x80-\xbf]+", data))


def _reads_as_western(data: bytes) -> bool:
    """Whether the bytes read as Western text in windows-1252: no byte it leaves undefined,
    and its non-ASCII letters mostly beside ASCII letters, as umlauts stand in German words
    (another script read in windows-1252 gives runs of accented letters instead)."""
    sample = data[:65536]
    if _1252_GAPS.search(sample):
        return False
    text = sample.decode("cp1252")
    letters = beside = 0
    for match in _NON_ASCII_TEXT.finditer(text):
        if not match.group().isalpha():
            continue
        letters += 1
        start, end = match.start(), match.end()
        before, after = text[start - 1 : start], text[end : end + 1]
        beside += (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())
    return beside >= 0.8 * letters


def _detect(data: bytes) -> str:
    """The encoding of bytes that are not UTF-8: windows-1252 (the default for German and
    Western pages, as browsers use it) when they read as Western text, else the detector's,
    unless a Western code page is among its acceptable readings (German umlauts also read
    cleanly in cp775 or hp-roman8, which it may rank first)."""
    if _reads_as_western(data):
        return "cp1252"
    matches = list(from_bytes(data[:65536], steps=4, chunk_size=1024))
    best = _codec(matches[0].encoding) if matches else None
    if best in (None, "utf-8") or any(
        _codec(match.encoding) in _SINGLE_BYTE_WESTERN for match in matches
    ):
        return "cp1252"
    return best


def _decode_as(data: bytes, codec: str) -> str:
    if codec == "cp1252":
        return data.decode("cp1252", errors="pressarchiv-1252-gaps")
    return data.decode(codec, errors="replace")


def decode(data: bytes, content_type: str | None = None, markup: bool = True) -> Decoded:
    """Decode page (``markup``) or plain-text bytes once, in the standard order, checking the
    declaration against the bytes (``charset-mismatch`` when it was wrong)."""
    flags: list[str] = []
    bom_codec, bom = read_bom(data)
    if bom_codec:
        return Decoded(data[len(bom) :].decode(bom_codec, errors="replace"), bom_codec, "bom")
    declared, how = _codec(http_content_type_encoding(content_type or "")), "content-type"
    if declared is None and markup:
        declared, how = _codec(_meta_charset(data)), "meta"
    utf16 = _utf16_by_nuls(data)
    if utf16:
        if declared not in (None, *_UTF16):
            flags.append("charset-mismatch")
        how = how if declared in _UTF16 else "detected"
        return Decoded(data.decode(utf16, errors="replace"), utf16, how, flags)
    if declared in _UTF16:  # a UTF-16 label on bytes without UTF-16's NULs: not UTF-16
        declared = None
    if declared is None:
        text = _decode_utf8(data, flags)
        if text is not None:
            return Decoded(text, "utf-8", "detected" if _NON_ASCII.search(data) else "default",
                           flags)  # fmt: skip
        codec = _detect(data)
        return Decoded(_decode_as(data, codec), codec, "detected", flags)
    if declared == "utf-8":
        text = _decode_utf8(data, flags)
        if text is not None:
            return Decoded(text, "utf-8", how, flags)
        flags.append("charset-mismatch")
        if _has_utf8_sequences(data):  # UTF-8 with stray single bytes
            text = data.decode("utf-8", errors="pressarchiv-single-bytes")
            return Decoded(text, "utf-8", f"{how}, stray bytes read as windows-1252", flags)
        codec = _detect(data)
        return Decoded(_decode_as(data, codec), codec, "detected", flags)
    if _NON_ASCII.search(data) and _has_utf8_sequences(data):
        text = _decode_utf8(data, [])
        if text is not None:  # valid UTF-8 under a single-byte label: the label is wrong
            flags.append("charset-mismatch")
            return Decoded(text, "utf-8", "detected", flags)
    try:
        return Decoded(data.decode(declared), declared, how, flags)
    except UnicodeDecodeError:
        pass
    if declared == "cp1252":
        return Decoded(_decode_as(data, declared), declared, how, flags)
    flags.append("charset-mismatch")
    codec = _detect(data)
    return Decoded(_decode_as(data, codec), codec, "detected", flags)


def is_binary(text: str) -> bool:
    """True for decoded content that is not text: NUL characters (more than a stray few, and
    more than one in a hundred characters) or many other control characters."""
    sample = text[:65536]
    nuls = sample.count("\x00")
    if nuls > 2 and nuls * 100 > len(sample):
        return True
    sample = text[:4096]
    controls = len(_CONTROL.findall(sample))
    return controls > 8 and controls / len(sample) > 0.05


def _flatten(text: str) -> str:
    """Runs of one wrapper tag opened again and again (the same tag, 24 times or more) cut
    to one, and as many of the closing tags of that name from the runs that close them: a
    page nested deeper than the parser goes keeps its text and its own structure."""
    surplus: dict[str, int] = {}

    def collapse(match: re.Match) -> str:
        tag = match["open"] or match["close"]
        name = (match["open_name"] or match["close_name"]).lower()
        count = match.group(0).count(tag)
        if match["open"]:
            surplus[name] = surplus.get(name, 0) + count - 1
            return tag
        cut = min(count - 1, surplus.get(name, 0))
        surplus[name] = surplus.get(name, 0) - cut
        return tag * (count - cut)

    return _RUN.sub(collapse, text)


def _cap_depth(text: str) -> str:
    """The page with as many levels of container tags (``div``, ``span``, ``table``, ...)
    left out, content kept, as it is nested deeper than ``_MAX_DEPTH``: a last resort, for
    a page still too deep for the parser with its wrapper runs collapsed (text or comments
    between the tags). The levels go from the outside in (below the first ``_KEPT_OUTER``),
    so that the release's own innermost structure, which its profile reads, stays."""
    deepest = _nest(text, range(0))[1]
    return _nest(text, range(_KEPT_OUTER, _KEPT_OUTER + deepest - _MAX_DEPTH))[0]


def _nest(text: str, left_out: range) -> tuple[str, int]:
    """(the text without the container tags opened at a depth in ``left_out``, the deepest
    nesting). Depth as written, void elements aside; a closing tag closes the nearest open
    one of its name among the last few, as a parser closes what was left open."""
    stack: list[tuple[str, bool]] = []  # (tag name, left out)
    pieces: list[str] = []
    last = deepest = 0
    for tag in _TAG.finditer(text):
        closing, name = tag["closing"], tag["name"].lower()
        if name in _VOID or tag["self"]:
            continue
        drop = False
        if not closing:
            drop = len(stack) in left_out and name in _CONTAINERS
            stack.append((name, drop))
            deepest = max(deepest, len(stack))
        else:
            for depth in range(len(stack) - 1, max(len(stack) - 16, 0) - 1, -1):
                if stack[depth][0] == name:
                    drop = stack[depth][1]
                    del stack[depth:]
                    break
        if drop:
            pieces.append(text[last : tag.start()])
            last = tag.end()
    pieces.append(text[last:])
    return "".join(pieces), deepest


@dataclass
class Document:
    """A page read once: its decoded text, parsed tree, encoding and what was odd."""

    text: str
    root: etree._Element | None
    encoding_source: str
    flags: list[str] = field(default_factory=list)


def read_document(data: str | bytes, content_type: str | None = None) -> Document:
    """Decode (bytes) and parse a page. ``root`` is None for an empty, binary or unparseable
    page, with the reason in ``flags``."""
    if isinstance(data, bytes):
        decoded = decode(data, content_type)
    else:
        decoded = Decoded(data, "unicode", "given as text")
    flags = list(decoded.flags)
    text = decoded.text
    if not text or text.isspace():
        return Document(text, None, decoded.label, [*flags, "empty", "not-a-release"])
    if is_binary(text):
        return Document(text, None, decoded.label, [*flags, "binary", "not-a-release"])
    if "\x00" in text:  # a NUL would end the parser's input
        text = text.replace("\x00", "")
    text, repaired = repair_mojibake(text)
    if repaired:
        flags.append("mojibake-repaired")
    root, too_deep = parse_tree(text)
    if too_deep:  # past 256 levels: wrapper runs collapsed, then up to 2048 levels
        flags.append("deep-nesting")
        text = _flatten(text)
        root, too_deep = parse_tree(text, huge=True)
    if too_deep:  # still deeper (text between the tags): tags past _MAX_DEPTH dropped
        root, _ = parse_tree(_cap_depth(text), huge=True)
    if root is None:
        flags += ["unparseable", "not-a-release"]
    return Document(text, root, decoded.label, flags)
