"""Progress figures for `annotator stats`."""

from annotator.core.scores import ranking_since
from annotator.core.store import Store


def _count(store: Store, sql: str) -> int:
    return store.db.execute(sql).fetchone()[0]


def collect(store: Store) -> dict:
    db = store.db
    spans: dict[str, dict[str, int]] = {}
    for label, status, count in db.execute(
        "SELECT label, status, count(*) FROM spans GROUP BY label, status ORDER BY label, status"
    ):
        spans.setdefault(label, {})[status] = count
    reviewers = {
        name: {"actions": actions, "sentences_reviewed": sentences}
        for name, actions, sentences in db.execute(
            """SELECT reviewer, count(*), count(DISTINCT sentence_id)
               FROM events GROUP BY reviewer ORDER BY reviewer"""
        )
    }
    figures = {
        "documents": _count(store, "SELECT count(*) FROM documents"),
        "paragraphs": _count(store, "SELECT count(*) FROM paragraphs"),
        "sentences": _count(store, "SELECT count(*) FROM sentences"),
        "languages": dict(
            db.execute("SELECT lang, count(*) FROM documents GROUP BY lang ORDER BY lang")
        ),
        "sentence_languages": dict(
            db.execute("SELECT lang, count(*) FROM sentences GROUP BY lang ORDER BY lang")
        ),
        "boilerplate_paragraphs": _count(
            store, "SELECT count(*) FROM paragraphs WHERE boilerplate = 1"
        ),
        "sources": _count(store, "SELECT count(*) FROM sources"),
        "spans": spans,
        "reviewers": reviewers,
        "schema_version": store.schema_version,
    }
    ranking = ranking_since(db)
    if ranking is not None:
        figures["checkworthiness"] = ranking
    return figures


def render(figures: dict) -> str:
    """The figures as aligned plain text lines."""

    def mapping(values: dict) -> str:
        return ", ".join(f"{k} {v}" for k, v in values.items()) or "none"

    lines = [
        ("documents", figures["documents"]),
        ("paragraphs", figures["paragraphs"]),
        ("sentences", figures["sentences"]),
        ("languages", mapping(figures["languages"])),
        ("boilerplate paragraphs", figures["boilerplate_paragraphs"]),
        ("sources", figures["sources"]),
    ]
    if figures["spans"]:
        for label, statuses in figures["spans"].items():
            lines.append((f"spans {label}", mapping(statuses)))
    else:
        lines.append(("spans", "none yet"))
    if figures["reviewers"]:
        for name, counts in figures["reviewers"].items():
            lines.append(
                (
                    f"reviewer {name}",
                    f"{counts['sentences_reviewed']} sentences, {counts['actions']} actions",
                )
            )
    else:
        lines.append(("reviewers", "none yet"))
    ranking = figures.get("checkworthiness")
    if ranking is not None:
        ap = ranking["average_precision"]
        lines.append(
            (
                "check-worthiness ranking",
                f"{ranking['scored_sentences']} sentences scored; "
                + (
                    f"average precision {ap:.3f} on {ranking['labelled_since']} sentences "
                    f"labelled since ({ranking['cfs_since']} CFS; a random order scores "
                    f"{ranking['random_baseline']:.3f})"
                    if ap is not None
                    else f"{ranking['labelled_since']} sentences labelled since, none CFS yet"
                ),
            )
        )
    width = max(len(name) for name, _ in lines)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in lines)
