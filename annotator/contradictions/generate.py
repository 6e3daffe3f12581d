"""Contradiction candidates for the whole corpus, stored as `proposed` links.

Cost. Claims are put into blocks by (entity, event): only claims that share an
entity and an event are ever compared. Inside a block, claims are sorted by
publication date (then document and sentence) and each is compared with the
next WINDOW claims (a sorted neighbourhood), so a block of n claims costs at
most n × WINDOW comparisons, not n²/2, and reports of the same event, which are
published close together, meet. Over the corpus that is O(m × WINDOW) for m
(claim, entity) memberships, plus O(m log m) for the sorts; memory is O(m).
Each claim keeps its PER_CLAIM best candidates per block and each block its
PER_BLOCK best, so the number stored grows linearly too, and a pair two entities
share is stored once, under the most specific entity (an organisation a report
can be about before anything else, then the entity with fewer claims).

Links a reviewer decided or touched (confirmed, rejected, kind changed, noted)
and links made by hand are never touched; other proposals no longer generated
are removed.
"""

import gc
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from annotator.contradictions.claims import (
    ClaimSentence,
    EntityIndex,
    entity_index,
    read_claims,
)
from annotator.contradictions.features import denials
from annotator.contradictions.pairing import NEAR_DUPLICATE, Candidate, Side, compare
from annotator.contradictions.terms import Weights
from annotator.core import maintenance
from annotator.core.store import Store, now
from annotator.core.text import counted

ORIGIN = "annotator-contradictions/1"
WINDOW = 50
PER_CLAIM = 3
# The best candidates kept per (entity, event): one prolific entity cannot flood the list.
PER_BLOCK = 12
# How many claims of its block, either side, the entity's own denial of its conduct
# is compared with (a constant: the cost stays linear).
DENIAL_REACH = 1000


@dataclass
class GenerateSummary:
    sentences: int = 0
    claims: int = 0
    blocks: int = 0
    comparisons: int = 0
    proposed: int = 0
    added: int = 0
    removed: int = 0

    def short_line(self) -> str:
        return (
            f"{counted(self.proposed, 'contradiction candidate')} "
            f"({self.added} new, {self.removed} withdrawn)"
        )


def _side(
    claim: ClaimSentence, event: str, entity: str, index: EntityIndex, weights: Weights
) -> Side:
    features = claim.features
    terms = claim.terms - claim.entity_terms.get(entity, frozenset())
    return Side(
        claim.sentence_id,
        claim.document_id,
        claim.published,
        features.events[event],
        features.actors,
        tuple(features.past),
        claim.entities[entity],
        frozenset(key for key in claim.entities if key in index.targets),
        claim.headline,
        claim.quoted,
        terms,
        claim.topic == entity,
        entity,
        frozenset(key for key in claim.entities if key in index.places),
        weights.norm(terms),
        entity in claim.speakers,
        claim.sources - {entity} if claim.sources else claim.sources,
    )


def _block_candidates(
    claims: list[ClaimSentence],
    event: str,
    entity: str,
    index: EntityIndex,
    window: int,
    per_claim: int,
    weights: Weights,
) -> tuple[list[tuple[int, int, Candidate]], int]:
    # Undated reports go last.
    claims.sort(key=lambda c: (c.published or date.max, c.document_id, c.sentence_id))
    sides = [_side(c, event, entity, index, weights) for c in claims]
    targets = index.targets
    # In the block of a place or an institution ("the U.S."), two claims that each
    # name an organisation are compared in that organisation's block when it is the
    # same one, and are about two events when it is not: only claims naming none
    # need comparing here.
    shared_block = entity not in targets
    if shared_block and all(side.targets for side in sides):
        return [], 0
    found = []
    comparisons = 0

    def compared(one: Side, two: Side) -> None:
        if one.sentence_id == two.sentence_id:
            return
        if shared_block and one.targets and two.targets:
            return
        first, second = (two, one) if one.sentence_id > two.sentence_id else (one, two)
        candidate = compare(first, second, weights)
        if candidate:
            found.append((first.sentence_id, second.sentence_id, candidate))

    for i, one in enumerate(sides):
        for two in sides[i + 1 : i + 1 + window]:
            comparisons += 1
            compared(one, two)
    if denials(event):
        # The entity's own denial of its conduct ("Roe said she never kept classified
        # files at home") does not date as a figure does: it meets every report of
        # that conduct within DENIAL_REACH of it, not only the window's nearest.
        for i, one in enumerate(sides):
            if one.event.stance != "negated" or not one.speaker:
                continue
            before = sides[max(0, i - DENIAL_REACH) : max(0, i - window)]
            after = sides[i + 1 + window : i + 1 + DENIAL_REACH]
            for two in (*before, *after):
                comparisons += 1
                compared(one, two)
    found.sort(key=lambda f: (-f[2].score, f[0], f[1]))
    kept, per_sentence = [], defaultdict(int)
    for pair in found:
        first, second, _ = pair
        if len(kept) >= PER_BLOCK:
            break
        if per_sentence[first] < per_claim or per_sentence[second] < per_claim:
            kept.append(pair)
            per_sentence[first] += 1
            per_sentence[second] += 1
    return kept, comparisons


def _without_repeats(best: dict, weights: Weights) -> dict:
    """The candidates, best first, without those that repeat a better one (_repeats).
    Each is checked only against the kept candidates of its own two claims, which
    the caps keep few."""
    kept: dict = {}
    by_sentence: dict[int, list[Candidate]] = defaultdict(list)
    for key, held in sorted(best.items(), key=lambda item: (-item[1][2].score, item[0])):
        candidate = held[2]
        nearby = by_sentence[key[0]] + by_sentence[key[1]]
        if any(_repeats(candidate, other, weights) for other in nearby):
            continue
        kept[key] = held
        by_sentence[key[0]].append(candidate)
        by_sentence[key[1]].append(candidate)
    return kept


def _repeats(candidate: Candidate, kept: Candidate, weights: Weights) -> bool:
    """The candidate is a kept one again: one claim in common, and the other two are
    one sentence repeated in one article (a quotation printed twice, a summary
    restated), so a reviewer would judge the same pair twice."""
    ours = {candidate.one.sentence_id: candidate.two, candidate.two.sentence_id: candidate.one}
    theirs = {kept.one.sentence_id: kept.two, kept.two.sentence_id: kept.one}
    for shared in ours.keys() & theirs.keys():
        mine, other = ours[shared], theirs[shared]
        if mine.document_id == other.document_id and mine.sentence_id != other.sentence_id:
            overlap = weights.cosine(mine.terms & other.terms, mine.norm, other.norm)
            if overlap >= NEAR_DUPLICATE:
                return True
    return False


def _entity_rank(key: str, targets: frozenset[str], sizes: dict[str, int]) -> tuple:
    return (0 if key in targets else 1, sizes[key], key)


def generate_candidates(
    store: Store,
    *,
    window: int = WINDOW,
    per_claim: int = PER_CLAIM,
    on_sentences: Callable[[int], None] = lambda n: None,
) -> GenerateSummary:
    # Hundreds of thousands of small objects live until the end: the cyclic
    # collector would walk them all again and again (none of them form cycles).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate(store, window, per_claim, on_sentences)
    finally:
        if collecting:
            gc.enable()


def _generate(store: Store, window: int, per_claim: int, on_sentences) -> GenerateSummary:
    owed = maintenance.begin(store, maintenance.CONTRADICTIONS)
    summary = GenerateSummary()
    index = entity_index(store)
    blocks: dict[tuple[str, str], list[ClaimSentence]] = defaultdict(list)

    def counted(n: int) -> None:
        summary.sentences = n
        on_sentences(n)

    frequencies: Counter = Counter()
    for claim in read_claims(store, index, on_sentences=counted):
        summary.claims += 1
        frequencies.update(claim.terms)
        for entity in claim.entities:
            for event in claim.features.events:
                blocks[(entity, event)].append(claim)
    summary.blocks = len(blocks)
    weights = Weights(frequencies, summary.claims)
    sizes: dict[str, int] = defaultdict(int)
    for (entity, _), claims in blocks.items():
        sizes[entity] += len(claims)

    best: dict[tuple[int, int], tuple[tuple, str, Candidate]] = {}
    for (entity, event), claims in blocks.items():
        if len(claims) < 2:
            continue
        kept, comparisons = _block_candidates(
            claims, event, entity, index, window, per_claim, weights
        )
        summary.comparisons += comparisons
        rank = _entity_rank(entity, index.targets, sizes)
        for first, second, candidate in kept:
            ordering = (rank, -candidate.score)
            held = best.get((first, second))
            if held is None or ordering < held[0]:
                best[(first, second)] = (ordering, entity, candidate)
    blocks.clear()
    best = _without_repeats(best, weights)
    summary.proposed = len(best)
    summary.added, summary.removed = _store(store, best)
    maintenance.done(store, maintenance.CONTRADICTIONS, owed)
    return summary


# Rows written per statement batch; WriteBatches decides when to commit.
_ROWS_PER_WRITE = 200
_UNDECIDED = "status = 'proposed' AND origin != 'human' AND reviewer IS NULL"
_UNDECIDED_ROW = (
    "contradictions.status = 'proposed' AND contradictions.origin != 'human' "
    "AND contradictions.reviewer IS NULL"
)


def _store(store: Store, best: dict) -> tuple[int, int]:
    """Write the candidates in short transactions; returns (added, removed).

    What is there is read first, without the lock; each write re-checks in SQL that
    the link it replaces or removes is still undecided, so a reviewer deciding a
    link meanwhile keeps the decision.
    """
    from annotator.core.batches import WriteBatches

    stamp = now()
    db = store.db
    reviewed = {
        (s1, s2)
        for s1, s2 in db.execute(
            f"SELECT sentence1_id, sentence2_id FROM contradictions WHERE NOT ({_UNDECIDED})"
        )
    }
    existing = {
        (s1, s2, key): row_id
        for row_id, key, s1, s2 in db.execute(
            "SELECT id, entity_key, sentence1_id, sentence2_id FROM contradictions "
            f"WHERE {_UNDECIDED}"
        )
    }
    wanted = {}
    for (first, second), (_, entity, candidate) in best.items():
        if (first, second) not in reviewed:
            wanted[(first, second, entity)] = candidate
    stale = [(row_id,) for key, row_id in existing.items() if key not in wanted]
    rows = [
        (
            entity,
            first,
            second,
            candidate.kind,
            candidate.score,
            json.dumps(candidate.evidence(), ensure_ascii=False, separators=(",", ":")),
            ORIGIN,
            stamp,
            first,
            second,
        )
        for (first, second, entity), candidate in wanted.items()
    ]
    with WriteBatches(store) as batches:
        for i in range(0, len(rows), _ROWS_PER_WRITE):
            with batches.write() as db:
                db.conn.executemany(
                    f"""INSERT INTO contradictions
                           (entity_key, sentence1_id, sentence2_id, kind, score, evidence,
                            origin, updated_at)
                       SELECT ?, ?, ?, ?, ?, ?, ?, ?
                       WHERE NOT EXISTS (SELECT 1 FROM contradictions
                           WHERE sentence1_id = ? AND sentence2_id = ? AND NOT ({_UNDECIDED}))
                       ON CONFLICT (entity_key, sentence1_id, sentence2_id) DO UPDATE SET
                           kind = excluded.kind, score = excluded.score,
                           evidence = excluded.evidence, origin = excluded.origin,
                           updated_at = excluded.updated_at
                       WHERE {_UNDECIDED_ROW}
                         AND (contradictions.kind != excluded.kind
                          OR contradictions.score != excluded.score
                          OR contradictions.evidence != excluded.evidence)""",
                    rows[i : i + _ROWS_PER_WRITE],
                )
        # After the inserts: SQLite gives a new row the highest id plus one, so a
        # withdrawn link's id is never reused for another pair (events name links by id).
        for i in range(0, len(stale), _ROWS_PER_WRITE):
            with batches.write() as db:
                db.conn.executemany(
                    f"DELETE FROM contradictions WHERE id = ? AND {_UNDECIDED}",
                    stale[i : i + _ROWS_PER_WRITE],
                )
    added = len([key for key in wanted if key not in existing])
    return added, len(stale)
