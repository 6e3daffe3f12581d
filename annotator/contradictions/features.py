"""What one sentence claims about an event, read from its words and its proposals.

For each event a sentence reports (by its trigger words, events.json), the
sentence's stance: `asserted` (it happened), `possible` (considered, planned,
conditional: a HEDGE span or a cue of events.json governs the trigger) or
`negated`. Beside it: who acts ("the Biden administration", "President Joe
Biden"), the numbers and dates nearest to each event's triggers, and whether the
sentence looks back at the past ("already", "in 2019"), which suggests an
earlier event rather than the one being reported.

A cue governs a trigger when it comes before it in the same clause, within a
few words ("is considering imposing potentially harsh new sanctions"), or right
after it ("sanctions would", "sanctions under consideration").
"""

import bisect
import functools
import re
import sys
from dataclasses import dataclass, field
from typing import NamedTuple

from annotator.contradictions.measures import measure
from annotator.core.calendar import MONTHS
from annotator.datafiles import read_data

# Words a cue may stand before the trigger it governs, and after it.
_REACH_BEFORE = 10
_REACH_AFTER = 3
_NEGATION_REACH = 2
# A number belongs to the event whose trigger is nearest, within this many words.
_NUMBER_REACH = 8
_CLAUSE_BREAKS = frozenset(
    ",;:()—–" + '\N{LEFT DOUBLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK}"'
) | {"but", "although", "though", "while", "whereas", "after", "because", "since", "however"}
_WORD = re.compile(r"\w+(?:['’.]\w+)*|[^\w\s]")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH_YEAR = re.compile(
    r"\b(" + "|".join(MONTHS) + r")\s+(?:\d{1,2},?\s+)?(1[89]\d\d|20\d\d)\b", re.I
)
# A month named without its year ("raised $20 million in January"); "May" only
# after a preposition, so that the verb is never a month. Its year is 0: the
# reader resolves it against the publication date.
_MONTH_ALONE = re.compile(
    r"\b(?:in|during|for|since|through|of|last|this)\s+("
    + "|".join(m.capitalize() for m in MONTHS)
    + r")\b(?!\s+\d)"
)

STANCES = ("asserted", "possible", "negated")


@dataclass(frozen=True, slots=True)
class Mark:
    """Words of the sentence that carry evidence, and what they show."""

    start: int
    end: int
    role: str  # trigger, possible, negation, actor, number, date, past

    def as_json(self) -> list:
        return [self.start, self.end, self.role]


@dataclass(slots=True)
class EventClaim:
    """What a sentence says about one event."""

    event: str
    stance: str
    triggers: list[Mark]
    cues: list[Mark] = field(default_factory=list)
    # the sentence tells the event as done ("imposed fresh sanctions", "was
    # sanctioned"), not only names it ("a ban", "his proposal to ban")
    happened: bool = False
    # (measure, value, qualifier, mark, owner, hypothetical) of the numbers
    # nearest this event's triggers; the measure is what the number counts
    # (measures.py), the owner the entity whose figure it is, if any;
    # hypothetical when a cue of possibility governs it ("would need 159
    # superdelegates"): a figure of what may be, not a claim of what is
    numbers: list[tuple] = field(default_factory=list)
    # a negation stands anywhere before a trigger in its clause, within a few
    # words ("without raising middle class taxes"): too far to deny the event
    # for sure, too near to take the claim for a plain assertion of it
    near_negation: bool = False
    # (year, month or 0, mark)
    dates: list[tuple] = field(default_factory=list)


@dataclass(slots=True)
class SentenceFeatures:
    events: dict[str, EventClaim]
    actors: dict[str, Mark]
    past: list[Mark]
    content_words: frozenset[str]


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


class _Lexicon(NamedTuple):
    # every event's triggers in one pattern, each event a named group
    triggers: re.Pattern
    # group name -> event name
    events: dict[str, str]
    possible: re.Pattern
    negation: re.Pattern
    past: re.Pattern
    actors: list[re.Pattern]
    institution_words: frozenset[str]
    # events compared only by their figures
    figures_only: frozenset[str]
    # and by the entity's own denial against another source's assertion
    denials: frozenset[str]


@functools.cache
def _lexicon() -> _Lexicon:
    data = read_data("annotator.contradictions", "events.json")

    def words(patterns):
        return re.compile(rf"(?<!\w)(?:{_alternation(patterns)})(?!\w)", re.I)

    names = list(data["events"])
    triggers = re.compile(
        r"(?<!\w)(?:"
        + "|".join(
            f"(?P<e{i}>{_alternation(data['events'][name])})" for i, name in enumerate(names)
        )
        + r")(?!\w)",
        re.I,
    )
    return _Lexicon(
        triggers=triggers,
        events={f"e{i}": name for i, name in enumerate(names)},
        possible=words(data["possible"]),
        # "didn't", "wasn't": the contraction is a negation inside its word.
        negation=re.compile(
            rf"(?<!\w)(?:{_alternation(data['negation'])})(?!\w)|(?<=\w)n['’]t(?!\w)", re.I
        ),
        past=words(data["past"]),
        actors=[re.compile(rf"\b{p}\b") for p in data["actor_patterns"]],
        institution_words=frozenset(data["institution_words"]),
        figures_only=frozenset(data.get("figures_only", ())),
        denials=frozenset(data.get("denials", ())),
    )


def institution_words() -> frozenset[str]:
    return _lexicon().institution_words


def figures_only(event: str) -> bool:
    """Claims of this event disagree only by their figures (events.json)."""
    return event.startswith(MEASURE) or event in _lexicon().figures_only


def denials(event: str) -> bool:
    """The entity's denial and another source's assertion of this event pair (events.json)."""
    return event in _lexicon().denials


_DIGIT = re.compile(r"\d")


def mentions_event(text: str) -> bool:
    """A cheap first look: does the sentence have any trigger word or figure at all?"""
    return _DIGIT.search(text) is not None or _lexicon().triggers.search(text) is not None


_STOP = frozenset(
    """the a an and or of to in on for by with at from as that this these those it its is are
    was were be been being has have had will would could may might should can not no than
    said says say also which who whom whose what when where while after before about over
    into their they them there here his her he she we our us you your more most such any""".split()
)


class _Words:
    """The sentence as word tokens with offsets, to measure distances in words.
    Running counts of words and clause breaks make each distance one subtraction."""

    def __init__(self, text: str):
        self.tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        self.ends = [t[1] for t in self.tokens]
        self.words_before = [0]
        self.breaks_before = [0]
        for _, _, token in self.tokens:
            is_break = token in _CLAUSE_BREAKS or token.casefold() in _CLAUSE_BREAKS
            self.breaks_before.append(self.breaks_before[-1] + is_break)
            self.words_before.append(self.words_before[-1] + (not is_break and token[0].isalnum()))

    def index(self, offset: int) -> int:
        """The token containing or following `offset`."""
        return bisect.bisect_right(self.ends, offset)

    def tokens_of(self, span: tuple[int, int]) -> tuple[int, int]:
        """First and last token of a character span."""
        return self.index(span[0]), self.index(span[1] - 1)

    def between(self, a: int, b: int) -> tuple[int, bool]:
        """Words strictly between token a and token b, and whether a clause breaks there."""
        if b <= a + 1:
            return 0, False
        words = self.words_before[b] - self.words_before[a + 1]
        return words, self.breaks_before[b] > self.breaks_before[a + 1]


def _governs(words: _Words, cue: tuple[int, int], trigger: tuple[int, int], reach: int) -> bool:
    """`cue` and `trigger` as (first, last) token indices."""
    cue_first, cue_last = cue
    trig_first, trig_last = trigger
    if cue_last < trig_first:
        gap, broken = words.between(cue_last, trig_first)
        return not broken and gap <= reach
    if cue_first > trig_last:
        return cue_first - trig_last - 1 < _REACH_AFTER
    return False


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def analyse(
    text: str,
    *,
    hedges: list[tuple[int, int]] = (),
    quantities: list[tuple[int, int, dict]] = (),
    names: list[tuple] = (),
) -> SentenceFeatures:
    """`hedges`: the sentence's HEDGE spans; `quantities`: its QUANTITY spans with
    attrs; `names`: its ENTITY spans as (start, end, entity key or None); a name
    is never a trigger ("Ban Ki-moon"). A question reports no event."""
    lexicon = _lexicon()
    words = _Words(text)
    possible = [(m.start(), m.end()) for m in lexicon.possible.finditer(text)]
    possible += [tuple(h) for h in hedges]
    negations = [(m.start(), m.end()) for m in lexicon.negation.finditer(text)]
    possible_tokens = [(p, words.tokens_of(p)) for p in possible]
    negation_tokens = [(n, words.tokens_of(n)) for n in negations]

    found: dict[str, list[tuple[int, int]]] = {}
    is_question = text.rstrip(" ”\"'’)").endswith("?")
    for match in lexicon.triggers.finditer(text):
        # A name that starts with a trigger word is a name ("Ban Ki-moon"); one with a
        # trigger inside it still tells the event ("Specially Designated Nationals").
        if is_question or any(match.start() == name[0] for name in names):
            continue
        found.setdefault(lexicon.events[match.lastgroup], []).append(match.span())
    events: dict[str, EventClaim] = {}
    for name, triggers in found.items():
        stances, cues = [], []
        near_negation = False
        for trigger in triggers:
            at = words.tokens_of(trigger)
            near_negation = near_negation or any(
                not _overlaps(n, trigger)
                and n_at[1] < at[0]
                and _governs(words, n_at, at, _REACH_BEFORE)
                for n, n_at in negation_tokens
            )
            denied = [
                n
                for n, n_at in negation_tokens
                # A denial stands before what it denies ("does not foresee future
                # sanctions"); one after the trigger denies something else of it
                # ("the new jobs don't pay as well").
                if not _overlaps(n, trigger)
                and n_at[1] < at[0]
                and _governs(words, n_at, at, _NEGATION_REACH)
            ]
            hedged = [
                p
                for p, p_at in possible_tokens
                if not _overlaps(p, trigger) and _governs(words, p_at, at, _REACH_BEFORE)
            ]
            if denied:
                stances.append("negated")
                cues += [Mark(*n, "negation") for n in denied]
            elif hedged:
                stances.append("possible")
                cues += [Mark(*p, "possible") for p in hedged]
            else:
                stances.append("asserted")
        stance = (
            "negated"
            if "negated" in stances
            else "asserted"
            if "asserted" in stances
            else "possible"
        )
        events[name] = EventClaim(
            name,
            stance,
            [Mark(*t, "trigger") for t in triggers],
            sorted(set(cues), key=_order),
            any(_told_as_done(words, text, t) for t in triggers),
            near_negation=near_negation,
        )

    if not is_question:
        _assign_numbers(words, events, quantities, text, names, possible_tokens)
    actors = {}
    for pattern in lexicon.actors:
        for match in pattern.finditer(text):
            name = match.group("name")
            key = re.sub(r"['’]s$", "", name.split()[-1]).casefold()
            start = match.start("name")
            actors.setdefault(key, Mark(start, start + len(name), "actor"))
    past = [Mark(m.start(), m.end(), "past") for m in lexicon.past.finditer(text)]
    # Interned: a corpus repeats its words, and every claim keeps its set until
    # its blocks are compared.
    content = frozenset(
        sys.intern(token.casefold())
        for _, _, token in words.tokens
        if len(token) > 2 and token[0].isalpha() and token.casefold() not in _STOP
    )
    return SentenceFeatures(events, actors, past, content)


# A verb in the past or an auxiliary of the perfect or passive, right before a
# trigger in its clause: "imposed fresh sanctions", "was already sanctioned".
_DONE_BEFORE = 3
_AUXILIARIES = frozenset({"was", "were", "has", "have", "had", "did", "got"})
_NOT_DONE_BETWEEN = _CLAUSE_BREAKS | {"to", "for", "of", "about", "against"}


@functools.cache
def _speech_verbs() -> frozenset[str]:
    """Reporting verbs ("called", "proposed", "vowed") tell what was said, not done."""
    data = read_data("annotator.nlp", "attribution.json")
    extra = {
        "called",
        "proposed",
        "urged",
        "vowed",
        "pledged",
        "promised",
        "threatened",
        "suggested",
        "demanded",
        "planned",
        "wanted",
        "hoped",
        "expected",
        "united",
    }
    return frozenset(data["reporting_verbs"]) | extra


def _is_done_word(word: str) -> bool:
    folded = word.casefold()
    if folded in _speech_verbs():
        return False
    return folded in _AUXILIARIES or (folded.endswith("ed") and len(folded) > 4)


def _told_as_done(words: _Words, text: str, trigger: tuple[int, int]) -> bool:
    if any(_is_done_word(w) for w in text[trigger[0] : trigger[1]].split()):
        return True
    first = words.index(trigger[0])
    for k in range(first - 1, max(-1, first - 1 - _DONE_BEFORE), -1):
        token = words.tokens[k][2]
        if token in _CLAUSE_BREAKS or token.casefold() in _NOT_DONE_BETWEEN:
            # "repeated calls to ban": the verb does something else than the event.
            return False
        if _is_done_word(token):
            return True
    return False


def _order(mark: Mark) -> tuple[int, int]:
    return (mark.start, mark.end)


def _dates(text: str) -> list[tuple[int, int, int, int]]:
    """(start, end, year, month) of the dates a sentence names."""
    found = []
    taken = []
    for m in _MONTH_YEAR.finditer(text):
        month = MONTHS.index(m.group(1).casefold()) + 1
        found.append((m.start(), m.end(), int(m.group(2)), month))
        taken.append((m.start(), m.end()))
    for m in _YEAR.finditer(text):
        if not any(_overlaps((m.start(), m.end()), t) for t in taken):
            found.append((m.start(), m.end(), int(m.group(1)), 0))
    for m in _MONTH_ALONE.finditer(text):
        if not any(_overlaps((m.start(1), m.end(1)), t) for t in taken):
            month = MONTHS.index(m.group(1).casefold()) + 1
            found.append((m.start(1), m.end(1), 0, month))
    return found


MEASURE = "measure "


def _owner(words: _Words, start: int, end: int, names) -> str | None:
    """Whose figure a number is: the entity named nearest to it in its clause
    ("Ted Cruz has 370 delegates, Marco Rubio has 163": 163 is Rubio's)."""
    best = None
    at = words.tokens_of((start, end))
    for name_start, name_end, key in names:
        if key is None:
            continue
        name_at = words.tokens_of((name_start, name_end))
        if name_at[1] < at[0]:
            gap, broken = words.between(name_at[1], at[0])
        elif name_at[0] > at[1]:
            gap, broken = words.between(at[1], name_at[0])
        else:
            continue
        if not broken and (best is None or gap < best[0]):
            best = (gap, key)
    return best[1] if best else None


def _assign_numbers(
    words: _Words, events: dict[str, EventClaim], quantities, text: str, names=(), possible=()
) -> None:
    trigger_tokens = [
        (words.index(mark.start), name) for name, claim in events.items() for mark in claim.triggers
    ]

    def nearest(start: int, end: int) -> str | None:
        first, last = words.index(start), words.index(end - 1)
        best = None
        for position, name in trigger_tokens:
            distance = first - position if position < first else position - last
            if distance >= 0 and distance <= _NUMBER_REACH and (best is None or distance < best[0]):
                best = (distance, name)
        return best[1] if best else None

    for start, end, year, month in _dates(text):
        name = nearest(start, end)
        if name:
            events[name].dates.append((year, month, Mark(start, end, "date")))
    for start, end, attrs in quantities:
        unit = attrs.get("unit")
        if unit in (None, "year") or "value" not in attrs:
            continue
        measured = measure(text, start, end, unit)
        at = words.tokens_of((start, end))
        number = (
            measured,
            attrs["value"],
            attrs.get("qualifier", "="),
            Mark(start, end, "number"),
            _owner(words, start, end, names),
            any(
                p_at[1] < at[0] and _governs(words, p_at, at, _REACH_BEFORE)
                for p, p_at in possible
                if not _overlaps(p, (start, end))
            ),
        )
        name = nearest(start, end)
        if name:
            events[name].numbers.append(number)
        if measured is not None:
            # A figure is a claim of its own about what it measures, trigger or not:
            # "178,000 jobs a month", "65 percent of Republicans".
            key = MEASURE + " / ".join(part for part in measured if part)
            events.setdefault(key, EventClaim(key, "asserted", [])).numbers.append(number)
