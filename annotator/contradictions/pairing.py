"""Whether two claims about one entity and one event disagree, how, and how likely.

Claims naming different organisations as what they are about are about different
events, whatever else they share. Claims of two documents must also say more of
the same than the entity and the event's trigger word: at least MIN_SHARED
content terms in common and an idf-weighted overlap of MIN_OVERLAP (terms.py),
or ATTRIBUTED_DENIAL_OVERLAP for the entity's own denial against what a named
other source asserts (_attributed_denial);
two numbers count as one more shared term when they measure the same thing. So
must two claims of one document, unless the document is about the entity (its
topic organisation): then the article itself ties its claims to one story. A headline and
the sentence it summarises, or a quotation and its paraphrase in the same
article (an overlap of PARAPHRASE or more), say the same thing twice: they are
never candidates, unless their numbers disagree.

The kind comes from the first difference found, in this order:
- `numeric`: two figures for the same measure that differ by more than their
  rounding allows (measures.py), neither hypothetical ("would need 159"), neither
  another entity's, with no agreeing figure for that measure beside them and no
  two months or years they are of. Figures are of their moment: across documents
  they are compared at most FIGURE_DAYS apart unless both name the month they
  are of; inside one article only when the two sentences say nearly the same
  (SAME_ARTICLE_FIGURES) or give a rate of one period. Events of election news
  (events.json `figures_only`) differ only by figures;
- `negation`: one denies the event ("does not foresee future sanctions"), the other
  asserts it or holds it possible;
- `modality`: one asserts it ("imposed fresh sanctions"), the other holds it
  possible ("is waiting on whether to add");
- `actor`: both say the same, with different actors ("the Trump administration" /
  "the Biden administration");
- `temporal`: different dates nearest the event's triggers.

Two claims of one stance that overlap NEAR_DUPLICATE or more are one claim
repeated or re-worded, not a pair.

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
from annotator.contradictions.features import (
    MEASURE,
    EventClaim,
    Mark,
    denials,
    figures_only,
)
from annotator.contradictions.terms import Weights

KIND_WEIGHTS = {"numeric": 0.9, "negation": 0.85, "modality": 0.75, "actor": 0.7, "temporal": 0.6}
MIN_SHARED = 2
MIN_OVERLAP = 0.2
# The entity's own denial against what a named other source (an agency, a
# person) asserts of the same conduct is the fact-checker's question even when
# the two sentences share fewer words: the denial is short and the finding says
# more ("Clinton said there was no classified material on her account" / "The
# FBI concluded that she had been careless in handling classified material").
ATTRIBUTED_DENIAL_OVERLAP = 0.1
PARAPHRASE = 0.3
# Figures are compared across documents at most this many days apart: counts,
# polls and totals change (delegates won, emails released, money raised), and
# two reports a week or more apart tell two moments, not one figure twice.
FIGURE_DAYS = 7
# Two figures of one article are of one measure at one moment only when their
# sentences say nearly the same thing ("Overall, X leads with 221 delegates" /
# "... with 182 delegates", a figure updated or mistyped); otherwise an article's
# figures for one noun count different things (two primaries, two years, a part),
# unless they are rates of one period (_rates).
SAME_ARTICLE_FIGURES = 0.5
# Claims of one stance that say the same with no differing figure are one claim
# repeated or re-worded, whatever actor or date was read in each.
NEAR_DUPLICATE = 0.8
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
    # the entity is named as who says the claim ("Clinton testified that ...")
    speaker: bool = False
    # the other entities named as who says it ("The FBI concluded that ...")
    told_by: frozenset[str] = frozenset()


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


def _numeric(a: EventClaim, b: EventClaim, entity: str, *, own: bool = False):
    """Two figures for one measure that disagree, as ([mark], [mark]), or None.

    A figure of what may be ("would need 159") is not compared, nor a figure of
    another entity ("Rubio has 163" in Cruz's block); with `own`, only the
    entity's own figures are. When the two claims give one agreeing figure for a
    measure, they report the same figure and their other figures for it count
    other things ("25 million combined, 16 million for Clinton" / "Clinton has
    15.6 million, 3.7 million more than Sanders"): no disagreement on it.
    """
    by_measure: dict = {}
    for number_a in a.numbers:
        if number_a[0] is None or number_a[5] or number_a[4] not in (entity, None):
            continue
        for number_b in b.numbers:
            if number_b[0] != number_a[0] or number_b[5] or number_b[4] not in (entity, None):
                continue
            if own and not (number_a[4] == number_b[4] == entity):
                continue
            found = by_measure.setdefault(number_a[0], [False, None])
            if measures.disagree(number_a, number_b):
                if found[1] is None:
                    found[1] = ([number_a[3]], [number_b[3]])
            else:
                found[0] = True
    for agreeing, differing in by_measure.values():
        if differing and not agreeing:
            return differing
    return None


def _same_measure(a: EventClaim, b: EventClaim) -> bool:
    return bool({n[0] for n in a.numbers} & {n[0] for n in b.numbers} - {None})


def _year(year: int, month: int, published: date | None) -> int:
    """A month named without its year ("in January") is the last such month up to
    the publication date."""
    if year or not published:
        return year
    return published.year if month <= published.month else published.year - 1


def _temporal(a: EventClaim, b: EventClaim, one: Side, two: Side, *, months: bool = False):
    """Dates of the two claims that cannot be one time. A month named without its
    year ("in March") dates figures (`months`), but is too loose a date to be a
    difference of its own ("in March, the month after ...")."""
    dates_a = [d for d in a.dates if months or d[0]]
    dates_b = [d for d in b.dates if months or d[0]]
    if not dates_a or not dates_b:
        return None
    for year_a, month_a, _ in dates_a:
        year_a = _year(year_a, month_a, one.published)
        for year_b, month_b, _ in dates_b:
            year_b = _year(year_b, month_b, two.published)
            same_year = year_a == year_b or not year_a or not year_b
            if same_year and (not month_a or not month_b or month_a == month_b):
                return None
    return [d[2] for d in dates_a], [d[2] for d in dates_b]


def _same_month(one: "Side", two: "Side") -> bool:
    """Both claims date their figures to one month of one year ("in January")."""
    months = [
        {(_year(y, m, side.published), m) for y, m, _ in side.event.dates if m}
        for side in (one, two)
    ]
    return bool(months[0] & months[1]) and all(y for y, _ in months[0] & months[1])


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
    attributed_denial = False
    if not story and (shared < MIN_SHARED or overlap < MIN_OVERLAP):
        if shared < MIN_SHARED or overlap < ATTRIBUTED_DENIAL_OVERLAP:
            return None
        if not _attributed_denial(one, two):
            return None
        attributed_denial = True
    if a.event.startswith(MEASURE) and not same_document and _days_apart(one, two) > FIGURE_DAYS:
        # Figures change (polls, counts): two reports weeks apart tell two moments.
        return None
    found = _difference(one, two)
    if found is None:
        return None
    kind, marks_a, marks_b = found
    if attributed_denial and kind != "negation":
        return None
    if kind == "numeric":
        if not same_document and _days_apart(one, two) > FIGURE_DAYS and not _same_month(one, two):
            # A figure dated to its month ("raised $20 million in January") keeps.
            return None
        if same_document and overlap < SAME_ARTICLE_FIGURES and not _rates(a, b):
            return None
    elif a.stance == b.stance and overlap >= NEAR_DUPLICATE:
        # One claim told twice: an actor or a date read differently is not enough.
        return None
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
        found = _numeric(a, b, one.entity, own=True)
        return ("numeric", *found) if found else None
    stances = {a.stance, b.stance}
    different_actors = bool(one.actors and two.actors and not one.actors.keys() & two.actors)
    marks_a: list = []
    marks_b: list = []
    if (found := _numeric(a, b, one.entity)) and not _temporal(a, b, one, two, months=True):
        # Two figures for one measure (of one month or year, when both say which):
        # the most concrete difference there is.
        kind = "numeric"
        marks_a, marks_b = found
    elif figures_only(a.event):
        if denials(a.event) and stances == {"negated", "asserted"}:
            denied, asserted = (one, two) if a.stance == "negated" else (two, one)
            # The entity's own denial against what another source asserts, or
            # what the entity itself asserts in another article: the question a
            # fact-checker asks. Two reports of the denial are not that.
            if (
                denied.speaker
                and (not asserted.speaker or denied.document_id != asserted.document_id)
                and not asserted.event.near_negation
            ):
                return "negation", a.cues, b.cues
        return None
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
    elif found := _temporal(a, b, one, two):
        kind = "temporal"
        marks_a, marks_b = found
    else:
        return None
    # Different actors are evidence beside a difference of stance.
    if kind in ("negation", "modality") and different_actors:
        marks_a = [*marks_a, *one.actors.values()]
        marks_b = [*marks_b, *two.actors.values()]
    return kind, marks_a, marks_b


def _attributed_denial(one: Side, two: Side) -> bool:
    """The entity denies (it is who says the denial) an event of its own conduct
    that a named other source asserts."""
    a, b = one.event, two.event
    if not denials(a.event) or {a.stance, b.stance} != {"negated", "asserted"}:
        return False
    denied, asserted = (one, two) if a.stance == "negated" else (two, one)
    return (
        denied.speaker
        and not asserted.speaker
        and bool(asserted.told_by)
        and not asserted.event.near_negation
    )


def _rates(a: EventClaim, b: EventClaim) -> bool:
    """The two claims share a measure per period ("178,000 jobs a month"): a rate,
    which an article states for the whole, unlike a count it breaks down."""
    periods_a = {n[0] for n in a.numbers if n[0] and n[0][1]}
    return any(n[0] in periods_a for n in b.numbers)


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
