"""Whether two claims about one entity and one event disagree, how, and how likely.

Claims naming different organisations as what they are about are about different
events, whatever else they share. The kind comes from the first difference found, in this order:
- `negation`: one denies the event ("does not foresee future sanctions"), the other
  asserts it or holds it possible;
- `modality`: one asserts it ("imposed fresh sanctions"), the other holds it
  possible ("is waiting on whether to add");
- `actor`: both say the same, with different actors ("the Trump administration" /
  "the Biden administration");
- `numeric`: different numbers with the same unit nearest the event's triggers;
- `temporal`: different dates nearest the event's triggers.

The score is how much a reviewer should look at the pair first, 0 to 1: a
weight per kind, lowered when the documents were published far apart (probably
two events, not two accounts of one), when only one of the claims looks back
at the past, and when the claims share few words besides the entity and event.
"""

import math
from dataclasses import dataclass
from datetime import date

from annotator.contradictions.features import EventClaim, Mark

KIND_WEIGHTS = {"negation": 0.9, "modality": 0.8, "numeric": 0.8, "actor": 0.7, "temporal": 0.6}
# Relative difference below which two approximate numbers agree ("about 10%" / "11%").
_NUMBER_TOLERANCE = 0.15
# Publication dates this many days apart halve the score.
_HALF_LIFE_DAYS = 365


@dataclass(frozen=True, slots=True)
class Side:
    """One claim as pairing sees it."""

    sentence_id: int
    document_id: int
    published: date | None
    event: EventClaim
    actors: dict[str, Mark]
    past: tuple[Mark, ...]
    content_words: frozenset[str]
    # how the claim is tied to the entity: a mention, or the document's topic
    link: str
    # the organisations it is about
    targets: frozenset[str]


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str
    score: float
    one: Side
    two: Side
    marks_one: list
    marks_two: list
    reasons: list[str]

    def evidence(self) -> dict:
        """Built only for the candidates kept: most compared pairs are not."""
        a, b = self.one.event, self.two.event
        return {
            "event": a.event,
            "stances": [a.stance, b.stance],
            "links": [self.one.link, self.two.link],
            "reasons": self.reasons,
            "marks1": _marks(a.triggers, self.marks_one, self.one.past),
            "marks2": _marks(b.triggers, self.marks_two, self.two.past),
        }


def _marks(*groups) -> list[list]:
    seen = {}
    for group in groups:
        for mark in group:
            seen.setdefault((mark.start, mark.end), mark)
    return [m.as_json() for m in sorted(seen.values(), key=lambda m: (m.start, m.end))]


def _numbers_disagree(a: tuple, b: tuple) -> bool:
    _, value_a, qualifier_a, _ = a
    _, value_b, qualifier_b, _ = b
    if qualifier_a == ">" and qualifier_b in ("=", "~"):
        return value_b <= value_a
    if qualifier_b == ">" and qualifier_a in ("=", "~"):
        return value_a <= value_b
    if qualifier_a == "<" and qualifier_b in ("=", "~"):
        return value_b >= value_a
    if qualifier_b == "<" and qualifier_a in ("=", "~"):
        return value_a >= value_b
    if qualifier_a in (">", "<", ">=", "<=") or qualifier_b in (">", "<", ">=", "<="):
        return False
    if "~" in (qualifier_a, qualifier_b):
        scale = max(abs(value_a), abs(value_b)) or 1
        return abs(value_a - value_b) / scale > _NUMBER_TOLERANCE
    return value_a != value_b


def _numeric(a: EventClaim, b: EventClaim):
    for number_a in a.numbers:
        for number_b in b.numbers:
            if number_a[0] == number_b[0] and _numbers_disagree(number_a, number_b):
                return [number_a[3]], [number_b[3]]
    return None


def _temporal(a: EventClaim, b: EventClaim):
    if not a.dates or not b.dates:
        return None
    for year_a, month_a, _ in a.dates:
        for year_b, month_b, _ in b.dates:
            if year_a == year_b and (not month_a or not month_b or month_a == month_b):
                return None
    return [d[2] for d in a.dates], [d[2] for d in b.dates]


def compare(one: Side, two: Side) -> Candidate | None:
    if one.targets and two.targets and not one.targets & two.targets:
        # "The U.S. blacklisted Huawei" / "the U.S. is considering limits on Hikvision":
        # one actor, two events.
        return None
    a, b = one.event, two.event
    stances = {a.stance, b.stance}
    different_actors = bool(one.actors and two.actors and not one.actors.keys() & two.actors)
    marks_a: list = []
    marks_b: list = []
    if "negated" in stances and len(stances) == 2:
        kind = "negation"
        marks_a, marks_b = a.cues, b.cues
    elif stances == {"asserted", "possible"}:
        kind = "modality"
        marks_a, marks_b = a.cues, b.cues
    elif different_actors:
        kind = "actor"
        marks_a, marks_b = list(one.actors.values()), list(two.actors.values())
    elif found := _numeric(a, b):
        kind = "numeric"
        marks_a, marks_b = found
    elif found := _temporal(a, b):
        kind = "temporal"
        marks_a, marks_b = found
    else:
        return None
    # Different actors are evidence beside a difference of stance.
    if kind in ("negation", "modality") and different_actors:
        marks_a = [*marks_a, *one.actors.values()]
        marks_b = [*marks_b, *two.actors.values()]
    score, reasons = _score(kind, one, two)
    return Candidate(kind, score, one, two, marks_a, marks_b, reasons)


def _score(kind: str, one: Side, two: Side) -> tuple[float, list[str]]:
    score = KIND_WEIGHTS[kind]
    reasons = []
    if one.published and two.published:
        days = abs((one.published - two.published).days)
        if days > 31:
            score *= math.pow(0.5, days / _HALF_LIFE_DAYS)
            reasons.append(f"published {days} days apart")
    if bool(one.past) != bool(two.past) and kind != "temporal":
        score *= 0.7
        reasons.append("only one looks back at the past")
    if "topic" in (one.link, two.link):
        score *= 0.9
        reasons.append("entity from the document's topic")
    shared = one.content_words & two.content_words
    union = one.content_words | two.content_words
    overlap = len(shared) / len(union) if union else 0.0
    score *= 0.75 + 0.25 * min(1.0, overlap * 3)
    return round(score, 3), reasons
