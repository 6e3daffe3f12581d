"""Linking ENTITY mentions across the corpus to canonical entities with aliases.

Mentions group by a key: case, a leading "the", a possessive and the dots of an
abbreviation do not count ("the U.S." = "US"). Then a company name merges into
the entity its distinctive word names on its own elsewhere in the corpus:
"Hangzhou Hikvision Digital Technology Company" and "Tech Hikvision" are
"Hikvision" once the words of a company's form ("Technology", "Company") are set
aside and "Hikvision" is found standing alone. Places and institutions are never
merged with each other ("the U.S.", "Washington", "the White House"): nothing in
the text says that one stands for the other, only a reader's world knowledge.
"""

import functools
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from annotator.core import maintenance
from annotator.core.store import Store
from annotator.datafiles import read_data

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


@functools.cache
def _company_words() -> frozenset[str]:
    data = read_data("annotator.nlp", "entities.json")
    return frozenset(w.rstrip(".") for w in data["company_words"])


def _words(name: str) -> list[str]:
    words = name.split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1])
    return [w for w in words if w]


def _alias(surface: str) -> str:
    """How a mention is listed among its entity's aliases: without "the" or "'s"."""
    return " ".join(_words(surface))


def entity_key(name: str) -> str:
    words = []
    for word in _words(name):
        folded = word.casefold()
        # U.S. / US, S.P. / SP: the dots of an abbreviation are spelling, not name.
        if re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]?\.?", word):
            folded = folded.replace(".", "")
        words.append(folded.rstrip("."))
    return " ".join(words)


@dataclass
class _Group:
    key: str
    surfaces: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    span_ids: list[int] = field(default_factory=list)

    def type(self) -> str:
        return _main_type(self.types)


def _main_type(types: Counter) -> str:
    """The type most mentions were given, a known one before UNKNOWN."""
    known = [(n, t) for t, n in types.items() if t != "UNKNOWN"]
    return max(known)[1] if known else "UNKNOWN"


def _merge_target(group: _Group, groups: dict[str, _Group]) -> str | None:
    words = group.key.split()
    if len(words) < 2:
        return None
    company = _company_words()
    if not any(w in company for w in words):
        return None
    distinctive = [w for w in words if w not in company]
    standing_alone = [w for w in distinctive if w in groups and w != group.key]
    if len(standing_alone) > 1:
        # "China Tech Hikvision": prefer the one named as an organisation, not a place.
        organisations = [w for w in standing_alone if groups[w].type() not in ("GPE", "LOC")]
        standing_alone = organisations if len(organisations) == 1 else []
    return standing_alone[0] if len(standing_alone) == 1 else None


def _person_target(group: _Group, groups: dict[str, _Group]) -> str | None:
    """With NER, "Biden" is the "Joe Biden" of the corpus when exactly one person ends so."""
    if " " in group.key or group.type() not in ("PERSON", "UNKNOWN"):
        return None
    longer = [
        g.key
        for g in groups.values()
        if g.type() == "PERSON" and g.key.endswith(" " + group.key) and len(g.key.split()) <= 3
    ]
    return longer[0] if len(longer) == 1 else None


def link_entities(store: Store) -> int:
    """Rebuild aliases and mentions from every ENTITY span that is not rejected.
    Returns the number of canonical entities."""
    owed = maintenance.begin(store, maintenance.ENTITY_LINKS)
    groups: dict[str, _Group] = {}
    rows = store.db.execute(
        """SELECT sp.id, substr(se.text, sp.start + 1, sp."end" - sp.start), sp.attrs
           FROM spans sp JOIN sentences se ON se.id = sp.sentence_id
           WHERE sp.label = 'ENTITY' AND sp.status != 'rejected'"""
    )
    for span_id, surface, attrs in rows:
        key = entity_key(surface)
        if not key:
            continue
        group = groups.setdefault(key, _Group(key))
        group.surfaces[_alias(surface)] += 1
        group.types[json.loads(attrs).get("type", "UNKNOWN")] += 1
        group.span_ids.append(span_id)

    target = {}
    for key, group in groups.items():
        target[key] = _merge_target(group, groups) or _person_target(group, groups) or key
    canonical: dict[str, list[_Group]] = defaultdict(list)
    for key, group in groups.items():
        canonical[target[key]].append(group)

    wanted: dict[str, tuple[str, str]] = {}
    mentions: dict[int, str] = {}
    aliases: dict[str, Counter] = {}
    for key, members in canonical.items():
        types = Counter()
        aliases[key] = Counter()
        for member in members:
            types.update(member.types)
            aliases[key].update(member.surfaces)
            mentions.update(dict.fromkeys(member.span_ids, key))
        wanted[key] = (groups[key].surfaces.most_common(1)[0][0], _main_type(types))
    _write_links(store, wanted, mentions, aliases)
    maintenance.done(store, maintenance.ENTITY_LINKS, owed)
    return len(canonical)


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
