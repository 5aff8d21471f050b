"""Pages -> Record: read once (``source``), choose the profile, run the readers, resolve.

The cascade, each stage only where the one before gave nothing:

1. ``source``: bytes -> decoded text -> tree (encoding and how it was chosen recorded).
2. profile choice (``choose_profile``): URL host, canonical URL, CMS signature.
3. release blocks: the profile's selectors mark title, subtitle, kicker and body
   (``selector``); a page no profile knows goes to trafilatura (``trafilatura``), and to
   the home-made fallback (``generic``) only when trafilatura finds nothing.
4. structured readers: JSON-LD, meta tags, ``time`` tags, headings, the listing card.
5. the press-release layout rules over the blocks (``layout.build``): header lines, kicker,
   title, subtitle, dateline, body, contact, persons.
6. htmldate, for a date that nothing above found.
7. ``resolve``: a precedence table per field picks the winner and records its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from lxml import etree

from scraper.profiles import Profile, load_profiles, profile_for_url

from . import generic
from . import text as textmod
from .classify import CREATED, TEXT, classify
from .dates import find_dates
from .header import KIND
from .layout import Block, build
from .readers import Candidate, dates_htmldate, jsonld, listing, main_text, meta, time_tags, titles
from .record import Record
from .resolve import TOLERANCE, best, flag_title, rank, resolve_date, title_key
from .select import Matcher, css, first, matcher, parse
from .source import read_document

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2",
    "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "figure",
    "figcaption", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "pre",
    "address", "hr", "details", "summary", "form", "fieldset", "center",
})  # fmt: skip
ALWAYS_DROP = (
    "script, style, noscript, template, svg, iframe, object, button, select, input, textarea,"
    " figure, figcaption, img, picture, video, audio, [hidden], [aria-hidden=true]"
)
ROLE_ATTR = "data-pressarchiv-role"


def _spaced(text: str) -> str:
    """Source line breaks are spaces in HTML (tabs and runs are folded later)."""
    if "\n" in text or "\r" in text:
        return text.replace("\r", " ").replace("\n", " ")
    return text


# XPath strings are compiled once: ``element.xpath(string)`` compiles them on every call.
_PAGE_URLS = etree.XPath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
_MARKED = etree.XPath(f"descendant::*/@{ROLE_ATTR}/..")  # (attribute axis: faster)


@lru_cache(maxsize=1)
def _profiles() -> dict[str, Profile]:
    return load_profiles()


def choose_profile(
    url: str | None, root=None, profiles: dict[str, Profile] | None = None
) -> Profile | None:
    """The one place a page's profile is chosen: by its URL's host (also on a mirror), by
    the page's canonical URL, else by a site's own signature (``[release] signature``, a
    selector only that site's pages match). A CMS family's body selector is no signature:
    other sites run the same CMS, and their pages go to the generic readers."""
    profiles = profiles if profiles is not None else _profiles()
    if not profiles:
        return None
    found = profile_for_url(url, profiles) if url else None
    if found or root is None:
        return found
    for candidate in _PAGE_URLS(root):
        found = profile_for_url(str(candidate), profiles)
        if found:
            return found
    for profile in profiles.values():
        signature = profile.release.get("signature")
        if signature and css(root, signature):
            return profile
    return None


class _Collector:
    """Walks an element tree and cuts it into blocks at block-level elements (iteratively:
    a page may nest thousands of levels deep)."""

    def __init__(self, drop: Matcher, dropped: set, protected: set) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.role: str | None = None
        self.drop, self.dropped, self.protected = drop, dropped, protected

    def flush(self) -> None:
        if self.buffer:
            text = "".join(self.buffer)
            self.buffer = []
            if not text.isspace():
                self.blocks.append(Block(text, self.role))

    def _tail(self, element, pre: bool) -> None:
        tail = element.tail
        if tail:
            self.buffer.append(tail if pre else _spaced(tail))

    def walk(self, root) -> None:
        stack: list[tuple] = [(root, None, False, None)]
        while stack:
            element, role, pre, leaving = stack.pop()
            if leaving is not None:  # all children done
                is_block, previous = leaving
                if is_block:
                    self.flush()
                self.role = previous
                self._tail(element, pre)
                continue
            tag = element.tag
            attrs = dict(element.items()) if tag.__class__ is str else None
            if attrs is None or (
                element not in self.protected
                and ((self.dropped and element in self.dropped) or self.drop.matches(tag, attrs))
            ):  # chrome (or a comment) is skipped, but the text that follows it is kept
                self._tail(element, pre)
                continue
            own_role = attrs.get(ROLE_ATTR) or role
            is_block = tag in BLOCK_TAGS or own_role != role
            pre = pre or tag == "pre"
            if is_block:
                self.flush()
            previous, self.role = self.role, own_role
            if tag == "br":
                self.buffer.append("\n")
            text = element.text  # each read of .text / .tail builds a new string
            if text:
                self.buffer.append(text if pre else _spaced(text))
            stack.append((element, own_role, pre, (is_block, previous)))
            stack.extend((child, own_role, pre, None) for child in reversed(element))


def selector_report(html: str, profile: Profile) -> dict[str, int]:
    """How many elements each ``[release]`` selector of ``profile`` matches on a page."""
    root = parse(html)
    return {
        key: len(css(root, value)) if root is not None else 0
        for key, value in profile.release.items()
        if isinstance(value, str)
    }


def _locale(root, profile: Profile | None) -> str:
    lang = (
        root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    ).strip()
    if lang:
        return lang.lower()
    return profile.locale if profile else "de"


@dataclass
class Page:
    """A page read for the layout rules: its release blocks, locale, the readers' candidates
    and where title and body came from."""

    blocks: list[Block]
    locale: str
    root: etree._Element = field(repr=False)
    profile: Profile | None = None
    candidates: list[Candidate] = field(default_factory=list)
    body_source: str = "selector"
    title_source: str | None = None

    @cached_property
    def site_name(self) -> str | None:
        """The issuer the page's ``<title>`` names; read when asked (most releases name
        their ministry themselves, and then the title is not needed)."""
        return generic.site_name(self.root)


def read_page(
    html: str | bytes,
    rec: Record,
    url: str | None = None,
    profile: Profile | None = None,
    profiles: dict[str, Profile] | None = None,
    listing_card: dict | None = None,
    content_type: str | None = None,
) -> Page | None:
    """Decode and parse a page, choose its profile, cut its release region into blocks and
    gather the structured readers' candidates.

    ``profiles`` are the candidates for ``profile`` (default: every known one; ``{}`` reads
    the page as one of a site without a profile). Content problems go into ``rec.flags``;
    None when there is nothing to read.
    """
    doc = read_document(html, content_type)
    rec.sources["encoding"] = doc.encoding_source
    rec.flag(*doc.flags)
    root = doc.root
    if root is None:
        return None
    profile = profile or choose_profile(url, root, profiles)
    locale = _locale(root, profile)
    rules = dict(profile.release) if profile else {}
    region = first(root, rules.get("main"))
    region = region if region is not None else first(root, "body")
    region = region if region is not None else root
    matched = bool(profile) and _mark_roles(root, region, rules)
    structured = jsonld.read(root, locale) + meta.read(root, locale)
    candidates = [c for c in structured if c.field != "title"]
    candidates += listing.read(listing_card, locale)
    if matched:
        rec.profile = profile.id
        candidates += _selector_date(root, rules, locale)
        candidates += time_tags.read(region, locale)
        blocks = _region_blocks(region, tuple(rules.get("drop", ())))
        page = Page(blocks, locale, root, profile, candidates, "selector", "selector")
    else:
        if profile and len(css(root, profile.listing.get("card"))) > 1:
            rec.flag("listing-page", "not-a-release")  # the site's listing, not a release
            return None
        if profile:
            rec.flag("profile-mismatch")
        candidates += time_tags.read(root, locale)
        candidates += titles.read(root, structured)
        page = _generic_page(root, url, locale, profile, candidates)
    if any("\ufffd" in block.text for block in page.blocks):
        rec.flag("replacement-char")
    return page


def _selector_date(root, rules: dict, locale: str) -> list[Candidate]:
    from .dates import parse_date

    for value in css(root, rules.get("date")):
        found = parse_date(str(value).strip(), locale)
        if found:
            return [Candidate("published", found, "selector")]
    return []


def _region_blocks(region, drop_rules: tuple[str, ...]) -> list[Block]:
    """The region's text blocks, without what ``ALWAYS_DROP`` and ``drop_rules`` match (an
    element marked with a role, and its ancestors, are never dropped)."""
    protected = set()
    for marked in _MARKED(region):
        protected.add(marked)
        protected.update(marked.iterancestors())
    drop = matcher((ALWAYS_DROP, *drop_rules))
    collector = _Collector(drop, drop.found_by_paths(region), protected)
    collector.walk(region)
    collector.flush()
    blocks = []
    for block in collector.blocks:
        block.text = textmod.clean_text(block.text)
        if block.text:
            blocks.append(block)
    return blocks


def _generic_page(root, url, locale, profile, candidates: list[Candidate]) -> Page:
    """A page no profile reads: the title the candidates agree on, trafilatura's blocks."""
    title = best("title", candidates)
    kicker = next((c.value for c in candidates if c.field == "kicker"), None)
    if title is not None and title.source != "h1":
        kicker = None  # a kicker comes with a confirmed heading only
    blocks = [Block(textmod.clean_text(b.text)) for b in main_text.blocks(root, _safe_url(url))]
    blocks = [b for b in blocks if b.text]
    head: tuple[list[Block], list[Block]] = ([], [])
    if blocks and title is not None:
        head = _head_blocks(root, title.value, blocks)
        known = "\n".join(block.text for block in blocks)
        lead = generic.shown_lead(root, known) if not head[1] else None
        if lead and lead[:40] not in known:
            head = (head[0], [Block(lead)])  # an intro that trafilatura left out
    body_source = "trafilatura"
    if not blocks:
        region = generic.locate(root, ROLE_ATTR)
        blocks = [b for b in _region_blocks(region, generic.DROP) if b.role != "title"]
        blocks = [Block(b.text, None if b.role == "body" else b.role) for b in blocks]
        body_source = "generic"
    if title is not None:
        blocks = _with_title(blocks, title.value, kicker)
        at = next(i for i, b in enumerate(blocks) if b.role == "title")
        blocks = blocks[:at] + head[0] + blocks[at : at + 1] + head[1] + blocks[at + 1 :]
    return Page(blocks, locale, root, profile, candidates, body_source,
                title.source if title else None)  # fmt: skip


_HEAD_DROP = ("nav", "aside", "form", "[class*=share]", "[class*=social]", "[class*=breadcrumb]")
_HEAD_MAX_BLOCKS = 10
_HEAD_MAX_CHARS = 400
_SUBHEADINGS = etree.XPath("//h2 | //h3 | //h4")
_TEXT_WITH = etree.XPath(
    "//body//text()[contains(., $snippet)]"
    "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
)


def _head_blocks(root, title: str, blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """The short blocks around the title heading that trafilatura left out, up to where its
    text starts: (before the heading, after it). Before it, only dated lines and labels
    (the release's meta line) are kept; after it, those and a lead (a sentence or more)."""
    key = title_key(title)
    heading = next((h for h in titles.headings(root) if title_key(titles.text_of(h)) == key
                    or key in title_key(titles.text_of(h))), None)  # fmt: skip
    if heading is None:  # a title in a lower heading, under a rubric or a site heading
        heading = next((h for h in _SUBHEADINGS(root) if title_key(titles.text_of(h)) == key), None)
    snippet = next((line[:40] for block in blocks if title_key(block.text) != key
                    for line in block.text.split("\n")
                    if len(line) >= 20 and classify(line).label == TEXT), None)  # fmt: skip
    if heading is None or snippet is None or ("'" in snippet and '"' in snippet):
        return [], []
    start = next(iter(_TEXT_WITH(root, snippet=snippet)), None)
    if start is None:
        return [], []
    ancestors = set(heading.iterancestors())  # (the set keeps the proxies, and so identity)
    region = next((a for a in start.getparent().iterancestors() if a in ancestors), None)
    if region is None or region.tag in ("html", "body"):
        return [], []
    heading.set(ROLE_ATTR, "title")
    before: list[Block] = []
    after: list[Block] = []
    for block in _region_blocks(region, _HEAD_DROP):
        if snippet in block.text:
            break
        if block.role == "title":
            before, after = after, before  # (after is empty until here)
            continue
        after.append(Block(block.text))
    else:
        return [], []  # the text start never came: the region is not the article
    heading.attrib.pop(ROLE_ATTR, None)
    head = before + after
    if len(head) > _HEAD_MAX_BLOCKS or any(len(b.text) > _HEAD_MAX_CHARS for b in head):
        return [], []
    return [_byline(b) for b in before if _meta_line(b.text)], [
        _byline(b) for b in after if _meta_line(b.text) or _lead_shaped(b.text)
    ]


_BYLINE_MAX_WORDS = 12


def _byline(block: Block) -> Block:
    """A byline's date alone ("Von Anna Muster | 15.12.2022" -> "15.12.2022"): a short
    line with one date that is neither a header line nor furniture (an "updated" line) nor
    a sentence; a "published on" line without its author; any other block as it is."""
    text = block.text
    if len(text.split()) > _BYLINE_MAX_WORDS or text.endswith(("!", "?", ":")):
        return block
    found = find_dates(text)
    if len(found) != 1:
        return block
    start, end, _ = found[0]
    if text.endswith(".") and text[end:].strip(" .") != "":
        return block  # a sentence
    label = classify(text).label
    if label == CREATED:  # "Veröffentlicht am 15.12.2022 von Anna Muster"
        return Block(text[:end])
    return Block(text[start:end]) if label == TEXT else block


def _lead_shaped(text: str) -> bool:
    """Running text: six words or more, ending like a sentence or a quotation."""
    return text.count(" ") >= 5 and text.rstrip().endswith((".", "!", "?", "“", '"', "”", "«"))


def _meta_line(text: str) -> bool:
    """A line that may carry header material: a date, or a release label."""
    return bool(find_dates(text) or KIND.search(text[:120]))


def _safe_url(url: str | None) -> str | None:
    from scraper.profiles import url_host

    return url if url and url_host(url) else None


def _mark_roles(root, region, rules: dict) -> bool:
    """Mark the elements the profile's selectors find; False when title or body is missing."""
    title = first(region, rules.get("title"))
    title = title if title is not None else first(root, rules.get("title"))
    bodies = css(region, rules.get("body"))
    if title is None or not bodies:
        return False
    title.set(ROLE_ATTR, "title")
    for body in bodies:
        body.set(ROLE_ATTR, "body")
    for role in ("subtitle", "kicker"):
        found = first(region, rules.get(role))
        if found is not None:
            found.set(ROLE_ATTR, role)
    return True


def normalise_page(
    html: str | bytes,
    url: str | None = None,
    profile: Profile | None = None,
    listing: dict | None = None,
    profiles: dict[str, Profile] | None = None,
    content_type: str | None = None,
    fetched: date | None = None,
) -> Record:
    """A release page -> Record; ``profile`` chosen among ``profiles`` by URL or CMS
    signature when not given. ``fetched`` (default today) is the day the page was fetched:
    no later date becomes ``published``."""
    rec = Record()
    page = read_page(html, rec, url, profile, profiles, listing, content_type)
    if page is None:
        return rec

    def site_name() -> str | None:  # read only when the release names no ministry
        return page.site_name

    build(page.blocks, rec, page.locale, ministry=site_name)
    _resolve(rec, page, fetched or date.today())
    return rec


def _resolve(rec: Record, page: Page, reference: date) -> None:
    """Apply the precedence tables to what the layout rules and the readers found."""
    candidates = list(page.candidates)
    layout_source = rec.sources.pop("published", None)
    if rec.published:
        candidates.append(Candidate("published", date.fromisoformat(rec.published), layout_source))
    rec.published = None
    rec.flags[:] = [f for f in rec.flags if f not in ("no-date", "date-conflict")]
    strong = [
        c for c in candidates
        if c.field == "published" and rank("published", c.source) < rank("published", "body")
        and c.value <= reference + TOLERANCE
    ]  # fmt: skip
    if not strong:
        candidates += dates_htmldate.read(page.root, reference)
    resolve_date(rec, candidates, reference)
    if rec.title:
        flag_title(rec, page.title_source or "layout", candidates)
    elif (card := best("title", [c for c in candidates if c.source == "listing"])) is not None:
        rec.title = card.value
        flag_title(rec, "listing", candidates)
    if rec.body:
        rec.sources["body"] = page.body_source
    if rec.ministry:
        rec.sources.setdefault("ministry", "layout")
    elif page.profile is not None:
        rec.ministry = page.profile.ministry
        rec.sources["ministry"] = "profile"
    if not rec.body:  # a page without text of its own is no release (a title alone is not)
        rec.flag("not-a-release")


def page_text(html: str | bytes, url: str | None = None, profile: Profile | None = None) -> str:
    """The release as plain text, one blank line between blocks, headed by the issuer the
    page names (like a letterhead) when the release region does not name it."""
    page = read_page(html, Record(), url, profile)
    if page is None:
        return ""
    texts = [block.text for block in page.blocks]
    if page.site_name and page.site_name not in texts:
        used = build(list(page.blocks), Record(), page.locale, ministry=page.site_name).ministry
        if used == page.site_name:
            texts.insert(0, page.site_name)
    return "\n\n".join(texts)


_TITLE_WITHIN = 6  # blocks
_MAX_BEFORE_TITLE = 250  # characters of a block above the title (a kicker, a date line)


def _with_title(blocks: list[Block], title: str, kicker: str | None = None) -> list[Block]:
    """Mark the block that repeats the page title (or kicker and title) as the title, or put
    the title (and its kicker) first."""
    key = title_key(title)
    joined = title_key(f"{kicker} {title}") if kicker else None
    for i, block in enumerate(blocks[:_TITLE_WITHIN]):
        if len(block.text) > _MAX_BEFORE_TITLE:
            break  # running text: a heading below it is not the page's title
        found = title_key(block.text)
        if found == key or (joined and found == joined):
            head = [Block(kicker, "kicker")] if kicker and found == joined else []
            if kicker and found == key and i and title_key(blocks[i - 1].text) == title_key(kicker):
                blocks[i - 1].role = "kicker"
            return blocks[:i] + head + [Block(title, "title")] + blocks[i + 1 :]
    head = [Block(kicker, "kicker")] if kicker else []
    return head + [Block(title, "title"), *blocks]
