"""Property-based tests (hypothesis): the normaliser and the search parser take any input
without an exception and within a bounded time per input (the ``deadline``).

The strategies lean on what hostile pages do: junk spliced into real saved pages, long
runs of whitespace and separators (quadratic regexes), deep nesting, stray bytes and
NULs, broken entities and URLs.
"""

from __future__ import annotations

import os
from datetime import timedelta

from conftest import saved_releases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.normalise import normalise_html, normalise_text
from storage.errors import SearchError
from storage.query import parse

FUZZ = settings(
    max_examples=int(os.environ.get("PRESSARCHIV_FUZZ_EXAMPLES", 60)),
    deadline=timedelta(seconds=3),  # per input; a quadratic run of 30,000 takes far longer
    derandomize=bool(os.environ.get("CI")),  # CI repeats the same inputs, locally they vary
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PAGES = [path.read_bytes() for path in saved_releases() if path.suffix == ".html"]

RUNS = st.builds(
    lambda char, count: char * count,
    st.sampled_from([" ", "\t", "\n", "\xa0", "-", "|", ":", ".", "–", "&nbsp;", "<br>", "0"]),
    st.sampled_from([1, 2, 40, 3_000, 30_000]),  # long runs often: they are the hostile ones
)
WORDS = st.sampled_from(["Beratung", "Ministerium", "2024", "Wiesbaden", "x"])
JUNK = st.one_of(
    st.builds(lambda a, run, b: a + run + b, WORDS, RUNS, WORDS),
    st.integers(1, 5_000).map(lambda n: "(" * n + "x" + ")" * (n % 7)),
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.sampled_from([
        "<title>", "</title>", "<h1>", "</h1>", "<div>" * 300, "</div>" * 300, "<!--", "-->",
        "<script>", "<![CDATA[", "&#xD800;", "&#99999999;", "&", "\x00", "\ufeff",
        '<meta charset="utf-16">', '<meta charset="nonsense">', '<link rel="canonical" href="http://[::1">',
        '<a href="http://x:99999/">', "<time datetime='9999-99-99'>", "Wiesbaden, 31. Februar 2024",
        "Pressemitteilung Nr. 12/2024", "<table>" * 50,
    ]),
)  # fmt: skip


@FUZZ
@given(st.sampled_from(PAGES), st.lists(st.tuples(st.floats(0, 1), JUNK), max_size=4))
def test_saved_pages_with_junk_spliced_in_never_crash(page, splices):
    text = page.decode("utf-8", errors="replace")
    for where, junk in splices:
        cut = int(where * len(text))
        text = text[:cut] + junk + text[cut:]
    record = normalise_html(text.encode("utf-8", errors="surrogatepass"), url="https://x.de/p")
    assert isinstance(record.flags, list)


@FUZZ
@given(st.binary(max_size=20_000))
def test_any_bytes_never_crash(data):
    normalise_html(data)
    normalise_text(data)


@FUZZ
@given(st.lists(JUNK, max_size=6).map("".join))
def test_any_text_never_crashes(text):
    normalise_text(text)
    for body in (f"<h1>{text}</h1><p>{text}</p>", f"<p>{text}</p>"):
        normalise_html(f"<html><head><title>{text}</title></head><body>{body}</body></html>")


@FUZZ
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(
    ["(", ")", '"', "AND", "OR", "NOT", "UND", "ODER", "NICHT", "*", "-", "Schule", " "]),
    max_size=200).map(" ".join)))  # fmt: skip
def test_the_search_parser_answers_or_refuses_in_one_line(query):
    try:
        parse(query)
    except SearchError as exc:
        assert "\n" not in str(exc)
