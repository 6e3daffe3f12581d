"""How a claim's stance reads negations, on sentences written for these tests: a
contraction denies ("didn't"), "not only" does not."""

from annotator.contradictions.features import analyse


def test_a_contraction_denies_the_event():
    features = analyse("Zentrix Inc. didn't face sanctions last year.")
    assert features.events["sanctions"].stance == "negated"
    features = analyse("Regulators won’t impose sanctions on Zentrix Inc.")
    assert features.events["sanctions"].stance == "negated"


def test_not_only_is_no_denial():
    features = analyse("Not only sanctions but also tariffs hit Zentrix Inc. this spring.")
    assert features.events["sanctions"].stance == "asserted"
    assert not features.events["sanctions"].near_negation


def test_a_pronoun_speaker_makes_the_claim_the_persons(tmp_path):
    """'..., she said' after a quotation of hers: the claim is about her, in her own
    voice, although her name is not in it."""
    from annotator.contradictions.claims import entity_index, read_claims
    from annotator.core.ingest import ingest
    from annotator.core.store import Store
    from annotator.nlp.pipeline import Pipeline

    path = tmp_path / "a.txt"
    path.write_text(
        "Senator Jane Roe spoke to voters in Ohio on Monday.\n\n"
        "“We will win this state,” Jane Roe said. "
        "“I never sent a single classified email from my account,” she said.\n",
        encoding="utf-8",
    )
    with Store(tmp_path / "c.db") as store:
        ingest(store, [path], pipeline=Pipeline("rules"))
        claims = {
            store.db.execute("SELECT text FROM sentences WHERE id = ?", [c.sentence_id]).fetchone()[
                0
            ]: c
            for c in read_claims(store, entity_index(store))
        }
    said = next(c for text, c in claims.items() if text.endswith("she said."))
    assert said.entities.get("jane roe") == "mention"
    assert "jane roe" in said.speakers
