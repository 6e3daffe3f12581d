"""What the review screen reads: reviewed state, progress, navigation, search."""

import pytest

from annotator.core import actions, review


def _proposal_sentence(store):
    return store.db.execute(
        "SELECT sentence_id FROM spans WHERE status = 'proposed' ORDER BY sentence_id LIMIT 1"
    ).fetchone()[0]


def test_a_sentence_is_reviewed_when_no_proposal_is_pending(seeded):
    sid = _proposal_sentence(seeded)
    reviewed, total = review.progress(seeded)
    assert (reviewed, total) == (0, 38)
    assert not review.is_reviewed(seeded, sid)
    actions.accept_remaining(seeded, "ann", sid)
    assert review.is_reviewed(seeded, sid)
    assert review.progress(seeded) == (1, 38)
    assert review.next_unreviewed(seeded, sid - 1) != sid


def test_a_sentence_without_proposals_is_reviewed_once_labelled(seeded):
    bare = seeded.db.execute(
        "SELECT s.id FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id "
        "WHERE p.boilerplate = 0 AND NOT EXISTS (SELECT 1 FROM spans WHERE sentence_id = s.id)"
    ).fetchone()[0]
    assert not review.is_reviewed(seeded, bare)
    actions.label_sentence(seeded, "ann", bare, "NFS")
    assert review.is_reviewed(seeded, bare)


def test_navigation_steps_and_wraps(seeded):
    first = review.first_sentence(seeded)
    assert review.step(seeded, first, -1) is None
    assert review.step(seeded, first, 1) == first + 1
    last = seeded.db.execute("SELECT max(id) FROM sentences").fetchone()[0]
    assert review.step(seeded, last, 1) is None
    # Past the last sentence with proposals, the search starts again from the top.
    with_proposals = review.next_with_proposals(seeded, last)
    assert with_proposals is not None and with_proposals < last


def test_resume_point_is_where_the_reviewer_last_acted(seeded):
    sid = seeded.db.execute("SELECT max(sentence_id) FROM spans").fetchone()[0]
    span = seeded.db.execute("SELECT id FROM spans WHERE sentence_id = ?", [sid]).fetchone()[0]
    assert review.resume_point(seeded, "ann") == review.first_sentence(seeded)
    actions.set_span_status(seeded, "ann", span, "accepted")
    assert review.resume_point(seeded, "ann") == sid
    assert review.resume_point(seeded, "bob") == review.first_sentence(seeded)


@pytest.mark.parametrize(
    "words", ['lawmakers "', "NEAR(lawmakers", "lawmakers*", "law AND", "-", "'; DROP TABLE"]
)
def test_search_takes_any_typed_text_without_fts_syntax_errors(seeded, words):
    hits = review.search(seeded, words)
    assert all("law" in hit.text.lower() or not hit.text for hit in hits)


def test_search_finds_words_and_prefixes_in_order(seeded):
    hits = review.search(seeded, "lawmak")
    assert hits and all("lawmak" in hit.text.lower() for hit in hits)
    assert [h.sentence_id for h in hits] == sorted(h.sentence_id for h in hits)
    assert review.search(seeded, "Hikvision sanctions") != []
    assert review.search(seeded, "zzzzqqq") == []


def test_search_index_follows_new_documents(seeded):
    from annotator.core.ingest import ingest

    assert review.search(seeded, "platypus") == []
    ingest(seeded, [_write(seeded, "The platypus census counted 12 animals.")])
    assert len(review.search(seeded, "platypus")) == 1


def _write(store, text):
    from pathlib import Path

    path = Path(store.path).with_name("platypus.txt")
    path.write_text(text, encoding="utf-8")
    return path


def test_documents_filter_by_title_or_id(seeded):
    everything = review.documents(seeded)
    assert len(everything) == 2
    titled = review.documents(seeded, "Sanctions")
    assert [d.id for d in titled] == [
        d.id for d in everything if d.title and "Sanctions" in d.title
    ]
    assert [d.id for d in review.documents(seeded, str(everything[0].id))] == [everything[0].id]


def test_a_database_made_before_the_review_migration_is_searchable_after_opening(
    tmp_path, monkeypatch
):
    import sqlite_utils

    from annotator.core import maintenance
    from annotator.core.ingest import ingest
    from annotator.core.migrations import migrations
    from annotator.core.store import Store
    from tests.conftest import CORPUS

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="0003_review")
    old.close()

    # Filled as the older version would have, before the review tables existed.
    class OlderStore(Store):
        def _migrate(self) -> None:
            pass

    # Nor did it record work owed (the maintenance table came later).
    with monkeypatch.context() as older:
        older.setattr(maintenance, "mark", lambda db, *tasks: None)
        older.setattr(maintenance, "pending", lambda conn: {})
        with OlderStore(path) as store:
            ingest(store, [CORPUS])
            before = store.db.execute("SELECT count(*) FROM sentences").fetchone()[0]
    with Store(path) as store:
        assert store.db.execute("SELECT count(*) FROM sentences").fetchone()[0] == before
        assert len(review.search(store, "lawmakers")) == 2
