"""Which sentences and spans an export takes: `--reviewed-only`, `--label`, `--since`."""

from dataclasses import dataclass
from datetime import UTC, datetime

from annotator.core.errors import RefusedInput
from annotator.core.reviewed import REVIEWED_SQL


def parse_since(value: str) -> str:
    """A date or date-time as the ISO 8601 UTC text `updated_at` columns compare with."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RefusedInput(f"--since {value!r}: not a date (YYYY-MM-DD[THH:MM[:SS]])") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        # 0001-01-01 at +14:00 is a moment before year 1 in UTC, which datetime cannot hold.
        raise RefusedInput(
            f"--since {value!r}: out of range once moved to UTC (years 1 to 9999)"
        ) from None
    return moment.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Selection:
    reviewed_only: bool = False
    # span labels to keep; empty keeps every label
    labels: tuple[str, ...] = ()
    # ISO 8601 UTC: only sentences with a decision made at or after it
    since: str | None = None

    def sentences(self) -> tuple[str, list]:
        """A WHERE condition on sentences aliased `s`, and its parameters."""
        conditions, params = ["1"], []
        if self.reviewed_only:
            conditions.append(f"({REVIEWED_SQL})")
        if self.since:
            conditions.append(
                """(EXISTS (SELECT 1 FROM spans d WHERE d.sentence_id = s.id
                            AND d.status != 'proposed' AND d.updated_at >= ?)
                    OR EXISTS (SELECT 1 FROM sentence_labels l WHERE l.sentence_id = s.id
                               AND l.updated_at >= ?)
                    OR EXISTS (SELECT 1 FROM claim_ratings c WHERE c.sentence_id = s.id
                               AND c.updated_at >= ?))"""
            )
            params += [self.since] * 3
        return " AND ".join(conditions), params

    def spans(self, alias: str) -> tuple[str, list]:
        """A condition on spans aliased `alias`, and its parameters."""
        if not self.labels:
            return "1", []
        marks = ", ".join("?" * len(self.labels))
        return f"{alias}.label IN ({marks})", list(self.labels)


def count_sentences(store, selection: Selection) -> int:
    condition, params = selection.sentences()
    return store.db.execute(
        f"SELECT count(*) FROM sentences s WHERE {condition}", params
    ).fetchone()[0]
