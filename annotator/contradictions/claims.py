"""The claims candidate generation compares: stored sentences that report an event,
with the entities they are about.

A sentence is about the entities it mentions: those its ENTITY spans are linked
to, and the organisations whose known names it contains (NER misses some:
"Hikvision, the Chinese surveillance camera maker, said"). A sentence that names
no company continues the sentence beside it: when the sentence right before or
after it in its paragraph names the document's topic, it is about the topic too
("Hikvision found itself in the crosshairs ... These fresh, tougher sanctions
would take ..."), but only beside the claims of its own document, never across
documents (pairing.py).
A document's topic is the organisation it mentions most (at least twice), never
an institution ("Council", "Department") or a place.
A sentence is a headline when its paragraph is one, or when it stands alone as
the short first paragraph of its document (the title line of a news file); it
is quoted when it holds a quotation.
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
from annotator.contradictions.terms import stem
from annotator.core.entity_names import fold, is_title, words_of
from annotator.core.store import Store

_BATCH = 500

_SENTENCES_SQL = """
SELECT se.id, se.document_id, se.text, d.published,
       p.kind = 'headline' OR (p.idx = 0 AND NOT EXISTS (
           SELECT 1 FROM sentences other WHERE other.paragraph_id = p.id AND other.id != se.id))
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
  AND +sp.label IN ('HEDGE', 'QUANTITY', 'ENTITY', 'QUOTE', 'SOURCE')
"""

# The sentences right before and after each one in its paragraph, and the entities
# they are linked to.
_BESIDE_SQL = """
SELECT se.id, nb.text, (SELECT group_concat(e.key, char(31)) FROM spans sp
                        JOIN entity_mentions m ON m.span_id = sp.id
                        JOIN entities e ON e.id = m.entity_id
                        WHERE sp.sentence_id = nb.id AND sp.status != 'rejected')
FROM sentences se
JOIN sentences nb ON nb.paragraph_id = se.paragraph_id AND nb.idx IN (se.idx - 1, se.idx + 1)
WHERE se.id IN ({ids})
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

# Who says each sentence when its source, in the sentence itself, is a pronoun
# ("..., he said"): the named speaker the attribution resolved it to.
_RESOLVED_SQL = """
SELECT a.content_sentence_id, a.resolved_to
FROM attributions a
JOIN spans sp ON sp.id = a.source_span_id
WHERE a.content_sentence_id IN ({ids}) AND sp.sentence_id = a.content_sentence_id
  AND a.resolved_to IS NOT NULL AND a.status != 'rejected'
"""

# The people named in each document, to find whom a resolved pronoun names.
_PEOPLE_SQL = """
SELECT se.document_id, e.key, substr(se.text, sp.start + 1, sp."end" - sp.start)
FROM sentences se
JOIN spans sp ON sp.sentence_id = se.id
JOIN entity_mentions m ON m.span_id = sp.id
JOIN entities e ON e.id = m.entity_id
WHERE se.document_id IN ({ids}) AND sp.status != 'rejected' AND e.type = 'PERSON'
"""


@dataclass(frozen=True, slots=True)
class ClaimSentence:
    sentence_id: int
    document_id: int
    published: date | None
    features: SentenceFeatures
    # entity key -> "mention" or "topic"
    entities: dict[str, str]
    headline: bool
    quoted: bool
    # content terms without the event's trigger words (terms.py)
    terms: frozenset[str]
    # entity key -> the terms of its names in the sentence, set aside when the
    # claim is compared in that entity's block
    entity_terms: dict[str, frozenset[str]]
    # the organisation its document is about, if any
    topic: str | None
    # the entities named as who says it ("Clinton testified that ..."): the
    # entities whose names are a SOURCE of the sentence
    speakers: frozenset[str] = frozenset()
    # the entities named anywhere in a SOURCE span of the sentence ("The FBI
    # concluded ...", "the State Department said ..."): who the claim is told by
    sources: frozenset[str] = frozenset()


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
    # keys of places
    places: frozenset[str] = frozenset()

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
_WORDS = re.compile(r"\w+")
_QUOTATION = re.compile(r"[“”]|\"|''")
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
    kinds = dict(store.db.execute("SELECT key, type FROM entities"))
    targets = {key for key, kind in kinds.items() if is_target(key, kind)}
    places = frozenset(key for key, kind in kinds.items() if kind in ("GPE", "LOC"))
    topics = _topics(store)
    names = {}
    aliases = store.db.execute(
        "SELECT e.key, e.type, a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id"
    ).fetchall()
    # A word that is also a person's name ("Trump", where a few unresolved mentions
    # made an organisation of it) would make every sentence naming the person
    # name the organisation too.
    personal = {tuple(_NAME_WORD.findall(alias)) for _, kind, alias in aliases if kind == "PERSON"}
    for key, _, alias in aliases:
        words = tuple(_NAME_WORD.findall(alias))
        # One short word ("AI", "Co") names too many things to be matched on its own.
        if (
            key in targets
            and words
            and (len(words) > 1 or (len(words[0]) > 3 and words not in personal))
        ):
            names.setdefault(words, key)
    lengths: dict[str, set[int]] = defaultdict(set)
    for words in names:
        lengths[words[0]].add(len(words))
    starts = {word: tuple(sorted(n)) for word, n in lengths.items()}
    return EntityIndex(frozenset(targets), topics, names, starts, places)


def _name_key(name: str) -> str:
    """A person's name without titles, folded: "Mrs. Clinton" -> "clinton"."""
    return " ".join(fold(w) for w in words_of(name) if not is_title(w))


def _resolved_speakers(store: Store, rows: list[tuple], ids: str) -> dict[int, frozenset[str]]:
    """The people the pronoun sources of the sentences stand for: the one person
    of the document whose name the attribution resolved the pronoun to."""
    found = list(store.db.execute(_RESOLVED_SQL.format(ids=ids)))
    if not found:
        return {}
    document_of = {row[0]: row[1] for row in rows}
    documents = ",".join(str(d) for d in {document_of[sentence_id] for sentence_id, _ in found})
    people: dict[tuple[int, str], set[str]] = defaultdict(set)
    for document_id, key, surface in store.db.execute(_PEOPLE_SQL.format(ids=documents)):
        people[(document_id, _name_key(surface))].add(key)
    resolved: dict[int, frozenset[str]] = {}
    for sentence_id, name in found:
        keys = people.get((document_of[sentence_id], _name_key(name)), set())
        if len(keys) == 1:
            resolved[sentence_id] = resolved.get(sentence_id, frozenset()) | keys
    return resolved


def _speakers(text: str, names: list[tuple], sources: list[tuple]) -> frozenset[str]:
    """Entities named as who says the sentence: a SOURCE span that ends with the
    entity's name ("Clinton", "Secretary of State Hillary Clinton"), not a group
    named after it ("Florida election officials", "Clinton's campaign")."""
    found = set()
    for start, end, key in names:
        if key is None:
            continue
        for source_start, source_end in sources:
            if source_start <= start < source_end and text[end:source_end].strip(" .,") == "":
                found.add(key)
    return frozenset(found)


def _named_sources(names: list[tuple], sources: list[tuple]) -> frozenset[str]:
    """Entities whose names lie inside a SOURCE span of the sentence."""
    if not sources:
        return _NONE  # most claims: one shared empty set, not one each
    return (
        frozenset(
            key
            for start, end, key in names
            if key is not None and any(s <= start and end <= e for s, e in sources)
        )
        or _NONE
    )


_NONE: frozenset[str] = frozenset()


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
    mentioned: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    name_spans: dict[int, list] = defaultdict(list)
    quotes: set[int] = set()
    sources: dict[int, list] = defaultdict(list)
    texts = {row[0]: row[2] for row in rows}
    beside: dict[int, set[str]] = defaultdict(set)
    for sentence_id, text, keys in store.db.execute(_BESIDE_SQL.format(ids=ids)):
        beside[sentence_id].update(keys.split("\x1f") if keys else ())
        beside[sentence_id].update(index.named_targets(text))
    resolved = _resolved_speakers(store, rows, ids)
    for sentence_id, label, start, end, attrs, key in store.db.execute(_SPANS_SQL.format(ids=ids)):
        if label == "HEDGE":
            hedges[sentence_id].append((start, end))
        elif label == "QUANTITY":
            quantities[sentence_id].append((start, end, json.loads(attrs)))
        elif label == "QUOTE":
            quotes.add(sentence_id)
        elif label == "SOURCE":
            sources[sentence_id].append((start, end))
        elif label == "ENTITY":
            name_spans[sentence_id].append((start, end, key))
            if key:
                mentioned[sentence_id][key].update(_WORDS.findall(texts[sentence_id][start:end]))
    for sentence_id, document_id, text, published, headline in rows:
        features = analyse(
            text,
            hedges=hedges[sentence_id],
            quantities=quantities[sentence_id],
            names=name_spans[sentence_id],
        )
        if not features.events:
            continue
        names = mentioned[sentence_id]
        for key in index.named_targets(text):
            names[key].update(key.split())
        speakers = _speakers(text, name_spans[sentence_id], sources[sentence_id])
        if resolved.get(sentence_id):
            speakers = speakers | resolved[sentence_id]
        for key in speakers:
            # "..., she said": the pronoun names its speaker in the sentence.
            names.setdefault(key, set())
        entities = dict.fromkeys(names, "mention")
        document_topic = topic = index.topics.get(document_id)
        if topic not in beside[sentence_id]:
            topic = None
        # Looked up key by key: `targets & entities.keys()` would copy every target.
        names_a_company = any(key in index.targets for key in entities)
        if topic and topic not in entities and not names_a_company:
            entities[topic] = "topic"
        if entities:
            triggers = {
                stem(word)
                for claim in features.events.values()
                for mark in claim.triggers
                for word in _WORDS.findall(text[mark.start : mark.end])
            }
            terms = frozenset(stem(w) for w in features.content_words) - triggers
            entity_terms = {
                key: frozenset(stem(w) for w in names.get(key, set()) | set(key.split()))
                for key in entities
            }
            yield ClaimSentence(
                sentence_id,
                document_id,
                parse_date(published),
                features,
                entities,
                bool(headline),
                sentence_id in quotes or bool(_QUOTATION.search(text)),
                terms,
                entity_terms,
                document_topic,
                speakers,
                _named_sources(name_spans[sentence_id], sources[sentence_id]),
            )
