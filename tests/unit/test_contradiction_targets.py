"""Which organisations a claim names: a person's name is not an organisation's
because a few of its mentions were left unlinked as one."""

from annotator.contradictions.claims import entity_index
from annotator.core.ingest import ingest
from annotator.nlp.pipeline import Pipeline


def test_a_persons_name_that_also_names_an_organisation_names_the_person(store, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "On Monday, Mr. Donald Trump said the tariffs would stay. Later Mr. Trump said "
        "the Acme Corporation would pay them.\n",
        encoding="utf-8",
    )
    ingest(store, [path], pipeline=Pipeline("rules"))
    # What a relink leaves when a few mentions of "Trump" stay unresolved and the
    # model called them an organisation.
    with store.db.conn:
        entity_id = store.db.execute(
            "INSERT INTO entities (key, name, type) VALUES ('trump', 'Trump', 'ORG')"
        ).lastrowid
        store.db.execute(
            "INSERT INTO entity_aliases (entity_id, alias, mentions) VALUES (?, 'Trump', 2)",
            [entity_id],
        )
    index = entity_index(store)
    assert "trump" in index.targets
    assert index.named_targets("Later Mr. Trump said the tariffs would stay.") == set()
    assert "acme corporation" in index.named_targets("The Acme Corporation would pay them.")
