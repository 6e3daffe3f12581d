"""Reading contradiction links: per entity (the CLI), per sentence and for the whole
corpus (the review screen). Each link comes with both claims, their documents and
the sources their sentences attribute them to, with those sources' ratings."""

import json
from collections import defaultdict

from annotator.contradictions.claims import document_topic
from annotator.core.documents import document_name
from annotator.core.entities import entity_key
from annotator.core.sources import latest_reliability, source_for_attribution
from annotator.core.store import Store
from annotator.core.vocabulary import LINK_STATUSES

_LINKS_SQL = """
SELECT c.id, c.entity_key, coalesce(e.name, c.entity_key), c.kind, c.status, c.score,
       c.evidence, c.origin, c.gold_label, c.note, c.reviewer, c.updated_at,
       s1.id, s1.document_id, s1.text, s2.id, s2.document_id, s2.text
FROM contradictions c
JOIN sentences s1 ON s1.id = c.sentence1_id
JOIN sentences s2 ON s2.id = c.sentence2_id
LEFT JOIN entities e ON e.key = c.entity_key
WHERE {where}
ORDER BY {order}
"""

_DOCUMENTS_SQL = """
SELECT d.id, o.name, d.url, d.published, d.author, d.title, d.origin
FROM documents d LEFT JOIN sources o ON o.id = d.outlet_id
WHERE d.id IN ({ids})
"""

_SOURCES_SQL = """
SELECT a.content_sentence_id, a.kind, a.reason,
       coalesce(a.resolved_to, substr(s.text, sp.start + 1, sp."end" - sp.start))
FROM attributions a
LEFT JOIN spans sp ON sp.id = a.source_span_id
LEFT JOIN sentences s ON s.id = sp.sentence_id
WHERE a.content_sentence_id IN ({ids}) AND a.status != 'rejected'
ORDER BY a.id
"""


def check_status(status: str) -> str:
    if status != "all" and status not in LINK_STATUSES:
        raise ValueError(f"status is one of {', '.join(LINK_STATUSES)} or all, not {status!r}")
    return status


def resolve_entity(store: Store, name: str) -> list[tuple[str, str]]:
    """(key, name) of every entity NAME names: its key, its name or any alias,
    case-insensitively."""
    key = entity_key(name)
    found = dict(store.db.execute("SELECT key, name FROM entities WHERE key = ?", [key]))
    found.update(
        store.db.execute(
            """SELECT DISTINCT e.key, e.name FROM entity_aliases a
               JOIN entities e ON e.id = a.entity_id
               WHERE a.alias = ? COLLATE NOCASE""",
            [" ".join(name.split())],
        )
    )
    if not found:
        # NOCASE folds ASCII only: "ÉLYSÉE" and "Élysée" meet here.
        wanted = " ".join(name.split()).casefold()
        for alias_key, entity_name, alias in store.db.execute(
            """SELECT e.key, e.name, a.alias FROM entity_aliases a
               JOIN entities e ON e.id = a.entity_id"""
        ):
            if alias.casefold() == wanted:
                found[alias_key] = entity_name
    if (
        not found
        and store.db.execute(
            "SELECT 1 FROM contradictions WHERE entity_key = ? LIMIT 1", [key]
        ).fetchone()
    ):
        # links outlive an entity the linker no longer finds
        found[key] = key
    return sorted(found.items())


def _links(store: Store, where: str, params: list, order: str) -> list[dict]:
    rows = store.db.execute(_LINKS_SQL.format(where=where, order=order), params).fetchall()
    if not rows:
        return []
    sentence_ids = {row[12] for row in rows} | {row[15] for row in rows}
    document_ids = {row[13] for row in rows} | {row[16] for row in rows}
    documents = _documents(store, document_ids)
    sources = _sources(store, sentence_ids)
    links = []
    for (link_id, key, name, kind, status, score, evidence, origin, gold, note, reviewer,
         updated, id1, doc1, text1, id2, doc2, text2) in rows:  # fmt: skip
        links.append(
            {
                "id": link_id,
                "entity": name,
                "entity_key": key,
                "kind": kind,
                "status": status,
                "score": score,
                "evidence": json.loads(evidence),
                "origin": origin,
                "claim1": _claim(id1, doc1, text1, documents, sources),
                "claim2": _claim(id2, doc2, text2, documents, sources),
                "gold_label": gold,
                "note": note,
                "reviewer": reviewer,
                "updated_at": updated,
            }
        )
    return links


def _claim(sentence_id, document_id, text, documents, sources) -> dict:
    return {
        "sentence_id": sentence_id,
        "document_id": document_id,
        "text": text,
        "document": documents[document_id],
        "sources": sources.get(sentence_id, []),
    }


def _ids(values) -> str:
    return ",".join(str(int(v)) for v in values)


def _documents(store: Store, ids) -> dict[int, dict]:
    found = {}
    for row in store.db.execute(_DOCUMENTS_SQL.format(ids=_ids(ids))):
        document = dict(
            zip(("outlet", "url", "published", "author", "title"), row[1:6], strict=True)
        )
        document["name"] = document_name(document["title"], row[6])
        found[row[0]] = document
    return found


def _sources(store: Store, sentence_ids) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = defaultdict(list)
    ratings: dict[tuple[str, str], str | None] = {}
    for sentence_id, kind, reason, name in store.db.execute(
        _SOURCES_SQL.format(ids=_ids(sentence_ids))
    ):
        reliability = None
        if name:
            rated = source_for_attribution(kind, name)
            if rated not in ratings:
                ratings[rated] = latest_reliability(store.db, *rated)
            reliability = ratings[rated]
        source = {"name": name, "kind": kind, "reason": reason, "reliability": reliability}
        # A source quoted twice in one sentence is one source of that claim.
        if source not in found[sentence_id]:
            found[sentence_id].append(source)
    return found


def _status_filter(status: str) -> tuple[str, list]:
    check_status(status)
    return ("1", []) if status == "all" else ("c.status = ?", [status])


def by_entity(store: Store, *, entity: str | None = None, status: str = "all") -> list[dict]:
    """Links grouped by entity (most links first), best-scored first in each group.
    With `entity`, only the entities that name matches; [] when it matches none."""
    where, params = _status_filter(status)
    if entity is not None:
        keys = [key for key, _ in resolve_entity(store, entity)]
        if not keys:
            return []
        where += f" AND c.entity_key IN ({','.join('?' * len(keys))})"
        params = params + keys
    links = _links(store, where, params, "c.entity_key, c.score DESC, c.id")
    groups: dict[str, dict] = {}
    for link in links:
        group = groups.get(link["entity_key"])
        if group is None:
            group = groups[link["entity_key"]] = {
                "entity": link["entity"],
                "entity_key": link["entity_key"],
                "aliases": _aliases(store, link["entity_key"]),
                "contradictions": [],
            }
        group["contradictions"].append(link)
    return sorted(groups.values(), key=lambda g: (-len(g["contradictions"]), g["entity"]))


def _aliases(store: Store, key: str) -> list[str]:
    return [
        alias
        for (alias,) in store.db.execute(
            """SELECT a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
               WHERE e.key = ? ORDER BY a.mentions DESC, a.alias""",
            [key],
        )
    ]


def for_sentence(store: Store, sentence_id: int, *, status: str = "all") -> list[dict]:
    """Links with this sentence on either side, best first."""
    where, params = _status_filter(status)
    where = f"(c.sentence1_id = ? OR c.sentence2_id = ?) AND {where}"
    return _links(store, where, [sentence_id, sentence_id, *params], "c.score DESC, c.id")


def for_entities(
    store: Store, keys: list[str], *, status: str = "all", limit: int = 200
) -> list[dict]:
    """Links about any of these entities, best first."""
    if not keys:
        return []
    where, params = _status_filter(status)
    where = f"c.entity_key IN ({','.join('?' * len(keys))}) AND {where}"
    order = f"c.score DESC, c.id LIMIT {int(limit)}"
    return _links(store, where, [*keys, *params], order)


def whole_corpus(store: Store, *, status: str = "all", limit: int = 200) -> list[dict]:
    where, params = _status_filter(status)
    return _links(store, where, params, f"c.score DESC, c.id LIMIT {int(limit)}")


def sentence_entities(store: Store, sentence_id: int) -> list[str]:
    """Keys of the entities a sentence is about: those it mentions, those its links
    are filed under, and its document's topic (as candidate generation finds it)."""
    keys = {
        key
        for (key,) in store.db.execute(
            """SELECT e.key FROM spans sp
               JOIN entity_mentions m ON m.span_id = sp.id
               JOIN entities e ON e.id = m.entity_id
               WHERE sp.sentence_id = ? AND sp.status != 'rejected'
               UNION SELECT entity_key FROM contradictions
               WHERE sentence1_id = ? OR sentence2_id = ?""",
            [sentence_id, sentence_id, sentence_id],
        )
    }
    document = store.db.execute(
        "SELECT document_id FROM sentences WHERE id = ?", [sentence_id]
    ).fetchone()
    topic = document_topic(store, document[0]) if document else None
    if topic:
        keys.add(topic)
    return sorted(keys)
