"""Folded words: letters and digits, split at everything else (underscores included)."""

from __future__ import annotations

import pytest

from storage.records import words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Förderung für Mädchen an der Straße – „Größe“",
            ["foerderung", "fuer", "maedchen", "an", "der", "strasse", "groesse"],
        ),  # noqa: E501
        ("snake_case __init__ a_1", ["snake", "case", "init", "a", "1"]),
        ("Café e\u0301te\u0301 3,5 Mio.", ["cafe", "ete", "3", "5", "mio"]),
    ],
)
def test_words_split_at_underscores_and_punctuation(text, expected):
    assert words(text) == expected
