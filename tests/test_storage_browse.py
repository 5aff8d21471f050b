from datetime import timedelta

from test_storage_helpers import T0, any_archive_fixture, archive_fixture, item  # noqa: F401

from storage.diff import word_diff
from storage.query import parse, positive_terms
from storage.snippet import hit_test, snippet


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("a b c", "a x c") == "a [-b-] {+x+} c"
    assert word_diff("a b", "a b c") == "a b {+c+}"
    long = " ".join(f"w{i}" for i in range(40))
    diff = word_diff(long + " alt", long + " neu", context=3)
    assert diff == "… w37 w38 w39 [-alt-] {+neu+}"


def test_snippet_marks_hits_and_cuts_around_them():
    text = " ".join(["Vorwort"] * 50) + " Die Integrationskonferenz in Wetzlar. " + "Ende " * 50
    cut = snippet(text, hit_test(positive_terms(parse("Integration"))), size=10)
    assert "**Integrationskonferenz**" in cut and cut.startswith("… ") and cut.endswith(" …")
    assert snippet("nichts davon", hit_test(positive_terms(parse("Integration")))) is None


def test_show_has_fields_urls_and_revisions_with_diff(archive):
    archive.store([item(1)])
    archive.store([item(1, url="https://soziales.hessen.de/presse/pressearchiv/meldung-1")])
    edited = item(1, body=item(1)["body"].replace("muss", "soll"), fetched_at=T0 + timedelta(1))
    archive.store([edited])
    release_id = next(archive.releases())["id"]
    data = archive.show(release_id)
    assert data["title"] == "Integrationskonferenz in Wetzlar Nr. 1"
    assert len(data["urls"]) == 2 and data["first_seen"] < data["last_seen"]
    first, second = data["revisions"]
    assert "diff" not in first
    assert second["diff"] == {
        "body": "… und Mädchen eine Schlüsselrolle zukomme. „Integration [-muss-] {+soll+} aktiv "
        "gestaltet werden“, betonte der Staatssekretär in der Straße."
    }
    assert archive.show("nope") is None


def test_persons_with_offices_and_counts(archive):
    archive.store(
        [
            item(1),
            item(2, persons=[{"name": "Kai Klose", "role": "Minister"}]),
            item(3, persons=[{"name": "Anna Muster", "role": None}]),
        ]
    )
    people = archive.persons()
    assert [p["name"] for p in people] == ["Kai Klose", "Anna Muster"]
    assert people[0]["releases"] == 2 and set(people[0]["roles"]) == {"Minister", "Staatssekretär"}
    assert people[0]["first"] == "2024-03-02" and people[0]["last"] == "2024-03-03"
    assert people[1]["roles"] == []
    assert [p["name"] for p in archive.persons("KLOSE")] == ["Kai Klose"]
    assert archive.persons("niemand") == []


def test_persons_follow_the_current_text(archive):
    archive.store([item(1)])
    archive.store([item(1, persons=[{"name": "Anna Muster", "role": "Ministerin"}])])
    assert [p["name"] for p in archive.persons()] == ["Anna Muster"]


def test_changes_newest_first_with_diff(any_archive):
    any_archive.store([item(1), item(2), item(3)])
    any_archive.store([item(2, title="Neuer Titel", fetched_at=T0 + timedelta(days=1))])
    any_archive.store([item(1, body="Kurz.", fetched_at=T0 + timedelta(days=2))])
    edited = any_archive.changes()
    assert [e["title"] for e in edited] == ["Integrationskonferenz in Wetzlar Nr. 1", "Neuer Titel"]
    assert edited[1]["changes"][0]["diff"]["title"].startswith("[-Integrationskonferenz")
    assert edited[0]["changes"][0] | {"diff": None} == {
        "from": 1, "to": 2, "fetched_at": (T0 + timedelta(days=2)).isoformat(), "diff": None
    }  # fmt: skip
    assert [e["title"] for e in any_archive.changes(since=(T0 + timedelta(days=2)).date())] == [
        "Integrationskonferenz in Wetzlar Nr. 1"
    ]


def test_changes_leave_out_reparses_by_a_better_normaliser(archive):
    archive.store([item(1), item(2)])
    release_id = next(r["id"] for r in archive.releases() if r["url"].endswith("meldung-1"))
    assert archive.store_reparses([(release_id, item(1, dateline=None))], note="normaliser 0.2")
    assert archive.changes() == []
    archive.store([item(2, body="Kurz.", fetched_at=T0 + timedelta(days=1))])
    assert [e["title"] for e in archive.changes()] == ["Integrationskonferenz in Wetzlar Nr. 2"]


def test_stats(any_archive):
    any_archive.store(
        [item(1), item(2, published="2024-04-01", number="3/2024", persons=[]), item(3, body="")]
    )
    data = any_archive.stats()
    assert data["releases"] == 3
    assert data["per_ministry"] == [
        {"ministry": "Hessisches Ministerium für Soziales und Integration", "releases": 3}
    ]
    assert data["per_month"] == [
        {"month": "2024-03", "releases": 2},
        {"month": "2024-04", "releases": 1},
    ]
    assert data["fields"]["number"] == {"filled": 1, "rate": 0.333}
    assert data["fields"]["body"]["filled"] == 2 and data["fields"]["persons"]["filled"] == 2
    assert data["fields"]["title"]["rate"] == 1.0


def test_stats_of_an_empty_archive(archive):
    assert archive.stats()["fields"]["title"] == {"filled": 0, "rate": 0.0}
