"""Linking ENTITY mentions across the corpus to canonical entities with aliases.

Mentions group by a key: case, a leading "the", a possessive, the dots of an
abbreviation and titles ("Mrs.", "Sen.", "President") do not count ("the U.S." =
"US", "Mrs. Clinton" = "Clinton"). Then:
- a company name merges into the entity its distinctive word names on its own
  elsewhere in the corpus: "Hangzhou Hikvision Digital Technology Company" and
  "Tech Hikvision" are "Hikvision" once the words of a company's form are set aside;
- a person's surname or first name alone ("Clinton", "Hillary") is the full name of
  the same document it matches, the nearest one before it (else after it); in a
  document naming no such person, the full name the corpus gives that word when it
  is unambiguous (one full name, or one that the documents naming a full name
  resolve it to at least UNAMBIGUOUS of the time); a full name with a middle name or
  initial is the two-word name ("Hillary Rodham Clinton", "Donald J. Trump"), unless
  the corpus gives that name the middles of several people ("George W. Bush",
  "George H.W. Bush");
- a surname the model types as a place ("Kasich") is still the person's where most
  of the documents it stands in name that person; a place a person is named after
  ("Washington") mostly stands where no such person is named; a surname the model
  types as no person stands for the corpus's one full name of it, in a document
  naming no one of that name, only where most of its documents name that person;
- in a document that names a person the model types as no person ("Carly
  Fiorina" as an organisation), her surname is not the full name of another
  ("Frank Fiorina"); a name of one word twice ("Trump v. Trump") is no person's;
- an epithet, a common word before a person's name ("Crooked Hillary"), is an
  alias of that person, never the canonical name;
- a single capitalised word the corpus mostly writes in lower case ("State" of
  "secretary of state") is a common noun, not an entity;
- a name listed before a plural place noun ("Beaufort, Moore and Cumberland
  counties") is the place (Moore County), not a person of that name;
- an acronym written in capitals is the one longer name of the corpus whose
  initials it is ("FBI", "Federal Bureau of Investigation"); a name with an
  acronym after its first word ("Hillary PAC") is no person's.
The canonical name is the most common spelling of the full name; the type is the
majority of the evidence over all mentions (the model's labels, titles, "X said"),
PERSON for an entity whose canonical name is a person's full name. Otherwise places
and institutions are never merged with each other ("the U.S.", "Washington", "the
White House"): nothing in the text says that one stands for the other.
A reviewer's merges, splits and renames (entity_decisions) are applied last.
"""

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from annotator.core import maintenance
from annotator.core.entity_names import (
    ReadName,
    company_words,
    fold,
    name_key,
    read_name,
    words_of,
)
from annotator.core.store import Store

# The share of documents that must resolve a surname to one person for the
# corpus to use that person where a document names no one of that surname.
UNAMBIGUOUS = 0.8
# The share of the documents of a word the model types as no person that must name
# a person with that word for it to be that person's name there ("Kasich").
NAMED_SHARE = 0.5
# ... counted over at least this many documents.
NAMED_DOCUMENTS = 3
# A word capitalised more than this many times for each lower-case writing is a name
# ("Hillary"), not a word of the language ("crooked" of "Crooked Hillary").
COMMON_SHARE = 20
# Characters of the sentence read on each side of a mention.
_BEFORE = 30
_AFTER = 80
_WORD = re.compile(r"(?<![\w’'-])[A-Za-z][a-z’'-]*")
# The words a person's name is made of, folded: letters, inner dots, apostrophes, hyphens.
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[.’'-](?=[^\W\d_]))*\.?")
_NOT_PERSON_TYPES = ("GPE", "LOC", "FAC")
# Capitals that do end a person's name ("Martin Luther King III").
_NUMERALS = re.compile(r"[IVXLC]+|JR|SR")


def _alias(surface: str) -> str:
    """How a mention is listed among its entity's aliases: without "the" or "'s"."""
    return " ".join(words_of(surface))


def entity_key(name: str) -> str:
    return " ".join(fold(w) for w in words_of(name))


@dataclass
class _Group:
    key: str
    surfaces: Counter = field(default_factory=Counter)
    # the names without titles, for the canonical name
    names: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    span_ids: list[int] = field(default_factory=list)
    documents: set = field(default_factory=set)
    place: str | None = None

    def type(self) -> str:
        return _main_type(self.types)


@dataclass(slots=True)
class _Mention:
    span_id: int
    document_id: int
    key: str
    alias: str
    # the name without titles
    name: str
    votes: Counter


def _main_type(types: Counter) -> str:
    """The type with most evidence, a known one before UNKNOWN."""
    known = [(n, t) for t, n in types.items() if t != "UNKNOWN"]
    return max(known)[1] if known else "UNKNOWN"


# Words a name's initials skip ("Federal Bureau of Investigation" is FBI).
_UNINITIALLED = frozenset({"of", "the", "for", "and", "on", "in", "at", "to", "&"})
_ACRONYM = re.compile(r"(?:[A-Z]\.){1,5}[A-Z]\.?|[A-Z]{2,6}")
# An acronym as no one's initials are written ("H.W." and "HW" are a middle
# name's).
_CAPITALS = re.compile(r"[A-Z]{3,6}")


def _initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w not in _UNINITIALLED)


def _acronyms(groups: dict[str, _Group], people: set[str]) -> dict[str, str]:
    """Acronym key -> the key of the one longer name of the corpus whose initials it
    is ("FBI" / "Federal Bureau of Investigation") and that a document names beside
    it, as a report spells out an acronym once. Two names with those initials
    ("Democratic National Committee", "Democratic National Convention") leave the
    acronym alone, and so does a name never beside it ("ISIS" and the "Institute
    for Science and International Security" of another article)."""
    longer: dict[str, list[str]] = defaultdict(list)
    for key, group in groups.items():
        initials = _initials(key)
        # "U.S. Senate" spells out no "U.S.": the acronym is one of its words.
        if (
            len(key.split()) >= 2
            and group.place is None
            and key not in people
            and initials not in key.split()
        ):
            longer[initials].append(key)
    found = {}
    for key, group in groups.items():
        if " " in key or group.place is not None or len(longer.get(key, ())) != 1:
            continue
        if not group.documents & groups[longer[key][0]].documents:
            continue
        written = sum(n for alias, n in group.surfaces.items() if _ACRONYM.fullmatch(alias))
        if written * 2 > group.surfaces.total():
            found[key] = longer[key][0]
    return found


def _merge_target(group: _Group, groups: dict[str, _Group]) -> str | None:
    words = group.key.split()
    if len(words) < 2:
        return None
    company = company_words()
    if not any(w in company for w in words):
        return None
    distinctive = [w for w in words if w not in company]
    standing_alone = [w for w in distinctive if w in groups and w != group.key]
    if len(standing_alone) > 1:
        # "China Tech Hikvision": prefer the one named as an organisation, not a place.
        organisations = [w for w in standing_alone if groups[w].type() not in ("GPE", "LOC")]
        standing_alone = organisations if len(organisations) == 1 else []
    return standing_alone[0] if len(standing_alone) == 1 else None


_MENTIONS_SQL = """
SELECT sp.id, se.document_id, se.text, sp.start, sp."end", sp.attrs
FROM spans sp JOIN sentences se ON se.id = sp.sentence_id
JOIN paragraphs p ON p.id = se.paragraph_id
WHERE sp.label = 'ENTITY' AND sp.status != 'rejected'
  -- a machine's proposals in boilerplate are not the report's; a reviewer's are
  AND (p.boilerplate = 0 OR sp.origin = 'human' OR sp.status = 'accepted')
ORDER BY se.document_id, se.idx, sp.start
"""


def _read_mentions(store: Store) -> tuple[dict[str, _Group], list[_Mention]]:
    groups: dict[str, _Group] = {}
    mentions = []
    for span_id, document_id, text, start, end, attrs in store.db.execute(_MENTIONS_SQL):
        surface = text[start:end]
        read: ReadName = read_name(
            surface, text[max(0, start - _BEFORE) : start], text[end : end + _AFTER]
        )
        key = name_key(read.words)
        if not key:
            continue
        if read.place:
            key = f"{key} {read.place}"
        group = groups.setdefault(key, _Group(key))
        group.surfaces[_alias(surface)] += 1
        group.names[" ".join(read.words)] += 1
        group.span_ids.append(span_id)
        group.documents.add(document_id)
        kind = json.loads(attrs).get("type", "UNKNOWN")
        votes = Counter({kind: 1})
        if read.place is not None:
            # "Moore County" is a group of its own; an item of a list of "states" is
            # a place by its own name.
            group.place = read.place or group.place
            votes["GPE"] += 3
        elif read.titled:
            votes["PERSON"] += 2
        elif read.said:
            votes["PERSON"] += 0.5
        group.types.update(votes)
        mentions.append(
            _Mention(span_id, document_id, key, _alias(surface), " ".join(read.words), votes)
        )
    return groups, mentions


@dataclass
class _Casing:
    """How often the corpus writes a word in lower case and capitalised."""

    lower: Counter
    upper: Counter

    def common(self, word: str) -> bool:
        """A word of the language rather than a name: written in lower case at least
        twice and at least once for every COMMON_SHARE capitalised writings."""
        return self.lower[word] >= 2 and self.lower[word] * COMMON_SHARE >= self.upper[word]


def _casing(store: Store, wanted: set[str]) -> _Casing:
    lower: Counter = Counter()
    upper: Counter = Counter()
    for (text,) in store.db.execute("SELECT text FROM documents"):
        for word in _WORD.findall(text):
            folded = word.lower()
            if folded in wanted:
                (lower if word[0].islower() else upper)[folded] += 1
    return _Casing(lower, upper)


@dataclass
class _People:
    # full name key -> the key of the name it is a variant of (itself, mostly)
    full: dict[str, str]
    # a single word -> full names (canonical keys) it is the last / first word of
    by_word: dict[str, set[str]]
    # epithet key -> the name its remaining words are
    epithets: dict[str, str]
    # single words the model types as anything but a person that are also a
    # person's surname or first name: word -> the share of the documents the word
    # stands in that name such a person (_shares_naming_people)
    shares: dict[str, float] = field(default_factory=dict)
    # names shaped like a person's, neither word of them a word of the language,
    # that the model types as no person ("Carly Fiorina" as an organisation)
    mistyped: frozenset[str] = frozenset()


def _is_person_name(group: _Group, groups: dict[str, _Group], casing: _Casing) -> bool:
    """A full name: a few name words, the last of them no word of the language
    ("Clinton Plan" of a headline is no one's name). Without a model's types, a
    name whose last word is a person's elsewhere ("Mrs. Clinton", "Clinton said")."""
    kind = group.type()
    surname = groups.get(group.key.split()[-1])
    return _shaped_like_a_name(group, casing) and (
        kind == "PERSON" or (kind == "UNKNOWN" and surname and surname.type() == "PERSON")
    )


def _spelled(group: _Group) -> list[str]:
    """The words of the group's most common spelling, titles left out."""
    return group.names.most_common(1)[0][0].split() if group.names else []


def _shaped_like_a_name(group: _Group, casing: _Casing) -> bool:
    """Two to four name words, the last of them no word of the language, whatever
    the model typed them."""
    words = group.key.split()
    spelled = _spelled(group)
    return (
        2 <= len(words) <= 4
        # "Hillary PAC", "To Rise USA": an acronym is no part of a person's name
        # (a name written all in capitals, "TED CRUZ:" of a transcript, is a name)
        and (
            not spelled
            or spelled[0].isupper()
            or not any(_CAPITALS.fullmatch(w) and not _NUMERALS.fullmatch(w) for w in spelled[1:])
        )
        and group.place is None
        and all(_NAME_WORD.fullmatch(w) for w in words)
        # "Trump v. Trump" is a case or a book
        and words[0] != words[-1]
        and not casing.common(words[-1])
        and not company_words() & set(words)
    )


def _people(groups: dict[str, _Group], casing: _Casing) -> _People:
    full = {key: key for key, group in groups.items() if _is_person_name(group, groups, casing)}
    # "Hillary Rodham Clinton", "Donald J. Trump": the two-word name with the same ends,
    # unless the corpus gives that name middles of different people ("George W. Bush",
    # "George H.W. Bush", "George P. Bush"): then the two-word name is ambiguous.
    middles: dict[str, set[str]] = defaultdict(set)
    for key in full:
        words = key.split()
        if len(words) > 2:
            middles[f"{words[0]} {words[-1]}"].add(" ".join(words[1:-1]))
    for key in full:
        words = key.split()
        short = f"{words[0]} {words[-1]}"
        if len(words) > 2 and short in full and _one_middle(middles[short]):
            full[key] = short
    names = {word for key in full for word in key.split()}
    # A given name starts several full names ("Bill Clinton", "Bill de Blasio"); a
    # word before a name that starts no other ("Crooked Hillary") is an epithet.
    given = Counter(key.split()[0] for key in full if " ".join(key.split()[1:]) not in full)
    epithets = {}
    for key, group in groups.items():
        words = key.split()
        rest = " ".join(words[1:])
        if len(words) < 2 or group.place is not None:
            continue
        if casing.common(words[0]) and given[words[0]] < 2 and (rest in full or rest in names):
            epithets[key] = rest
        elif len(words) > 2 and rest in full and len(groups[rest].span_ids) > len(group.span_ids):
            # "Republican Donald Trump": a word before a better known full name.
            epithets[key] = rest
    for key in epithets:
        full.pop(key, None)
    by_word: dict[str, set[str]] = defaultdict(set)
    for key, canonical in full.items():
        words = key.split()
        by_word[words[-1]].add(canonical)
        by_word[words[0]].add(canonical)
    mistyped = frozenset(
        key
        for key, group in groups.items()
        if key not in full
        and key not in epithets
        and not casing.common(key.split()[0])
        # a name written once ("Donand Trump", a headline's run of names) is no
        # evidence against the person most of its documents name
        and len(group.span_ids) >= 2
        and group.type() not in ("PERSON", "UNKNOWN")
        and _shaped_like_a_name(group, casing)
        and all(w[:1].isupper() for w in _spelled(group))
    )
    shares = _shares_naming_people(groups, full, by_word)
    return _People(full, by_word, epithets, shares, mistyped)


def _shares_naming_people(groups, full, by_word) -> dict[str, float]:
    """For single words the model types as anything but a person, the share of
    their documents that name a person with that word. The model's type is
    overruled where that share is high: "Kasich", a place to the model most of
    the time, stands in documents that name John Kasich. A place a person is also
    named after ("Washington", "Paris") stands in many documents that name no such
    person, and so does an organisation ("Fiorina" typed ORG, whom the corpus's
    one full name of Frank Fiorina does not make him)."""
    documents: dict[str, set] = defaultdict(set)
    for key, canonical in full.items():
        documents[canonical] |= groups[key].documents
    shares = {}
    for word, people in by_word.items():
        group = groups.get(word)
        if group is None or group.place is not None or group.type() in ("PERSON", "UNKNOWN"):
            continue
        naming = set().union(*(documents[person] for person in people))
        if len(group.documents) < NAMED_DOCUMENTS:
            # Too few documents to overrule the model ("Kerry Washington flew to
            # Washington" in one article).
            shares[word] = 0.0
        else:
            shares[word] = len(group.documents & naming) / len(group.documents)
    return shares


def _one_middle(middles: set[str]) -> bool:
    """The middles can be one person's: each is words of the longest, or their
    initials ("Rodham" and "Diane Rodham", "D." and "Delano"; not "W." and "H.W.")."""
    longest = max(middles, key=lambda m: (len(m.split()), len(m), m)).split()
    return all(
        all(any(w == x or (len(w) == 1 and x.startswith(w)) for x in longest) for w in m.split())
        for m in middles
    )


def _single_word_can_be_person(group: _Group) -> bool:
    return group.place is None and group.type() not in _NOT_PERSON_TYPES


def _resolve_people(
    groups: dict[str, _Group], mentions: list[_Mention], people: _People
) -> dict[int, str]:
    """Span id -> the full name a surname, first name or epithet stands for."""
    resolved: dict[int, str] = {}
    unresolved: list[tuple[_Mention, str]] = []
    per_document: dict[str, Counter] = defaultdict(Counter)
    k = 0
    while k < len(mentions):
        document_id = mentions[k].document_id
        end = k
        while end < len(mentions) and mentions[end].document_id == document_id:
            end += 1
        in_document = mentions[k:end]
        named = [(i, people.full[m.key]) for i, m in enumerate(in_document) if m.key in people.full]
        # A person's name the model types as no person's ("Carly Fiorina" as an
        # organisation) makes its surname ambiguous in the document: her husband's
        # full name, named once, is not who "Fiorina" is.
        other_ends = {m.key.rsplit(" ", 1)[1] for m in in_document if m.key in people.mistyped}
        seen: dict[str, Counter] = defaultdict(Counter)
        for i, mention in enumerate(in_document):
            key = people.epithets.get(mention.key, mention.key)
            if key in people.full:
                resolved[mention.span_id] = people.full[key]
                continue
            if " " in key or not (
                _single_word_can_be_person(groups[mention.key])
                or people.shares.get(key, 0) >= NAMED_SHARE
            ):
                continue
            if key in other_ends:
                continue
            matching = [(j, full) for j, full in named if full in people.by_word.get(key, ())]
            if not matching:
                unresolved.append((mention, key))
                continue
            target = _in_document(matching, i)
            resolved[mention.span_id] = target
            seen[key][target] += 1
        for word, targets in seen.items():
            per_document[word][targets.most_common(1)[0][0]] += 1
        k = end
    for mention, key in unresolved:
        # In a document that names no one with the word, a word the model types
        # as no person is one only where most of its documents name that person,
        # a place only where nearly all of them do.
        share = people.shares.get(key)
        # (`key` may be an epithet's remaining word, no group of its own)
        place = key in groups and groups[key].type() in _NOT_PERSON_TYPES
        if share is not None and share < (UNAMBIGUOUS if place else NAMED_SHARE):
            continue
        target = _corpus_person(key, people, per_document.get(key))
        if target:
            resolved[mention.span_id] = target
    return resolved


def _in_document(matching: list[tuple[int, str]], i: int) -> str:
    """Of the full names a document gives a surname, the one it names most (a report
    calls its main person by the surname); on a tie the nearest before the mention,
    else the first after it."""
    counts = Counter(full for _, full in matching)
    (top, n), *rest = counts.most_common(2)
    if not rest or rest[0][1] < n:
        return top
    tied = {full for full, m in counts.items() if m == n}
    before = [full for j, full in matching if j < i and full in tied]
    return before[-1] if before else next(full for _, full in matching if full in tied)


def _corpus_person(word: str, people: _People, documents: Counter | None) -> str | None:
    candidates = people.by_word.get(word, set())
    if len(candidates) == 1:
        return next(iter(candidates))
    if documents:
        (target, n), total = documents.most_common(1)[0], sum(documents.values())
        if n / total >= UNAMBIGUOUS:
            return target
    return None


def link_entities(store: Store) -> int:
    """Rebuild aliases and mentions from every ENTITY span that is not rejected.
    Returns the number of canonical entities."""
    owed = maintenance.begin(store, maintenance.ENTITY_LINKS)
    groups, mentions = _read_mentions(store)
    casing = _casing(store, {word for key in groups for word in key.split()})
    common = {
        key
        for key, group in groups.items()
        if " " not in key
        and group.type() != "PERSON"
        and casing.lower[key] >= max(3, len(group.span_ids))
    }
    people = _people(groups, casing)
    people_of = _resolve_people(groups, mentions, people)
    group_target = {key: _merge_target(group, groups) or key for key, group in groups.items()}
    acronyms = _acronyms(groups, set(people.full) | people.mistyped)
    decisions = _decisions(store)

    canonical_of: dict[int, str] = {}
    for mention in mentions:
        if mention.key in common and mention.span_id not in people_of:
            continue
        target = people_of.get(mention.span_id) or group_target[mention.key]
        if mention.key in acronyms and _ACRONYM.fullmatch(mention.alias):
            # "US" is the United States; "Us" of "By Us for Us" is not.
            target = acronyms[mention.key]
        canonical_of[mention.span_id] = _decided(decisions, mention.key, target)
    wanted, aliases = _entities(groups, mentions, canonical_of, people, decisions)
    _write_links(store, wanted, canonical_of, aliases)
    maintenance.done(store, maintenance.ENTITY_LINKS, owed)
    return len(wanted)


def _decisions(store: Store) -> dict[str, tuple[str | None, str | None]]:
    """A reviewer's decisions: key -> (the key it is merged into, the name it is given)."""
    return {
        key: (merge_into, name)
        for key, merge_into, name in store.db.execute(
            "SELECT key, merge_into, name FROM entity_decisions"
        )
    }


# Merges followed one after another at most this many times (A into B, B into C).
_CHAIN = 10


def _decided(decisions: dict, key: str, target: str) -> str:
    """Where a reviewer's decisions send a mention of group `key` that the rules
    link to `target`: its own name's decision first (a split), then the entity's."""
    own = decisions.get(key, (None, None))[0]
    if own is not None:
        target = own
    for _ in range(_CHAIN):
        onward = decisions.get(target, (None, None))[0]
        if onward is None or onward == target:
            break
        target = onward
    return target


def _entities(groups, mentions, canonical_of, people, decisions):
    """(key -> (name, type), key -> alias counts) for the entities the mentions link to."""
    types: dict[str, Counter] = defaultdict(Counter)
    aliases: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, Counter] = defaultdict(Counter)
    for mention in mentions:
        target = canonical_of.get(mention.span_id)
        if target is None:
            continue
        types[target].update(mention.votes)
        aliases[target][mention.alias] += 1
        # The canonical name is a plain name of the target itself: never an epithet,
        # never a surname alone when the full name is known.
        key = mention.key
        if key not in people.epithets and people.full.get(key, key) == target:
            names[target][mention.name] += 1
    wanted = {}
    for target, counted in aliases.items():
        chosen = names[target] or counted
        name = decisions.get(target, (None, None))[1] or chosen.most_common(1)[0][0]
        place = groups[target].place if target in groups else None
        if place and not name.casefold().endswith(place):
            name = f"{name} {place.title()}"
        kind = "PERSON" if target in people.full.values() else _main_type(types[target])
        wanted[target] = (name, kind)
    return wanted, dict(aliases)


# Rows per write block; WriteBatches commits every few tens of milliseconds.
_ROWS_PER_WRITE = 500


def _chunks(rows: list, size: int = _ROWS_PER_WRITE):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _write_links(
    store: Store,
    wanted: dict[str, tuple[str, str]],
    mentions: dict[int, str],
    aliases: dict[str, Counter],
) -> None:
    """Make the tables say what `link_entities` found, writing only what differs and
    in short transactions, so that a reviewer's key never waits for a relink of the
    whole corpus. Between two transactions a reader may see some links moved and
    others not yet: they are rebuilt from the spans, never a decision."""
    from annotator.core.batches import WriteBatches

    db = store.db
    held = {
        key: (name, kind) for key, name, kind in db.execute("SELECT key, name, type FROM entities")
    }
    with WriteBatches(store) as batches:
        changed = [(key, *named) for key, named in wanted.items() if held.get(key) != named]
        for chunk in _chunks(changed):
            with batches.write() as db:
                db.conn.executemany(
                    """INSERT INTO entities (key, name, type) VALUES (?, ?, ?)
                       ON CONFLICT (key) DO UPDATE SET name = excluded.name,
                           type = excluded.type""",
                    chunk,
                )
        # Reads with the lock free: a batch is held only while writing.
        batches.commit()
        ids = dict(db.execute("SELECT key, id FROM entities"))
        linked = dict(db.execute("SELECT span_id, entity_id FROM entity_mentions"))
        unlinked = [(span_id,) for span_id in linked if span_id not in mentions]
        for chunk in _chunks(unlinked):
            with batches.write() as db:
                db.conn.executemany("DELETE FROM entity_mentions WHERE span_id = ?", chunk)
        # A relink running at the same time (an ingest beside a propose) may have
        # removed an entity since: its mentions wait for the next relink.
        relinked = [
            (span_id, ids[key], span_id, ids[key])
            for span_id, key in mentions.items()
            if key in ids and linked.get(span_id) != ids[key]
        ]
        for chunk in _chunks(relinked):
            with batches.write() as db:
                # The span or entity may have been deleted since it was read.
                db.conn.executemany(
                    """INSERT INTO entity_mentions (span_id, entity_id)
                       SELECT ?, ? WHERE EXISTS (SELECT 1 FROM spans WHERE id = ?)
                           AND EXISTS (SELECT 1 FROM entities WHERE id = ?)
                       ON CONFLICT (span_id) DO UPDATE SET entity_id = excluded.entity_id""",
                    chunk,
                )
        batches.commit()
        counted: dict[int, dict[str, int]] = defaultdict(dict)
        for entity_id, alias, n in db.execute(
            "SELECT entity_id, alias, mentions FROM entity_aliases"
        ):
            counted[entity_id][alias] = n
        recount = [
            key
            for key, found in aliases.items()
            if key in ids and counted.get(ids[key]) != dict(found)
        ]
        for chunk in _chunks(recount, 50):
            with batches.write() as db:
                for key in chunk:
                    db.execute("DELETE FROM entity_aliases WHERE entity_id = ?", [ids[key]])
                    db.conn.executemany(
                        """INSERT INTO entity_aliases (entity_id, alias, mentions)
                           SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM entities WHERE id = ?)""",
                        [(ids[key], alias, n, ids[key]) for alias, n in aliases[key].items()],
                    )
        gone = [(entity_id,) for key, entity_id in ids.items() if key not in wanted]
        for chunk in _chunks(gone):
            with batches.write() as db:
                db.conn.executemany("DELETE FROM entities WHERE id = ?", chunk)


def list_entities(store: Store) -> list[dict]:
    """Canonical entities, most mentioned first, with aliases and counts."""
    entities = []
    for entity_id, name, kind in store.db.execute("SELECT id, name, type FROM entities"):
        aliases = store.db.execute(
            """SELECT alias, mentions FROM entity_aliases WHERE entity_id = ?
               ORDER BY mentions DESC, alias""",
            [entity_id],
        ).fetchall()
        documents = store.db.execute(
            """SELECT count(DISTINCT se.document_id) FROM entity_mentions m
               JOIN spans sp ON sp.id = m.span_id JOIN sentences se ON se.id = sp.sentence_id
               WHERE m.entity_id = ?""",
            [entity_id],
        ).fetchone()[0]
        entities.append(
            {
                "id": entity_id,
                "name": name,
                "type": kind,
                "aliases": [alias for alias, _ in aliases],
                "mentions": sum(n for _, n in aliases),
                "documents": documents,
            }
        )
    return sorted(entities, key=lambda e: (-e["mentions"], e["name"].casefold()))


def mention_entity(db, key: str, surface: str, kind: str) -> tuple[int, bool]:
    """The id of the entity with this key, created (named after `surface`) when
    missing; and whether it was created. For restoring links a file names."""
    row = db.execute("SELECT id FROM entities WHERE key = ?", [key]).fetchone()
    if row:
        return row[0], False
    cursor = db.execute(
        "INSERT INTO entities (key, name, type) VALUES (?, ?, ?)",
        [key, _alias(surface) or surface, kind],
    )
    return cursor.lastrowid, True


def refresh_aliases(store: Store, entity_ids, *, rename: set[int] = frozenset()) -> None:
    """Recount the aliases of these entities from their mentions; entities in
    `rename` take the name `link_entities` would give them (their head group's most
    common spelling). One entity per write block, in short batches (batches.py)."""
    from annotator.core.batches import WriteBatches

    with WriteBatches(store) as batches:
        for entity_id in entity_ids:
            with batches.write() as db:
                _refresh_entity(db, entity_id, entity_id in rename)


def _refresh_entity(db, entity_id: int, rename: bool) -> None:
    key = db.execute("SELECT key FROM entities WHERE id = ?", [entity_id]).fetchone()[0]
    aliases: Counter = Counter()
    head: Counter = Counter()
    for (surface,) in db.execute(
        """SELECT substr(se.text, sp.start + 1, sp."end" - sp.start)
           FROM entity_mentions m JOIN spans sp ON sp.id = m.span_id
           JOIN sentences se ON se.id = sp.sentence_id WHERE m.entity_id = ?""",
        [entity_id],
    ):
        alias = _alias(surface)
        aliases[alias] += 1
        if entity_key(surface) == key:
            head[alias] += 1
    db.execute("DELETE FROM entity_aliases WHERE entity_id = ?", [entity_id])
    db.conn.executemany(
        "INSERT INTO entity_aliases (entity_id, alias, mentions) VALUES (?, ?, ?)",
        [(entity_id, alias, n) for alias, n in aliases.items()],
    )
    if rename and (head or aliases):
        name = (head or aliases).most_common(1)[0][0]
        db.execute("UPDATE entities SET name = ? WHERE id = ?", [name, entity_id])
