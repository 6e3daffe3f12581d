"""Check-worthiness and uncertainty per sentence, from a trained model.

One row per sentence (table `sentence_scores`), replaced each time a model with a
textcat or spancat scores it; `model` names the run that did. The review screen
walks sentences by these scores; `stats` checks the ranking against the labels
reviewers gave after it was made.
"""

from dataclasses import dataclass

from annotator.core.ranking import average_precision, rank
from annotator.core.store import now


@dataclass(frozen=True)
class SentenceScore:
    # the CHECKWORTHY probability, when the model has a textcat
    checkworthy: float | None
    # 1 at a coin toss, 0 when sure: the least sure of the textcat and every span scored
    uncertainty: float


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def store_scores(db, rows: list[tuple[int, SentenceScore]], model: str) -> None:
    """Call inside a write transaction."""
    stamp = now()
    db.conn.executemany(
        """INSERT INTO sentence_scores (sentence_id, checkworthy, uncertainty, model, scored_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (sentence_id) DO UPDATE SET checkworthy = excluded.checkworthy,
               uncertainty = excluded.uncertainty, model = excluded.model,
               scored_at = excluded.scored_at""",
        [
            (sentence_id, _rounded(s.checkworthy), round(s.uncertainty, 6), model, stamp)
            for sentence_id, s in rows
        ],
    )


def checkworthy_score(db, sentence_id: int) -> tuple[float | None, float | None]:
    row = db.execute(
        "SELECT checkworthy, uncertainty FROM sentence_scores WHERE sentence_id = ?",
        [sentence_id],
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def ranking_since(db) -> dict | None:
    """How the check-worthiness ranking does against sentence labels (CFS / UFS /
    NFS) given after the sentence was scored: the labels the model could not have
    learnt from. None when no sentence has a score."""
    scored = db.execute(
        "SELECT count(*) FROM sentence_scores WHERE checkworthy IS NOT NULL"
    ).fetchone()[0]
    if not scored:
        return None
    rows = db.execute(
        """SELECT sc.checkworthy, l.label = 'CFS' FROM sentence_scores sc
           JOIN sentence_labels l ON l.sentence_id = sc.sentence_id
           WHERE sc.checkworthy IS NOT NULL AND l.label IN ('CFS', 'UFS', 'NFS')
             AND l.updated_at > sc.scored_at
             AND l.updated_at = (SELECT max(updated_at) FROM sentence_labels m
                                 WHERE m.sentence_id = l.sentence_id)"""
    ).fetchall()
    ranked = rank((score, bool(cfs)) for score, cfs in rows)
    models = [r[0] for r in db.execute("SELECT DISTINCT model FROM sentence_scores ORDER BY 1")]
    ap = average_precision(ranked)
    return {
        "scored_sentences": scored,
        "labelled_since": len(rows),
        "cfs_since": sum(ranked),
        "average_precision": None if ap is None else round(ap, 4),
        # what a random order would score: the share of CFS among them
        "random_baseline": round(sum(ranked) / len(ranked), 4) if ranked else None,
        "models": models,
    }
