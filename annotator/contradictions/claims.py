"""The claims candidate generation compares: stored sentences that report an event,
with the entities they are about.

A sentence is about the entities its ENTITY spans are linked to, the
organisations whose known names it contains (NER misses some: "Hikvision, the
Chinese surveillance camera maker, said"), and also about its document's topic
when it names no other company: "The sanctions would be related to alleged human
rights violations" in an article about Hikvision is about Hikvision. A
document's topic is the organisation it mentions most (at least twice), never an
institution ("Council", "Department") or a place.
Boilerplate, reviewer-labelled non-claims (NFS, boilerplate) and sentences not
in English are left out.
"""

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from annotator.contradictions.features import (
    SentenceFeatures,
    analyse,
    institution_words,
    mentions_event,
)
from annotator.core.store import Store

_BATCH = 500

_SENTENCES_SQL = """
SELECT se.id, se.document_id, se.text, d.published
FROM sentences se
JOIN documents d ON d.id = se.document_id
JOIN paragraphs p ON p.id = se.paragraph_id
WHERE p.boilerplate = 0 AND se.lang = 'en'
  AND NOT EXISTS (SELECT 1 FROM sentence_labels l
                  WHERE l.sentence_id = se.id AND l.label IN ('NFS', 'boilerplate'))
ORDER BY se.id
"""

_SPANS_SQL = """
SELECT sp.sentence_id, sp.label, sp.start, sp."end", sp.attrs, e.key
FROM spans sp
LEFT JOIN entity_mentions m ON m.span_id = sp.id AND sp.label = 'ENTITY'
LEFT JOIN entities e ON e.id = m.entity_id
WHERE sp.sentence_id IN ({ids}) AND sp.status != 'rejected'
  -- `+`: never look spans up by label; with many ids the planner would, and read
  -- every HEDGE, QUANTITY and ENTITY span of the corpus for each batch.
  AND +sp.label IN ('HEDGE', 'QUANTITY', 'ENTITY')
"""

_MENTIONS_SQL = """
SELECT se.document_id, e.key, e.type, count(*)
FROM entity_mentions m
JOIN spans sp ON sp.id = m.span_id
JOIN sentences se ON se.id = sp.sentence_id
JOIN entities e ON e.id = m.entity_id
WHERE sp.status != 'rejected' AND ({where})
GROUP BY se.document_id, m.entity_id
"""


@dataclass(frozen=True, slots=True)
class ClaimSentence:
    sentence_id: int
    document_id: int
    published: date | None
    features: SentenceFeatures
    # entity key -> "mention" or "topic"
    entities: dict[str, str]


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class EntityIndex:
    # keys of organisations a report can be about (not institutions, not places)
    targets: frozenset[str]
    topics: dict[int, str]
    # the words of each target's names -> its key
    target_names: dict[tuple[str, ...], str]
    # first word of a name -> the lengths of the names it starts
    name_lengths: dict[str, tuple[int, ...]]

    def named_targets(self, text: str) -> set[str]:
        """Targets whose names the text contains as whole words, case as written."""
        words = [_POSSESSIVE.sub("", w) for w in _NAME_WORD.findall(text)]
        found = set()
        for i, word in enumerate(words):
            for length in self.name_lengths.get(word, ()):
                key = self.target_names.get(tuple(words[i : i + length]))
                if key:
                    found.add(key)
        return found


_NAME_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
_POSSESSIVE = re.compile(r"['’]s?$")


def is_target(key: str, kind: str) -> bool:
    """An organisation a report can be about: not an institution, not a place."""
    return kind == "ORG" and not institution_words() & set(key.split())


def _topics(store: Store, where: str = "1", params=()) -> dict[int, str]:
    """Each document's topic: the organisation it mentions most, at least twice and
    more often than any other."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for document_id, key, kind, n in store.db.execute(_MENTIONS_SQL.format(where=where), params):
        if is_target(key, kind):
            counts[document_id][key] += n
    topics = {}
    for document_id, counter in counts.items():
        (key, n), *rest = counter.most_common(2)
        if n >= 2 and (not rest or rest[0][1] < n):
            topics[document_id] = key
    return topics


def document_topic(store: Store, document_id: int) -> str | None:
    return _topics(store, "se.document_id = ?", [document_id]).get(document_id)


def entity_index(store: Store) -> EntityIndex:
    targets = {
        key
        for key, kind in store.db.execute("SELECT key, type FROM entities")
        if is_target(key, kind)
    }
    topics = _topics(store)
    names = {}
    for key, alias in store.db.execute(
        "SELECT e.key, a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id"
    ):
        words = tuple(_NAME_WORD.findall(alias))
        # One short word ("AI", "Co") names too many things to be matched on its own.
        if key in targets and words and (len(words) > 1 or len(words[0]) > 3):
            names.setdefault(words, key)
    lengths: dict[str, set[int]] = defaultdict(set)
    for words in names:
        lengths[words[0]].add(len(words))
    starts = {word: tuple(sorted(n)) for word, n in lengths.items()}
    return EntityIndex(frozenset(targets), topics, names, starts)


def read_claims(
    store: Store, index: EntityIndex, *, on_sentences: Callable[[int], None] = lambda n: None
) -> Iterator[ClaimSentence]:
    """Every stored sentence that reports an event, analysed, in id order."""
    batch: list[tuple] = []
    seen = 0
    for row in store.db.execute(_SENTENCES_SQL):
        seen += 1
        if mentions_event(row[2]):
            batch.append(row)
        if len(batch) >= _BATCH:
            yield from _analyse_batch(store, index, batch)
            batch = []
            on_sentences(seen)
    if batch:
        yield from _analyse_batch(store, index, batch)
    on_sentences(seen)


def _analyse_batch(store: Store, index: EntityIndex, rows: list[tuple]) -> Iterator[ClaimSentence]:
    ids = ",".join(str(row[0]) for row in rows)
    hedges: dict[int, list] = defaultdict(list)
    quantities: dict[int, list] = defaultdict(list)
    mentioned: dict[int, set] = defaultdict(set)
    for sentence_id, label, start, end, attrs, key in store.db.execute(_SPANS_SQL.format(ids=ids)):
        if label == "HEDGE":
            hedges[sentence_id].append((start, end))
        elif label == "QUANTITY":
            quantities[sentence_id].append((start, end, json.loads(attrs)))
        elif key:
            mentioned[sentence_id].add(key)
    for sentence_id, document_id, text, published in rows:
        features = analyse(text, hedges=hedges[sentence_id], quantities=quantities[sentence_id])
        if not features.events:
            continue
        entities = dict.fromkeys(mentioned[sentence_id] | index.named_targets(text), "mention")
        topic = index.topics.get(document_id)
        # Looked up key by key: `targets & entities.keys()` would copy every target.
        names_a_company = any(key in index.targets for key in entities)
        if topic and topic not in entities and not names_a_company:
            entities[topic] = "topic"
        if entities:
            yield ClaimSentence(sentence_id, document_id, parse_date(published), features, entities)
