"""Whether two claims about one entity and one event disagree, how, and how likely.

Claims naming different organisations as what they are about are about different
events, whatever else they share. Claims of two documents must also say more of
the same than the entity and the event's trigger word: at least MIN_SHARED
content terms in common and an idf-weighted overlap of MIN_OVERLAP (terms.py);
two numbers count as one more shared term when they measure the same thing. So
must two claims of one document, unless the document is about the entity (its
topic organisation): then the article itself ties its claims to one story. A headline and
the sentence it summarises, or a quotation and its paraphrase in the same
article (an overlap of PARAPHRASE or more), say the same thing twice: they are
never candidates, unless their numbers disagree.

The kind comes from the first difference found, in this order:
- `numeric`: two figures for the same measure that differ by more than their
  rounding allows (measures.py);
- `negation`: one denies the event ("does not foresee future sanctions"), the other
  asserts it or holds it possible;
- `modality`: one asserts it ("imposed fresh sanctions"), the other holds it
  possible ("is waiting on whether to add");
- `actor`: both say the same, with different actors ("the Trump administration" /
  "the Biden administration");
- `temporal`: different dates nearest the event's triggers.

The score is how much a reviewer should look at the pair first, 0 to 1: a
weight per kind, raised by the overlap of the two claims (two reports of one
event say much the same around the point where they differ), lowered when the
documents were published far apart (probably two events, not two accounts of
one) and when only one of the claims looks back at the past.
"""

import math
from dataclasses import dataclass
from datetime import date

from annotator.contradictions import measures
from annotator.contradictions.features import MEASURE, EventClaim, Mark
from annotator.contradictions.terms import Weights

KIND_WEIGHTS = {"numeric": 0.9, "negation": 0.85, "modality": 0.75, "actor": 0.7, "temporal": 0.6}
MIN_SHARED = 2
MIN_OVERLAP = 0.2
PARAPHRASE = 0.3
# Figures without an event word are compared across documents this many days apart.
FIGURE_DAYS = 14
# The overlap at which a pair's score stops rising.
_FULL_OVERLAP = 0.4
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
    # how the claim is tied to the entity: a mention, or the document's topic
    link: str
    # the organisations it is about
    targets: frozenset[str]
    headline: bool
    quoted: bool
    # content terms, without the event's triggers and the entity's names
    terms: frozenset[str]
    # the entity is the organisation the claim's document is about
    on_topic: bool
    # the key of the entity the claim is compared about
    entity: str
    # the places it names
    places: frozenset[str]
    # the length of its terms' idf vector (terms.py)
    norm: float


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str
    score: float
    one: Side
    two: Side
    marks_one: list
    marks_two: list
    reasons: list[str]
    overlap: float

    def evidence(self) -> dict:
        """Built only for the candidates kept: most compared pairs are not."""
        a, b = self.one.event, self.two.event
        return {
            "event": a.event,
            "stances": [a.stance, b.stance],
            "links": [self.one.link, self.two.link],
            "overlap": self.overlap,
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


def _numeric(a: EventClaim, b: EventClaim, owner: str | None = None):
    for number_a in a.numbers:
        for number_b in b.numbers:
            if owner is not None and not (number_a[4] == number_b[4] == owner):
                continue
            same = number_a[0] is not None and number_a[0] == number_b[0]
            if same and measures.disagree(number_a, number_b):
                return [number_a[3]], [number_b[3]]
    return None


def _same_measure(a: EventClaim, b: EventClaim) -> bool:
    return bool({n[0] for n in a.numbers} & {n[0] for n in b.numbers} - {None})


def _temporal(a: EventClaim, b: EventClaim):
    if not a.dates or not b.dates:
        return None
    for year_a, month_a, _ in a.dates:
        for year_b, month_b, _ in b.dates:
            if year_a == year_b and (not month_a or not month_b or month_a == month_b):
                return None
    return [d[2] for d in a.dates], [d[2] for d in b.dates]


def compare(one: Side, two: Side, weights: Weights) -> Candidate | None:
    same_document = one.document_id == two.document_id
    if "topic" in (one.link, two.link) and not same_document:
        # A claim that does not name the entity is about it only inside its own
        # article ("The sanctions would ..." in a report about Hikvision).
        return None
    if one.targets and two.targets and not one.targets & two.targets:
        # "The U.S. blacklisted Huawei" / "the U.S. is considering limits on Hikvision":
        # one actor, two events.
        return None
    a, b = one.event, two.event
    common = one.terms & two.terms
    # Inside the article about this organisation, the article ties its claims to one
    # story; anywhere else two claims must say more of the same.
    story = same_document and one.on_topic and two.on_topic
    if not story and len(common) + 1 < MIN_SHARED:
        return None  # cheap before the measure and the overlap
    shared = len(common) + _same_measure(a, b)
    overlap = weights.cosine(common, one.norm, two.norm)
    if not story and (shared < MIN_SHARED or overlap < MIN_OVERLAP):
        return None
    if a.event.startswith(MEASURE) and not same_document and _days_apart(one, two) > FIGURE_DAYS:
        # Figures change (polls, counts): two reports weeks apart tell two moments.
        return None
    found = _difference(one, two)
    if found is None:
        return None
    kind, marks_a, marks_b = found
    if kind == "numeric" and one.places and two.places and not one.places & two.places:
        # Figures of two places ("99 delegates in Florida", "23 in Wyoming") measure
        # two things.
        return None
    if same_document and kind != "numeric":
        if one.headline or two.headline:
            return None
        if (one.quoted or two.quoted) and overlap >= PARAPHRASE:
            return None
    score, reasons = _score(kind, one, two, overlap)
    return Candidate(kind, score, one, two, marks_a, marks_b, reasons, round(overlap, 3))


def _difference(one: Side, two: Side) -> tuple[str, list, list] | None:
    a, b = one.event, two.event
    if a.event.startswith(MEASURE):
        # Figures told without an event word: only their values can disagree, and
        # only the entity's own figures ("Cruz has 370 delegates, Rubio has 163").
        found = _numeric(a, b, owner=one.entity)
        return ("numeric", *found) if found else None
    stances = {a.stance, b.stance}
    different_actors = bool(one.actors and two.actors and not one.actors.keys() & two.actors)
    marks_a: list = []
    marks_b: list = []
    if found := _numeric(a, b):
        # Two figures for one measure: the most concrete difference there is.
        kind = "numeric"
        marks_a, marks_b = found
    elif "negated" in stances and len(stances) == 2:
        kind = "negation"
        marks_a, marks_b = a.cues, b.cues
    elif stances == {"asserted", "possible"} and (a if a.stance == "asserted" else b).happened:
        # Done against considered; a claim that only names the event ("a ban", "his
        # proposal to ban") says nothing of whether it happened.
        kind = "modality"
        marks_a, marks_b = a.cues, b.cues
    elif different_actors:
        kind = "actor"
        marks_a, marks_b = list(one.actors.values()), list(two.actors.values())
    elif found := _temporal(a, b):
        kind = "temporal"
        marks_a, marks_b = found
    else:
        return None
    # Different actors are evidence beside a difference of stance.
    if kind in ("negation", "modality") and different_actors:
        marks_a = [*marks_a, *one.actors.values()]
        marks_b = [*marks_b, *two.actors.values()]
    return kind, marks_a, marks_b


def _days_apart(one: Side, two: Side) -> int:
    if one.published and two.published:
        return abs((one.published - two.published).days)
    return 0


def _score(kind: str, one: Side, two: Side, overlap: float) -> tuple[float, list[str]]:
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
        # Tied to the entity through the sentence beside it: weaker than a mention.
        score *= 0.8
        reasons.append("entity from the document's topic")
    score *= 0.5 + 0.5 * min(1.0, overlap / _FULL_OVERLAP)
    return round(score, 3), reasons
