"""QUOTE, SOURCE and CUE proposals, and the attributions that link them.

Works on the sentences of one document in order, because a quotation can run
over several sentences, a speaker can be named in the sentence before ("She went
on to add, “...”"), and a run of quotes in one paragraph belongs to the speaker
last named. Token rules do the work in every pipeline; a trained pipeline adds
its parts of speech (a cue must be a verb), its parse (the subject of a cue is
its source) and its NER (person or organisation).

Only double quotation marks open a quote (two apostrophes count as one): a
single one is far more often an apostrophe than a quotation mark.
"""

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span

from annotator.core.segment import TITLE_SMALL_WORDS
from annotator.datafiles import read_data
from annotator.nlp.extensions import doc_text, doc_words
from annotator.nlp.tokens import tokens_of

QUOTE = "QUOTE"
SOURCE = "SOURCE"
CUE = "CUE"

NAMED_PERSON = "named_person"
NAMED_ORG = "named_org"
ANONYMOUS = "anonymous"
OTHER_OUTLET = "other_outlet"
UNATTRIBUTED = "unattributed"
KINDS = (NAMED_PERSON, NAMED_ORG, ANONYMOUS, OTHER_OUTLET, UNATTRIBUTED)

_OPENING = frozenset("“«„")
_CLOSING = frozenset("”»")
# Two apostrophes are a double quotation mark in some newspapers' house style
# (''...'' both ways), and in text that came through LaTeX or the Penn Treebank.
_EITHER = frozenset({'"', "''"})
_QUOTE_MARKS = _OPENING | _CLOSING | _EITHER
_MARKS = re.compile("''|[" + "".join(m for m in _QUOTE_MARKS if len(m) == 1) + "]")
# A markup attribute's value in quotation marks (`<tweet id="123">`).
_MARKUP_ATTRIBUTE = re.compile(r'\w=("[^"\n<>]{0,200}")')
# A short quote with no speaker is a scare quote ("smart cities"), not a quotation.
MIN_UNATTRIBUTED_QUOTE_WORDS = 5
MAX_SOURCE_TOKENS = 14
_PERSON_ENTS = frozenset({"PERSON"})
_ORG_ENTS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})


@dataclass(frozen=True)
class Lexicon:
    reporting_verbs: frozenset[str]
    # cues, but no verbs a quotation hangs from
    stance_verbs: frozenset[str]
    # cues after evidence ("the poll found"), and only then
    evidence_verbs: frozenset[str]
    evidence_nouns: frozenset[str]
    # "in" before one of these is a cue: "In a CNN poll, ..."
    poll_nouns: frozenset[str]
    multiword_cues: tuple[tuple[str, ...], ...]
    cue_blockers_before: frozenset[str]
    pronouns: frozenset[str]
    stop_before: frozenset[str]
    stop_after: frozenset[str]
    anonymity_reasons: tuple[tuple[str, ...], ...]
    anonymity_descriptors: tuple[tuple[str, ...], ...]
    anonymous_heads: frozenset[str]
    unnamed_voices: frozenset[str]
    unnamed_voice_singulars: frozenset[str]
    # both of the above, for the per-sentence tests
    any_unnamed_voice: frozenset[str]
    anonymous_determiners: frozenset[str]
    organisation_words: frozenset[str]
    outlets: frozenset[str]
    outlet_cues: frozenset[str]
    quote_verbs: frozenset[str]
    noun_like_cues: frozenset[str]
    # "Hilton Head, S.C.,": the state after a place's name, one or two words
    us_states: frozenset[tuple[str, ...]]


@functools.cache
def lexicon() -> Lexicon:
    data = read_data("annotator.nlp", "attribution.json")

    def phrases(key):
        return tuple(sorted((tuple(p) for p in data[key]), key=len, reverse=True))

    return Lexicon(
        reporting_verbs=frozenset(data["reporting_verbs"]),
        stance_verbs=frozenset(data["stance_verbs"]),
        evidence_verbs=frozenset(data["evidence_verbs"]),
        evidence_nouns=frozenset(data["evidence_nouns"]),
        poll_nouns=frozenset(data["poll_nouns"]),
        multiword_cues=phrases("multiword_cues"),
        cue_blockers_before=frozenset(data["cue_blockers_before"]),
        pronouns=frozenset(data["pronouns"]),
        stop_before=frozenset(data["source_stop_words_before"]),
        stop_after=frozenset(data["source_stop_words_after"]),
        anonymity_reasons=phrases("anonymity_reasons"),
        anonymity_descriptors=phrases("anonymity_descriptors"),
        anonymous_heads=frozenset(data["anonymous_heads"]),
        unnamed_voices=frozenset(data["unnamed_voices"]),
        unnamed_voice_singulars=frozenset(data["unnamed_voice_singulars"]),
        any_unnamed_voice=frozenset(data["unnamed_voices"] + data["unnamed_voice_singulars"]),
        anonymous_determiners=frozenset(data["anonymous_determiners"]),
        organisation_words=frozenset(data["organisation_words"]),
        outlets=frozenset(_outlet_key(o) for o in data["outlets"]),
        outlet_cues=frozenset(data["outlet_cues"]),
        quote_verbs=frozenset(read_data("annotator.nlp", "quote_verbs.json")["quote_verbs"]),
        noun_like_cues=frozenset(data["noun_like_cues"]),
        us_states=frozenset(tuple(state.split()) for state in data["us_states"]),
    )


def _outlet_key(name: str) -> str:
    words = name.casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class SpanRef:
    """A span in sentence `sentence` of the document, in character offsets."""

    sentence: int
    start: int
    end: int
    label: str

    @property
    def key(self) -> tuple[int, int, int, str]:
        return (self.sentence, self.start, self.end, self.label)


@dataclass
class Attribution:
    kind: str
    content: SpanRef
    source: SpanRef | None = None
    cue: SpanRef | None = None
    reason: str | None = None
    resolved_to: str | None = None
    # The content is a QUOTE span (else the reported clause, which has no label).
    direct: bool = True
    source_text: str = ""
    # The apposition that describes a named source ("Ann Roe, a spokeswoman for
    # the city, said"): proposed with the SOURCE span as its `role`.
    role: SpanRef | None = None

    def moved(self, sentence_indices: Sequence[int]) -> "Attribution":
        """The same attribution with sentence numbers mapped through `sentence_indices`."""

        def move(ref: SpanRef | None) -> SpanRef | None:
            if ref is None:
                return None
            return SpanRef(sentence_indices[ref.sentence], ref.start, ref.end, ref.label)

        return replace(
            self,
            content=move(self.content),
            source=move(self.source),
            cue=move(self.cue),
            role=move(self.role),
        )


@dataclass
class _Piece:
    """One sentence's part of a quotation, as a token range that includes the marks."""

    sentence: int
    start: int
    end: int
    chain: int
    attributed: bool = False


@dataclass
class Found:
    spans: list[list[tuple[int, int, str, dict]]]
    attributions: list[Attribution] = field(default_factory=list)


def _ref(doc_index: int, span: Span, label: str) -> SpanRef:
    return SpanRef(doc_index, span.start_char, span.end_char, label)


def _quote_pieces(docs: Sequence[Doc], paragraphs: Sequence[int]) -> list[_Piece]:
    pieces: list[_Piece] = []
    chain = -1
    open_from: int | None = None
    opener = ""
    for i, doc in enumerate(docs):
        if open_from is None and not _MARKS.search(doc_text(doc)):
            continue
        if i > 0 and paragraphs[i] != paragraphs[i - 1]:
            open_from = None  # a paragraph break ends any quotation left open
        if open_from is not None:
            open_from = 0
        tokens = tokens_of(doc)
        # Marks around a markup attribute's value (`<tweet id="123">`) quote nobody.
        in_markup = {
            at for m in _MARKUP_ATTRIBUTE.finditer(tokens.text) for at in (m.start(1), m.end(1))
        }
        # A mark counts only as a token of its own, not inside a word.
        mark_tokens = [
            (tokens.index(match.start()), match.group())
            for match in _MARKS.finditer(tokens.text)
            if tokens.aligned(match.start(), match.end())
            and match.start() not in in_markup
            and match.end() not in in_markup
        ]
        for at, text in mark_tokens:
            if open_from is None:
                if text in _OPENING or text in _EITHER:
                    chain += 1
                    open_from = at
                    opener = text
            elif text in _CLOSING or text in _EITHER or (opener == "„" and text == "“"):
                # „German“ closes with the mark English opens with.
                pieces.append(_Piece(i, open_from, at + 1, chain))
                open_from = None
            elif text in _OPENING:
                opener = text
                if at > open_from:
                    pieces.append(_Piece(i, open_from, at, chain))
                chain += 1
                open_from = at
        if open_from is not None and open_from < len(doc):
            pieces.append(_Piece(i, open_from, len(doc), chain))
    return [
        p
        for p in pieces
        if any(t.is_alpha or t.like_num for t in docs[p.sentence][p.start : p.end])
    ]


def _words(span: Span) -> list[str]:
    return [t.text for t in span if not t.is_punct and t.text not in _QUOTE_MARKS]


def _is_title(span: Span) -> bool:
    if span[-1].text in ".!?" or any(t.text in ".!?" for t in span[:-1]):
        return False
    return _title_words(span)


def _names_a_work(doc: Doc, start: int, end: int) -> bool:
    """A quoted title (“The Great Escape”), or a title-case quotation someone owns
    ("on CNN’s “State of the Union.”"), full stop inside its marks or not."""
    span = doc[start:end]
    return _is_title(span) or (_owned_title(doc, start) and _title_words(span))


def _title_words(span: Span) -> bool:
    """Two words or more, each capitalised but the small words of a title."""
    words = [w for w in _words(span) if w[:1].isalpha()]
    return (
        len(words) >= 2
        and words[0][0].isupper()
        and all(w[0].isupper() or w.casefold() in TITLE_SMALL_WORDS for w in words)
    )


@functools.cache
def _by_first_word(phrases) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list] = {}
    for p in phrases:
        index.setdefault(p[0], []).append(p)
    return {word: tuple(found) for word, found in index.items()}


def _phrase_at(doc: Doc, i: int, phrases) -> tuple[str, ...] | None:
    starting = _by_first_word(phrases).get(tokens_of(doc).lower[i])
    if not starting:
        return None
    lower = tokens_of(doc).lower
    return next((p for p in starting if tuple(lower[i : i + len(p)]) == p), None)


def _noun_phrase_end(doc: Doc, i: int) -> int:
    """The end of "the matter" in "familiar with the matter": up to a boundary or a cue."""
    lex = lexicon()
    while i < len(doc) and not _is_boundary(doc[i]) and doc[i].lower_ not in lex.stop_after:
        if doc[i].lower_ in lex.reporting_verbs:
            break
        i += 1
    return i


def _find(doc: Doc, start: int, end: int, phrases) -> tuple[int, int] | None:
    for i in range(start, end):
        phrase = _phrase_at(doc, i, phrases)
        if phrase is not None and i + len(phrase) <= end:
            return i, i + len(phrase)
    return None


def _ends_sentence(span: Span) -> bool:
    """Final punctuation just inside the closing mark: “... verified.” or “...,”"""
    inner = [t.text for t in span if t.text not in _QUOTE_MARKS]
    return bool(inner) and inner[-1] in (".", "!", "?", ",", "…")


def _in_piece(pieces: list[_Piece], token_i: int) -> bool:
    return any(p.start <= token_i < p.end for p in pieces)


@functools.cache
def _cue_pattern() -> re.Pattern:
    """Every cue as one regular expression, multi-word cues first: searching the
    sentence text is far cheaper than looking at every token."""
    lex = lexicon()
    phrases = [r"\s+".join(map(re.escape, cue)) for cue in lex.multiword_cues]
    verbs = lex.reporting_verbs | lex.stance_verbs | lex.evidence_verbs
    words = sorted(verbs, key=len, reverse=True)
    return re.compile(
        r"\b(?:" + "|".join(phrases + [re.escape(w) for w in words]) + r")\b", re.IGNORECASE
    )


def _may_have_cue(words: frozenset[str]) -> bool:
    """False when no cue can match: a sentence like that, with no quotation, has no
    attribution, and is not looked at further."""
    lex = lexicon()
    if not words.isdisjoint(lex.reporting_verbs) or not words.isdisjoint(lex.stance_verbs):
        return True
    if not words.isdisjoint(lex.evidence_verbs) and not words.isdisjoint(lex.evidence_nouns):
        return True
    if "in" in words and not words.isdisjoint(lex.poll_nouns):
        return True
    if not words.isdisjoint(lex.any_unnamed_voice):
        return True
    return any(words.issuperset(cue) for cue in lex.multiword_cues)


def _cues(doc: Doc, pieces: list[_Piece], trained: bool) -> list[tuple[int, int]]:
    cues = []
    tokens = tokens_of(doc)
    for match in _cue_pattern().finditer(tokens.text):
        found = tokens.token_range(match.start(), match.end())
        if found is None or _in_piece(pieces, found[0]):
            continue
        if _phrase_at(doc, found[0], lexicon().anonymity_reasons):
            continue  # "asking for anonymity", "asked not to be named": why, not a cue
        if found[1] - found[0] == 1 and not _is_verb(doc, found[0], trained):
            continue
        if _takes_no_stance(doc, found) or _evidence_verb_without_evidence(doc, found):
            continue
        cues.append(found)
    if not cues:
        # Cues of a sentence that has no other: "In a CNN poll, ...", "Ann Roe: ..."
        if _opening_poll_end(doc, pieces) is not None:
            cues.append((0, 1))
        elif (colon := _name_colon(doc, pieces)) is not None:
            cues.append((colon, colon + 1))
    if pieces:
        taken = {i for c in cues for i in range(*c)}
        for i in _quote_verbs_beside(doc, pieces):
            if i not in taken and _is_verb(doc, i, trained):
                cues.append((i, i + 1))
        cues.sort()
    return cues


# What may stand right before a participle of stance that has a speaker: a comma
# (", calling it ..."), a conjunction or preposition ("by calling", "while citing").
_BEFORE_A_STANCE_PARTICIPLE = frozenset(
    {"by", "while", "after", "before", "and", "for", "in", "without", "when", "also", "of"}
)


_PASSIVE_AUXILIARIES = frozenset(
    {"is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "'s", "’s"}
)


def _takes_no_stance(doc: Doc, cue: tuple[int, int]) -> bool:
    """A participle of stance after a noun describes it ("softer language calling for
    ...", "signs calling him a loser"), and a passive one tells what was done to its
    subject ("were specifically cited in a letter"): no one there takes a stance
    ("is expected to", which PolNeAR marks, excepted)."""
    i = cue[0]
    word = doc[i].lower_
    if cue[1] - i != 1 or i == 0 or word not in lexicon().stance_verbs:
        return False
    j = i - 1
    while j > 0 and doc[j].lower_.endswith("ly") and doc[j].is_lower:
        j -= 1  # "were specifically cited"
    if word.endswith("ed") and word != "expected" and doc[j].lower_ in _PASSIVE_AUXILIARIES:
        return True
    before = doc[i - 1]
    return (
        word.endswith("ing")
        and before.is_alpha
        and before.lower_ not in _BEFORE_A_STANCE_PARTICIPLE
    )


# "John McCain: Populist Anger Appeals to ...", "Clinton camp: Trump's ...", "Poll:
# Sanders Leads": a headline's short name before a colon is whose claim follows.
_MAX_NAME_BEFORE_COLON = 5
_LOWER_IN_A_COLON_NAME = frozenset({"camp", "campaign", "aide", "aides", "of", "the", "and"})
_NOT_A_COLON_SOURCE = frozenset(
    {"update", "updated", "related", "note", "editor", "correction", "watch", "read", "video",
     "photos", "photo", "q", "a", "transcript", "breaking", "exclusive", "live", "opinion",
     "analysis", "wait", "plus", "also", "first", "second", "third", "why", "how", "what",
     "the", "question", "answer", "contributing", "remember", "so", "look", "just", "name",
     "age", "previously", "paid", "bombshell", "stated", "continued", "added"}
)  # fmt: skip


def _name_colon(doc: Doc, pieces: list[_Piece]) -> int | None:
    """The colon after a short capitalised name opening the sentence, with words after
    it and no quotation opening right after it (those have their own introduction)."""
    for k in range(1, min(len(doc), _MAX_NAME_BEFORE_COLON + 1)):
        if doc[k].text == ":":
            break
    else:
        return None
    words = [t for t in doc[:k] if not t.is_punct]
    rest = [t for t in doc[k + 1 :] if t.is_alpha]
    if not words or len(rest) < 3 or _in_piece(pieces, k + 1):
        return None
    if doc[k + 1].text in _QUOTE_MARKS:
        return None
    if not words[0].text[:1].isupper() or words[0].lower_ in _NOT_A_COLON_SOURCE:
        return None  # "The Latest: ...", "Question: ...": a column's label
    if all(t.text.isupper() for t in words) and sum(len(t) for t in words) >= 4:
        return None  # "FIX IS IN: ...", "BOOM: ...": a shouted headline
    if any(not t.text[:1].isupper() and t.lower_ not in _LOWER_IN_A_COLON_NAME for t in words):
        return None
    return k


# How far after "in" its poll may be: "In a New York Times/CBS News survey".
_POLL_REACH = 8


def _opening_poll_end(doc: Doc, pieces: list[_Piece]) -> int | None:
    """Where the poll ends after an "In" that opens the sentence ("In a CNN poll
    released Monday, 50 percent ..."): that "In" cues what the poll says."""
    if len(doc) < 3 or doc[0].lower_ != "in" or _in_piece(pieces, 0):
        return None
    lex = lexicon()
    for j in range(1, min(len(doc), 1 + _POLL_REACH)):
        if doc[j].text in _POLL_NAME_ENDS or doc[j].text in _QUOTE_MARKS:
            return None
        if doc[j].lower_ in lex.poll_nouns:
            return j + 1
    return None


# What ends the phrase after "In" ("/" of "NBC News/Wall Street Journal" does not).
_POLL_NAME_ENDS = frozenset({",", ";", ":", ".", "!", "?", "(", ")"})


# How far before an evidence verb its evidence noun may be: "FEC records from the 2008
# presidential election cycle show".
_EVIDENCE_REACH = 12


def _evidence_verb_without_evidence(doc: Doc, cue: tuple[int, int]) -> bool:
    """ "shows", "found" report evidence only after an evidence noun in their clause ("a
    new poll shows", "the survey also found"), not in "9 percent found it a deterrent"."""
    i = cue[0]
    lex = lexicon()
    if cue[1] - i != 1 or doc[i].lower_ not in lex.evidence_verbs:
        return False
    for j in range(i - 1, max(-1, i - 1 - _EVIDENCE_REACH), -1):
        if _is_boundary(doc[j]):
            return True
        if doc[j].lower_ in lex.evidence_nouns:
            return False
    return True


# Words that cannot be the verb after a subject: what follows "officials" there is a
# phrase of the noun ("officials of the city", "officials who"), not what they did.
_NOT_A_VERB = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our",
     "who", "whose", "which", "and", "or", "but", "nor", "than", "as", "if", "when", "while",
     "there", "here", "he", "she", "they", "we", "it", "i", "you", "them", "him", "us",
     "close", "familiar", "briefed", "involved", "knowledgeable", "said", "say", "says",
     "last", "next", "yesterday", "today", "tonight", "tomorrow", "earlier"}
)  # fmt: skip
_PARTICLES = frozenset({"in", "out", "up", "back", "off", "down"})
# "the mayor's aides were openly cheerful": how many auxiliaries and adverbs may stand
# between an unnamed subject and what it did.
_MAX_BEFORE_VERB = 3


def _unnamed_voice_cues(
    doc: Doc, pieces: list[_Piece], trained: bool
) -> dict[tuple[int, int], tuple[int, int] | None]:
    """What a plural unnamed role (officials, aides, diplomats) does as a clause's
    subject, when no verb of saying marks it: "county officials have quietly ruled out a
    second count", "Port staff and diplomats voiced alarm". An unnamed source's stance is
    what a reviewer rates sources on, whatever verb carries it. Each cue with its
    subject, when the parse gives it (the rules find it as any source before a cue)."""
    lex = lexicon()
    voices = lex.any_unnamed_voice
    if doc_words(doc).isdisjoint(voices):
        return {}
    found: dict[tuple[int, int], tuple[int, int] | None] = {}
    parsed = trained and doc.has_annotation("DEP")
    for tok in doc:
        if tok.lower_ not in voices or _in_piece(pieces, tok.i):
            continue
        if parsed:
            cue, subject = _parsed_voice_cue(doc, tok)
            if cue is not None and not any(_in_piece(pieces, j) for j in range(*cue)):
                found[cue] = subject
            continue
        after = tok.i + 1
        if after + 1 < len(doc) and doc[after].text == "," and doc[after + 1].lower_ in _RELATIVE:
            # "Some diplomats, who asked not to be named, doubted ...": past the aside.
            after = next(
                (t.i + 1 for t in doc[after + 1 : after + 1 + MAX_SOURCE_TOKENS]
                 if t.text == ","),
                len(doc),
            )  # fmt: skip
        elif after < len(doc) and doc[after].lower_ in _POSTMODIFYING_PREPOSITIONS:
            # "Aides to Mr. Sanders declined", "officials in Minnesota praised": a name
            # after the role belongs to it.
            name_end = after + 1
            while (
                name_end < len(doc)
                and name_end - after <= _MAX_NAME_AFTER_ROLE
                and (doc[name_end].text[:1].isupper() or doc[name_end].lower_ in ("the", "of", "&"))
            ):
                name_end += 1
            if name_end == after + 1 or not doc[name_end - 1].text[:1].isupper():
                continue
            after = name_end
        j = after
        while j < len(doc) and j - after < _MAX_BEFORE_VERB and _adverb(doc[j]):
            j += 1
        if j >= len(doc) or j - after >= _MAX_BEFORE_VERB:
            continue
        word = doc[j]
        if not (word.is_alpha and word.is_lower) or word.lower_ in _NOT_A_VERB:
            continue
        if word.lower_ in _PREPOSITIONS or word.lower_ in _POSTMODIFIERS:
            continue
        if tok.lower_ not in lex.unnamed_voices and not word.lower_.endswith("ed"):
            continue  # one role: "The aide declined", not "the official results"
        if tok.lower_ not in lex.unnamed_voices and not _after_determiner(doc, tok.i):
            continue
        end = j + 1
        if (
            end + 1 < len(doc)
            and doc[end].lower_ in _PARTICLES
            and doc[end + 1].lower_ not in _DETERMINERS_AND_POSSESSIVES
        ):
            end += 1  # "chimed in Monday", not "praised in the statement"
        found[(after, end)] = None
    return found


_POSTMODIFYING_PREPOSITIONS = frozenset({"to", "for", "with", "in", "at", "of", "from"})
_MAX_NAME_AFTER_ROLE = 6


def _after_determiner(doc: Doc, i: int) -> bool:
    """A determiner or possessive opens the noun phrase ending at token i, within
    a few modifiers: "The aide", "His chief aide", "a White House official"."""
    for j in range(i - 1, max(-1, i - 5), -1):
        if doc[j].lower_ in _DETERMINERS_AND_POSSESSIVES or doc[j].lower_ in _DETERMINERS:
            return True
        if _is_boundary(doc[j]):
            return False
    return False


def _parsed_voice_cue(doc: Doc, tok) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The verb phrase whose subject `tok` is (or is coordinated in), and that subject
    with its modifiers: "Senior officials familiar with the talks expect"."""
    subject = tok
    while subject.dep_ == "conj" and subject.head is not subject:
        subject = subject.head  # "Port staff and diplomats voiced"
    verb = subject.head
    if verb.dep_ in ("aux", "auxpass") and verb.head.i > verb.i:
        # A curly "didn’t" can leave the subject on the auxiliary: the act is its verb.
        verb = verb.head
    if subject.dep_ not in ("nsubj", "nsubjpass") or verb.i <= subject.right_edge.i:
        return None, None
    if verb.pos_ not in ("VERB", "AUX"):
        return None, None
    after_subject = subject.right_edge.i + 1
    start = verb.i
    while start > after_subject and (
        doc[start - 1].pos_ in ("ADV", "AUX", "PART") or doc[start - 1].dep_ == "neg"
    ):
        start -= 1
    if any(not t.is_punct for t in doc[after_subject:start]):
        return None, None
    end = verb.i + 1
    for child in verb.rights:
        # The model parses a curly "n’t" as punctuation: its norm says it negates.
        if (child.dep_ in ("advmod", "neg") or child.norm_ == "not") and child.i == end:
            end += 1  # "are n't sure", "were openly cheerful"
            continue
        # "were openly cheerful", "chimed in": not "ruled it out".
        if child.dep_ in ("prt", "acomp") and all(t.pos_ == "ADV" for t in doc[end : child.i]):
            end = child.i + 1
        break
    source = _strip(doc, subject.left_edge.i, after_subject)
    return (start, end), source


# How far from a quotation a verb of the wider list may stand: past a name and a
# title after it ("...,” Sen. Joe Donnelly gloated), or a short object before it
# (X told CNBC: “...”).
_AFTER_QUOTE = 6
_BEFORE_QUOTE = 3


def _quote_verbs_beside(doc: Doc, pieces: list[_Piece]) -> list[int]:
    """Tokens of the wider quote-verb list right after a quotation or right before
    one, with no clause boundary between."""
    verbs = lexicon().quote_verbs
    found = []
    for p in pieces:
        i = p.end
        while i < len(doc) and doc[i].is_punct and doc[i].text not in _QUOTE_MARKS:
            i += 1
        for j in range(i, min(len(doc), i + _AFTER_QUOTE)):
            # "“...” and urged ...": a verb after a conjunction starts a clause of its own.
            if _is_boundary(doc[j]) or doc[j].lower_ in ("and", "but", "or", "then"):
                break
            if doc[j].lower_ in verbs:
                found.append(j)
                break
        i = p.start
        while i > 0 and doc[i - 1].text in (":", ","):
            i -= 1
        if i == p.start:
            continue
        for j in range(i - 1, max(-1, i - 1 - _BEFORE_QUOTE), -1):
            if _is_boundary(doc[j]):
                break
            if doc[j].lower_ in verbs:
                found.append(j)
                break
    return found


def _title_case(doc: Doc) -> bool:
    """A headline ("Trump Says He Will Win"), where capitals say nothing of names."""
    words = [t for t in doc if t.is_alpha]
    return len(words) > 1 and sum(t.text[0].isupper() for t in words) >= 0.6 * len(words)


def _is_verb(doc: Doc, i: int, trained: bool) -> bool:
    tok = doc[i]
    if i > 0 and doc[i - 1].lower_ in lexicon().cue_blockers_before:
        return False
    before = i - 1
    while before > 0 and doc[before].is_lower and doc[before].lower_.endswith("ly"):
        before -= 1
    if before < i - 1 and doc[before].lower_ in _DETERMINERS_AND_POSSESSIVES:
        return False  # "his newly revealed plan": a participle before its noun
    if i > 0 and tok.text[:1].isupper() and not doc[i - 1].is_punct and not _title_case(doc):
        return False  # inside a name: "Islamic State", "the United States"
    if tok.lower_.startswith("add") and i + 1 < len(doc) and doc[i + 1].lower_ in ("to", "up"):
        return False  # "adds to the drama", "added up to": not speech
    if trained and tok.pos_:
        return tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT"
    if tok.lower_ in lexicon().noun_like_cues:
        if i > 1 and doc[i - 1].text[:1].isupper() and doc[i - 2].lower_ in _BEFORE_A_NOUN:
            return False  # "40% of Republican claims": a capitalised word before a noun
        return _speaker_before(doc, i) or _speech_after(doc, i)
    return True


_POSSESSIVE_PRONOUNS = frozenset({"its", "his", "her", "their", "our", "my", "your"})
_DETERMINERS_AND_POSSESSIVES = (
    frozenset({"the", "a", "an", "this", "that", "these", "those"}) | _POSSESSIVE_PRONOUNS
)
_BEFORE_A_NOUN = frozenset(
    {"of", "the", "a", "an", "these", "those", "his", "her", "their", "its", "our", "about",
     "on", "for", "with", "by", "from", "against", "over"}
)  # fmt: skip


def _speaker_before(doc: Doc, i: int) -> bool:
    """A subject that can speak right before token i: a pronoun, a name, a role."""
    if i == 0:
        return False
    before = doc[i - 1]
    lex = lexicon()
    return (
        before.lower_ in lex.pronouns
        or before.lower_ in ("who", "they", "it")
        or before.lower_ in lex.anonymous_heads
        or (before.text[:1].isupper() and before.is_alpha and i - 1 > 0)
    )


def _speech_after(doc: Doc, i: int) -> bool:
    if i + 1 >= len(doc):
        return False
    after = doc[i + 1]
    return after.lower_ == "that" or after.text in (",", ":") or after.text in _QUOTE_MARKS


def _is_boundary(tok) -> bool:
    return (tok.is_punct and tok.text not in "-–—&") or tok.text in _QUOTE_MARKS


def _source_after(doc: Doc, start: int, cue_starts: set[int]) -> tuple[int, int]:
    lex = lexicon()
    end = start
    while end < len(doc) and end - start < MAX_SOURCE_TOKENS:
        tok = doc[end]
        if _is_boundary(tok) or end in cue_starts:
            break
        phrase = _phrase_at(doc, end, lex.anonymity_reasons + lex.anonymity_descriptors)
        if phrase is not None:
            # "one of the people who declined to be identified" is all the source.
            end += len(phrase)
            if phrase in lex.anonymity_descriptors:
                end = _noun_phrase_end(doc, end)
            continue
        if tok.lower_ in lex.stop_after and end > start and not tok.text.isupper():
            # "USA TODAY" is a name; "today" ends one.
            # "said Zhao on Thursday" ends the name; "said one of the people" does not.
            break
        end += 1
    return start, _cut_after_reason(doc, start, end)


def _cut_after_reason(doc: Doc, start: int, end: int) -> int:
    found = _find(doc, start, end, lexicon().anonymity_reasons)
    return found[1] if found else end


_AUXILIARIES = frozenset(
    {"have", "has", "had", "is", "are", "was", "were", "did", "does", "do", "also",
     "long", "never", "repeatedly", "already", "again", "since", "previously", "often",
     "then", "however", "meanwhile", "too", "instead", "still", "just", "later", "first",
     "once", "even", "now", "not", "n't", "n’t", "almost", "will", "would", "could", "can",
     "may", "might", "should", "must"}
)  # fmt: skip


def _adverb(tok) -> bool:
    return tok.lower_ in _AUXILIARIES or (tok.is_lower and tok.lower_.endswith("ly"))


def _aside(tok) -> bool:
    """One word between commas that describes no one: "however", "exasperated"."""
    return _adverb(tok) or (tok.is_lower and tok.lower_.endswith("ed"))


def _source_before(
    doc: Doc, end: int, cue_ends: set[int]
) -> tuple[int, int, tuple[int, int] | None]:
    """The source left of a cue at `end`, and the appositive between commas if any
    ("Hikvision, the Chinese surveillance camera maker, said")."""
    lex = lexicon()

    while end > 0 and doc[end - 1].is_space:
        end -= 1  # "a speech,\u00a0saying": the space token is not the source
    end = _before_weekday(doc, end)
    # "his advisers have long argued": the auxiliaries and adverbs belong to the verb.
    while end > 1 and _adverb(doc[end - 1]):
        end -= 1
    # "Carter, however, said" / "Clinton, exasperated, said": not an apposition.
    if end > 3 and doc[end - 1].text == "," and doc[end - 3].text == "," and _aside(doc[end - 2]):
        end -= 3

    def run_left(stop: int) -> int:
        start = stop
        while start > 0 and stop - start < MAX_SOURCE_TOKENS:
            tok = doc[start - 1]
            if tok.text == ")":
                # "Sen. Ann Roe (D-Ore.) said": the parenthesis is part of the name.
                opening = next(
                    (j for j in range(start - 2, max(-1, start - 8), -1) if doc[j].text == "("),
                    None,
                )
                if opening is not None and opening > 0:
                    start = opening
                    continue
            if _is_boundary(tok) or tok.lower_ in lex.stop_before or start in cue_ends:
                break
            start -= 1
        return start

    start = max(run_left(end), _after_dateline(doc, end))
    # "Then a county aide said", "Later Ann Roe said": an opening adverb is no part
    # of who speaks.
    while (
        start < end - 1
        and (start == 0 or _is_boundary(doc[start - 1]))
        and (doc[start].lower_ in _LEADING_ADVERBS)
    ):
        start += 1
    if start < end and start > 1 and doc[start - 1].lower_ in ("and", "&"):
        # Coordinated subjects: "Federal and state officials", "Ann Roe and her
        # aides" — past the "and" when what precedes it is a name or a determiner
        # that opens the sentence or follows a comma.
        left = run_left(start - 1)
        words = doc[left : start - 1]
        if (
            len(words) >= 1
            and (left == 0 or doc[left - 1].text == ",")
            and all(t.text[:1].isupper() or t.lower_ in _DETERMINERS for t in words)
        ):
            start = left
    if start == end and end > 0 and doc[end - 1].text == ",":
        relative = _relative_clause_start(doc, end - 1)
        if relative is not None:
            # "The official, who is not authorized to comment publicly, said": the
            # relative clause is part of the source, and says why it is unnamed.
            name_start = run_left(relative - 1)
            if name_start < relative - 1:
                return name_start, end - 1, None
        role_start = run_left(end - 1)
        if role_start > 1 and doc[role_start - 1].text != ",":
            # The role may hold a relative clause: "X, a former aide who ..., said".
            back = role_start - 1
            while back > 0 and end - back < 2 * MAX_SOURCE_TOKENS:
                if doc[back].text == ",":
                    role_start = back + 1
                    break
                if doc[back].text in ".;:" or doc[back].text in _QUOTE_MARKS:
                    break
                back -= 1
        if role_start > 1 and doc[role_start - 1].text == ",":
            name_start = run_left(role_start - 1)
            if (
                _adverbial_aside(doc[role_start])
                and name_start < role_start - 1
                and doc[name_start].text[:1].isupper()
                and doc[name_start].lower_ not in _OPENING_ADVERBIALS
            ):
                # "Mr. Lowe, in an interview on Friday, said": an adverbial aside
                # between commas, not a role; the name alone speaks.
                return name_start, role_start - 1, None
            if (
                name_start > 0
                and doc[name_start - 1].text == ","
                and _is_state(doc, name_start, role_start - 1)
                and doc[role_start].text[:1].isupper()
            ):
                # "in Hilton Head, S.C., Rubio offered ..., saying": the state closes
                # a place, and what follows it is a clause, not its role.
                return end, end, None
            if (
                doc[role_start].lower_ not in _CONJUNCTIONS  # ", and the talks stalled, said"
                and name_start < role_start - 1
                and doc[name_start].text[:1].isupper()
                and doc[name_start].lower_ not in _OPENING_ADVERBIALS
            ):
                return name_start, role_start - 1, (role_start, end - 1)
        return end, end, None
    return start, end, None


_RELATIVE = frozenset({"who", "whose", "whom"})
_CONJUNCTIONS = frozenset({"and", "but", "or", "so", "yet", "while", "nor"})


def _relative_clause_start(doc: Doc, comma: int) -> int | None:
    """The "who" of ", who ... ," ending at `comma`, if there is one."""
    for j in range(comma - 1, max(0, comma - 1 - MAX_SOURCE_TOKENS), -1):
        if doc[j].text in _QUOTE_MARKS or doc[j].text in ".;:":
            return None
        if doc[j].text == ",":
            return j + 1 if j + 1 < comma and doc[j + 1].lower_ in _RELATIVE else None
    return None


_OPENING_JOINERS = frozenset({"but", "and", "so", "yet", "still", "meanwhile", "instead"})
_LEADING_ADVERBS = _OPENING_JOINERS | frozenset({"then", "later", "now", "also", "earlier"})
_OPENING_ADVERBIALS = frozenset(
    {"in", "on", "at", "during", "after", "before", "back", "earlier", "later", "last",
     "this", "speaking", "asked", "however", "since", "when", "while", "as", "for", "with",
     "without", "although", "though", "despite", "addressing", "responding", "writing",
     "appearing", "over", "by", "from", "like", "unlike", "instead", "then", "now"}
)  # fmt: skip
# "At a recent fundraiser in New York with a celebrity singer, ...": how far the
# comma closing an opening adverbial may be.
_MAX_OPENING_ADVERBIAL = 20
_PREPOSITIONS = frozenset(
    {"in", "on", "at", "of", "for", "with", "to", "by", "from", "about", "after", "before",
     "against", "over", "than", "like", "into"}
)  # fmt: skip
_CLAUSE_SUBJECT_JOINERS = frozenset({"of", "'s", "’s", "-", "&", "de", "van", "von"})
_DETERMINERS = frozenset({"the", "a", "an", "one", "another", "two", "three", "some", "several"})


def _opens_adverbial(tok) -> bool:
    """A first word that opens an adverbial, not a subject: "On Monday,", "As ...",
    "Reading from a text,", "Asked about it,"."""
    lex = lexicon()
    word = tok.lower_
    if word in _OPENING_ADVERBIALS:
        return True
    if word in lex.pronouns or word in _DETERMINERS or not tok.is_alpha:
        return False
    return tok.is_stop or (len(word) > 4 and word.endswith(("ing", "ed")))


# The relations from a participle or second verb up to the verb whose subject it
# shares: "..., saying", "and told", "began by saying" (pcomp of "by", a prep).
_CLIMBS_TO_SUBJECT = frozenset({"advcl", "conj", "xcomp", "dep", "pcomp", "prep"})


_DATELINE_DASHES = frozenset({"—", "–", "--"})
# Words that open an aside of time or place between commas ("X, in an interview on
# Friday, said"), not a role: "from", "with", "as" often open an affiliation instead
# ("X, from the Brookings Institution, said").
_ASIDE_ADVERBIALS = frozenset(
    {"in", "on", "at", "during", "after", "before", "earlier", "later", "last", "this",
     "when", "while", "since"}
)  # fmt: skip


def _adverbial_aside(tok) -> bool:
    return tok.lower_ in _ASIDE_ADVERBIALS


_WEEKDAYS = frozenset(
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
)
_DAY_PARTS = frozenset({"morning", "afternoon", "evening", "night"})


def _before_weekday(doc: Doc, end: int) -> int:
    """Where a source ends before a day that closes it ("Ann Roe on Tuesday said",
    "Ann Roe on Friday night told"): the day is when, not who."""
    j = end
    if j > 1 and doc[j - 1].lower_ in _DAY_PARTS:
        j -= 1
    if j > 1 and doc[j - 1].text in _WEEKDAYS:
        j -= 1
        if j > 1 and doc[j - 1].lower_ in ("on", "last", "this"):
            j -= 1
        if not _is_boundary(doc[j - 1]):
            return j
    return end


def _after_dateline(doc: Doc, before: int) -> int:
    """Where a sentence starts after its dateline ("WASHINGTON —", "DES MOINES,
    Iowa (AP) —"), or 0: a place in capitals is no subject."""
    if not (doc[0].is_alpha and doc[0].is_upper and len(doc[0]) > 1):
        return 0
    after_comma = False
    for j in range(1, min(before, 9)):
        tok = doc[j]
        # a dash with a space before it: "AFL-CIO", "UN Secretary-General" are names
        if tok.text in _DATELINE_DASHES and doc[j - 1].whitespace_:
            return j + 1
        if not (tok.is_upper or tok.text in ",()" or (after_comma and tok.text[:1].isupper())):
            return 0
        after_comma = after_comma or tok.text == ","
    return 0


def _is_state(doc: Doc, start: int, end: int) -> bool:
    return tuple(t.text for t in doc[start:end]) in lexicon().us_states


def _after_state(doc: Doc, start: int, before: int) -> int:
    """Past a state that follows a place's name in an opening adverbial ("At a summit
    in Hilton Head, S.C., Rubio ..."): the state is no subject."""
    for length in (1, 2):
        end = start + length
        if end < before and doc[end].text == "," and _is_state(doc, start, end):
            return end + 1
    return start


def _clause_subject(doc: Doc, cue: tuple[int, int], trained: bool) -> tuple[int, int] | None:
    """The subject of the clause a participle or a second verb hangs on: "Clinton took
    a swipe at Trump, saying ..." / "She greeted supporters and told them ..."."""
    if trained and doc.has_annotation("DEP"):
        head = doc[cue[0]]
        for _ in range(4):
            if head.dep_ not in _CLIMBS_TO_SUBJECT or head.head is head:
                break
            head = head.head
            subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                subject = subjects[0]
                start, end = subject.left_edge.i, subject.right_edge.i + 1
                for tok in doc[start:end]:
                    if tok.text == "," and tok.i > subject.i:
                        end = tok.i
                        break
                if end <= cue[0] and not any(t.text in _QUOTE_MARKS for t in doc[start:end]):
                    return start, end
        return None
    # Rules: the capitalised name (or pronoun) that opens the clause, after a dateline
    # and a short opening adverbial ("On Wednesday, ...").
    start = _after_dateline(doc, cue[0])
    while start < cue[0] and (doc[start].is_punct or doc[start].lower_ in _OPENING_JOINERS):
        start += 1
    if start < cue[0] and _opens_adverbial(doc[start]):
        comma = None
        for j in range(start, min(cue[0] - 1, start + _MAX_OPENING_ADVERBIAL)):
            if doc[j].text == ",":
                comma = j
                break
            if _is_boundary(doc[j]):
                break
        if comma is not None:
            start = _after_state(doc, comma + 1, cue[0])
            if start < cue[0] and doc[start].is_lower and _opens_adverbial(doc[start]):
                # "In Ames, Iowa, on Sunday, Mrs. Clinton ...": a second adverbial
                comma = next(
                    (j for j in range(start, min(cue[0] - 1, start + _MAX_OPENING_ADVERBIAL))
                     if doc[j].text == ","),
                    None,
                )  # fmt: skip
                if comma is not None:
                    start = comma + 1
        elif doc[start].lower_ in _SUBORDINATORS:
            # "Though she called it “outrageous”": the cue is in the subordinate
            # clause, whose subject follows its conjunction.
            start += 1
        else:
            # "On Monday they called it ...": a pronoun after a short phrase is the
            # subject; "As the debate went on and ...", "Now his friends ...", "On
            # Monday Ms. Roe called ...": no subject can be told from the words alone.
            pronouns = lexicon().pronouns - {"it"}
            return next(
                ((j, j + 1) for j in range(start + 1, min(cue[0], start + 7))
                 if doc[j].lower_ in pronouns and doc[j - 1].lower_ not in _PREPOSITIONS),
                None,
            )  # fmt: skip
    elif start + 1 < cue[0] and doc[start + 1].lower_ == "to" and doc[start].is_alpha:
        # "Contrary to his claim", "Thanks to": an adverbial, not a name.
        return None
    while start < cue[0] and doc[start].is_punct:
        start += 1
    if start >= cue[0]:
        return None
    first = doc[start]
    if first.lower_ in lexicon().pronouns:
        return start, start + 1
    end = start
    if first.lower_ in _DETERMINERS and start + 2 < cue[0]:
        end += 2  # "The senator praised ...": a determiner and its noun at least
    while end < cue[0] and (
        doc[end].text[:1].isupper() or (end > start and doc[end].lower_ in _CLAUSE_SUBJECT_JOINERS)
    ):
        end += 1
    while end > start and doc[end - 1].lower_ in _CLAUSE_SUBJECT_JOINERS:
        end -= 1
    # "A Clinton campaign official walked it back": the role after the name.
    heads = lexicon().anonymous_heads
    for j in range(end, min(end + 3, cue[0])):
        if not doc[j].is_lower or not doc[j].is_alpha:
            break
        if doc[j].lower_ in heads:
            end = j + 1
            break
    if end == start or (end == start + 1 and first.lower_ in _DETERMINERS):
        return None
    return start, end


def _strip(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Without punctuation at either end, except quotation marks."""

    def loose(tok) -> bool:
        return (tok.is_punct and tok.text not in _QUOTE_MARKS) or tok.is_space

    while start < end and loose(doc[start]):
        start += 1
    while end > start and loose(doc[end - 1]):
        end -= 1
    return start, end


def _parse_source(doc: Doc, cue: tuple[int, int]) -> tuple[int, int] | None:
    """The subject of the cue verb, from the dependency parse, without appositions."""
    verb = doc[cue[1] - 1]
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None
    subject = subjects[0]
    start, end = subject.left_edge.i, subject.right_edge.i + 1
    for tok in doc[start:end]:
        if tok.text == "," and tok.i > subject.i:
            if tok.i + 1 < end and doc[tok.i + 1].lower_ in _RELATIVE:
                # "The official, who was not authorized to comment, said": all of it.
                end = _strip(doc, start, end)[1]
                if any(t.text in _QUOTE_MARKS for t in doc[start:end]) or start <= cue[0] < end:
                    return None
                return start, end
            else:
                end = tok.i
            break
    if any(t.text in _QUOTE_MARKS for t in doc[start:end]) or start <= cue[0] < end:
        return None
    return start, _cut_after_reason(doc, start, end)


def _parse_content(doc: Doc, cue: tuple[int, int]) -> tuple[int, int] | None:
    verb = doc[cue[1] - 1]
    clauses = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.i > verb.i]
    if not clauses:
        return None
    clause = clauses[0]
    start = clause.left_edge.i
    if doc[start].lower_ == "that":
        start += 1
    return start, clause.right_edge.i + 1


@dataclass
class _Candidate:
    sentence: int
    cue: tuple[int, int]
    source: tuple[int, int]
    role: tuple[int, int] | None
    contents: list  # _Piece or (sentence, start, end) token ranges of a reported clause


def _sentence_candidates(
    i: int,
    doc: Doc,
    pieces: list[_Piece],
    chains: dict[int, list[_Piece]],
    trained: bool,
    previous: _Piece | None = None,
    lone: list | None = None,
) -> list[_Candidate]:
    lone = [] if lone is None else lone
    """`previous` is a quotation that ended the sentence before, in the same
    paragraph: "“...?” | Sanders replied." attributes it. Cues whose source is not
    found are added to `lone`: still proposed, linked to nothing."""
    lex = lexicon()
    cues = _cues(doc, pieces, trained)
    taken = {j for c in cues for j in range(*c)}
    voiced = {
        c: subject
        for c, subject in _unnamed_voice_cues(doc, pieces, trained).items()
        if taken.isdisjoint(range(*c))
    }
    cues = sorted([*cues, *voiced])
    cue_starts = {c[0] for c in cues}
    cue_ends = {c[1] for c in cues}
    found = []
    for cue in cues:
        c0, c1 = cue
        cue_words = tuple(t.lower_ for t in doc[c0:c1])
        # "said ... “...” and urged ...": the parse may hang a stance verb on the clause
        # inside the quotation; the token rules find the speaker as its subject.
        coordinated_stance = (
            c0 > 0 and cue_words[-1] in lex.stance_verbs and doc[c0 - 1].lower_ == "and"
        )
        parse = trained and not coordinated_stance
        before = [p for p in pieces if p.end <= c0]
        after = [p for p in pieces if p.start >= c1]
        role = None
        contents: list = []
        quote_before = before[-1] if before else None
        gap_before = (
            [t for t in doc[quote_before.end : c0] if not t.is_punct] if quote_before else None
        )
        quote_after = after[0] if after else None
        gap_after = (
            [t for t in doc[c1 : quote_after.start] if not t.is_punct] if quote_after else None
        )
        if cue in voiced:
            source = _unnamed_voice_source(doc, cue, voiced[cue], cue_ends)
            if source is None:
                continue
            clause = _parse_content(doc, cue) if trained else None
            contents = [(i, *(clause or _strip(doc, cue[1], len(doc))))]
        elif cue_words == (":",):
            source = _strip(doc, 0, c0)
            contents = [(i, *_strip(doc, c1, len(doc)))]
        elif cue_words in (("according", "to"), ("in", "accordance", "with"), ("in",)):
            if cue_words == ("in",):
                s0, s1 = c1, _opening_poll_end(doc, pieces) or c1
            else:
                s0, s1 = _source_after(doc, c1, cue_starts)
            at_start = all(t.is_punct for t in doc[:c0])
            if at_start:
                comma = next((t.i for t in doc[s1:] if t.text == ","), s1)
                contents = [(i, *_strip(doc, comma + 1, len(doc)))]
            else:
                contents = [(i, *_strip(doc, 0, c0))]
            source = (s0, s1)
        elif (
            quote_before is not None
            and gap_before is not None
            and len(gap_before) <= 8
            # "“...,” calling it “...”": a participle after a quotation is no
            # inverted "“...,” said X"; its subject is the clause's.
            and (gap_before or not cue_words[-1].endswith("ing"))
            and (all(t.i not in cue_starts and t.lower_ not in lex.stop_before for t in gap_before))
            # "“...” in the 2008 primary, said X": a phrase, not the speaker, between.
            and not (
                gap_before and gap_before[0].is_lower and gap_before[0].lower_ in _PREPOSITIONS
            )
        ):
            if gap_before:
                source = _strip(doc, quote_before.end, c0)
            else:
                source = _source_after(doc, c1, cue_starts)
            contents = list(chains[quote_before.chain])
            if quote_after is not None and all(
                t.is_punct for t in doc[max(c1, source[1]) : quote_after.start]
            ):
                # A split quotation: "A," X said, "B" — both halves are X's.
                contents += [
                    p for p in chains[quote_after.chain] if (p.sentence, p.start) >= (i, c1)
                ]
        elif quote_after is not None and gap_after is not None and len(gap_after) <= 3:
            s0, s1, role = _source_before(doc, c0, cue_ends)
            source = (s0, s1)
            if s1 <= s0 or doc[s0].lower_ in lex.stop_after:
                source = _dependent_verb_subject(doc, cue, parse) or source
            contents = [p for p in chains[quote_after.chain] if (p.sentence, p.start) >= (i, c1)]
        elif previous is not None and all(t.is_punct for t in doc[:c0]) and _opens_source(doc, c1):
            # "“...?” | said Ann Lee, a professor." split from its quotation.
            source = _source_after(doc, c1, cue_starts)
            contents = list(chains[previous.chain])
        elif (
            c0 > 0
            and doc[c0 - 1].text == ","
            and _source_before(doc, c0, cue_ends)[:2] == (c0, c0)
            and not cue_words[-1].endswith("ing")
            and _opens_source(doc, c1)
        ):
            # "A final decision is unlikely this month, said one of the people ..."
            source = _source_after(doc, c1, cue_starts)
            contents = [(i, *_strip(doc, 0, c0 - 1))]
        else:
            s0, s1, role = _source_before(doc, c0, cue_ends)
            source = (s0, s1)
            if s1 <= s0 or doc[s0].lower_ in lex.stop_after:
                source = _dependent_verb_subject(doc, cue, parse) or source
            if cue_words[-1] in lex.stance_verbs:
                # What was praised or cited is the object right after the verb ("praised
                # the deal, telling ..."), not a clause after a comma.
                content_start = c1 if c1 < len(doc) and not doc[c1].is_punct else None
            else:
                content_start = _content_start(doc, c1)
            if content_start is None and s0 > 0 and doc[s0 - 1].text == ",":
                # Post-posed: "The plan is dead, officials said Wednesday."
                start = pieces[-1].end if pieces and pieces[-1].end < s0 else 0
                contents = [(i, *_strip(doc, start, s0 - 1))]
            elif content_start is None and previous is not None and s0 <= 1:
                # "“...?” | Sanders replied."
                contents = list(chains[previous.chain])
            else:
                clause = _parse_content(doc, cue) if trained else None
                if clause is None:
                    clause = _strip(doc, content_start if content_start is not None else c1,
                                    len(doc))  # fmt: skip
                contents = [(i, *clause)]
        if trained and doc.has_annotation("DEP") and cue not in voiced and not coordinated_stance:
            parsed = _parse_source(doc, cue)
            # A subject the parser finds inside a quotation ("“Thanks, all,” said
            # Ann Roe") is the quotation's word, not its speaker.
            if (
                parsed is not None
                and parsed[1] > parsed[0]
                and not any(_in_piece(pieces, j) for j in range(*parsed))
            ):
                source = parsed
        if not _noun_phrase_like(doc, source):
            # "Ann Roe continued by saying": the name before the verb; "began by
            # saying", "for saying": no speaker there, the clause's subject is.
            source = (
                _dependent_verb_subject(doc, cue, parse, after_preposition=True)
                or _trim_to_noun_phrase(doc, source)
                or source
            )
        if (
            source[1] <= source[0]
            or doc[source[0]].lower_ in lex.stop_after
            or any(_in_piece(pieces, j) for j in range(*source))
            or not _noun_phrase_like(doc, source)
        ):
            continue
        # "According to the budget office, the deficit will rise": after the comma is
        # what is reported, not a role.
        opens_with_cue = all(t.is_punct for t in doc[:c0])
        if (
            role is None
            and source[1] < len(doc)
            and doc[source[1]].text == ","
            and not (opens_with_cue and source[0] >= c1)
        ):
            r0, r1 = _strip(doc, source[1] + 1, len(doc))
            end = next((t.i for t in doc[r0:r1] if t.text == "," or t.text in _QUOTE_MARKS), r1)
            # "Ann Roe, who chairs the group, said that ...": what follows the comma
            # closing a source before its cue is the cue and what was said, not a role.
            if (
                not (r0 <= c0 < end)
                # "said Ann Roe, in a statement": an adverbial aside, not a role
                and not (r0 < end and _adverbial_aside(doc[r0]))
                and (
                    r0 < end
                    and not doc[r0].text[:1].isupper()
                    or (r0 < end and doc[r0].lower_ in ("a", "an", "the"))
                )
                and not (end == r0 + 1 and _aside(doc[r0]))
            ):
                role = (r0, end)
        found.append(_Candidate(i, cue, source, role, contents))
    # An unnamed subject's verb is a cue only with that subject: alone it is any verb.
    lone.extend(cue for cue in cues if cue not in voiced and not any(c.cue == cue for c in found))
    # "An aide later withdrew the remark, saying ...": where the same subject has a
    # verb of saying, that is its attribution.
    said = [c.source for c in found if c.cue not in voiced]
    found = [
        c for c in found
        if c.cue not in voiced or not any(_overlaps(c.source, s) for s in said)
    ]  # fmt: skip
    return [_end_before_next(doc, cand, found) for cand in found]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _unnamed_voice_source(
    doc: Doc, cue: tuple[int, int], parsed: tuple[int, int] | None, cue_ends: set[int]
) -> tuple[int, int] | None:
    """The unnamed subject of `cue` (`parsed` when the parse gave it), when it opens
    its clause and is only a role: "X told state officials" is no such subject."""
    lex = lexicon()
    if parsed is not None:
        start, end = parsed
        words = doc[start:end]
        if len(words) > MAX_SOURCE_TOKENS or not any(
            t.lower_ in lex.any_unnamed_voice for t in words
        ):
            return None
    else:
        start, end, _ = _source_before(doc, cue[0], cue_ends)
        opens_clause = start == 0 or (
            _is_boundary(doc[start - 1])
            or doc[start - 1].lower_ in lex.stop_before
            or doc[start - 1].lower_ in _OPENING_JOINERS
        )
        ends_at_cue = end == cue[0] or (end == cue[0] - 1 and doc[end].text == ",")
        if not opens_clause or not ends_at_cue or end - start > MAX_SOURCE_TOKENS:
            return None
        words = doc[start:end]
    reason = _find(doc, start, end, lex.anonymity_reasons) or (end, end)

    def verb_or_pronoun(t) -> bool:
        if reason[0] <= t.i < reason[1]:
            return False  # "who asked not to be named"
        if t.lower_ in lex.pronouns or t.text in _QUOTE_MARKS:
            return True
        if t.lower_ not in lex.reporting_verbs and t.lower_ not in lex.quote_verbs:
            return False
        # "Some county officials", "federal and state officials": a noun there.
        before = doc[t.i - 1].lower_ if t.i > start else ""
        return not (
            t.i == start
            or before in lex.cue_blockers_before
            or before in lex.anonymous_determiners
            or before in ("and", "or")
        )

    if any(verb_or_pronoun(t) for t in words):
        return None
    return (start, end) if _unnamed_head(words) else None


_NOT_IN_A_NAME = frozenset(
    {"despite", "during", "since", "while", "because", "although", "though", "as", "if",
     "when", "whether", "but", "and", "or", "so", "yet", "nor", "meanwhile", "however",
     "also", "then", "not", "began", "begins", "begin"}
)  # fmt: skip
# Words a source can neither start nor end with.
_SOURCE_EDGES = _PREPOSITIONS | _NOT_IN_A_NAME


def _noun_phrase_like(doc: Doc, source: tuple[int, int]) -> bool:
    """Whether a source can be a noun phrase at all: it neither starts nor ends with
    a preposition or a conjunction ("for", "began by", "despite"), nor ends on a dash."""
    if source[1] <= source[0]:
        return False
    if all(t.is_space or t.is_punct for t in doc[source[0] : source[1]]):
        return False  # a no-break space before the cue ("speech,\u00a0saying") is no one
    if _find(doc, source[0], source[1], lexicon().anonymity_reasons):
        return True  # "an official who was not authorized to": cut after its reason
    first, last = doc[source[0]], doc[source[1] - 1]
    if first.is_lower and first.lower_ in _SOURCE_EDGES:
        return False
    return not ((last.is_lower and last.lower_ in _SOURCE_EDGES) or last.text in _DASHES)


def _trim_to_noun_phrase(doc: Doc, source: tuple[int, int]) -> tuple[int, int] | None:
    """`source` without the prepositions, conjunctions and past-tense verbs at its
    edges ("Ann Roe continued by" → "Ann Roe"), if what is left can be a source."""
    start, end = source
    while (
        end > start
        and doc[end - 1].is_lower
        and (doc[end - 1].lower_ in _SOURCE_EDGES or doc[end - 1].lower_.endswith("ed"))
    ):
        end -= 1
    while start < end and doc[start].is_lower and doc[start].lower_ in _SOURCE_EDGES:
        start += 1
    trimmed = (start, end)
    return trimmed if trimmed != source and _noun_phrase_like(doc, trimmed) else None


def _opens_source(doc: Doc, i: int) -> bool:
    """Whether a source can start at token i of ", said X": a name, a determiner, a
    pronoun, a title; not a clause ("said the plan was dead")."""
    if i >= len(doc):
        return False
    tok = doc[i]
    lex = lexicon()
    return (
        tok.text[:1].isupper()
        or tok.lower_ in _DETERMINERS
        or tok.lower_ in lex.anonymous_determiners
        or tok.lower_ in lex.anonymous_heads
        or _title_before_name(doc, i)
    )


def _title_before_name(doc: Doc, i: int) -> bool:
    """Lower-case words of a title right before a name: "state professor Ann Beck",
    "former senator Ann Roe"; not "previously that Ann" or "on Monday"."""
    for j in range(i, min(len(doc), i + 3)):
        tok = doc[j]
        if tok.text[:1].isupper():
            return j > i
        if not tok.is_alpha or tok.is_stop or tok.lower_.endswith("ly"):
            return False
        if tok.lower_ in _PREPOSITIONS or tok.lower_ in _ADVERBIAL_STARTS:
            return False
    return False


_ADVERBIAL_STARTS = frozenset(
    {"in", "on", "at", "during", "after", "before", "late", "early", "last", "this", "to",
     "earlier", "later", "yesterday", "today", "tonight", "recently", "again", "also",
     "publicly", "privately", "repeatedly", "previously", "via", "through", "over"}
)  # fmt: skip
_MAX_ADVERBIAL = 6


# "it" and "you" are objects as often ("saying it again", "told you so")
_SUBJECT_PRONOUNS = frozenset({"i", "he", "she", "we", "they"})


def _content_start(doc: Doc, c1: int) -> int | None:
    """Where the reported clause after a cue starts, past "that" and a short adverbial
    ("said in a statement that", "said Wednesday that", "told reporters on Monday
    that"); None when nothing but such an adverbial follows the cue ("..., officials
    said Wednesday.")."""
    end = len(doc)
    while end > c1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end <= c1:
        return None
    first = c1
    while first < end and doc[first].text in (",", ":", "—", "–"):
        first += 1
    if _phrase_at(doc, first, lexicon().anonymity_reasons):
        return None  # "..., he said, on condition of anonymity to speak freely."
    for j in range(first, min(end, first + _MAX_ADVERBIAL + 1)):
        if doc[j].lower_ == "that":
            return j + 1
        if doc[j].text == "," and j > first:
            return j + 1 if j + 1 < end else None
        if _is_boundary(doc[j]):
            break
    words = [t for t in doc[c1:end] if not t.is_punct]
    if len(words) >= 2 and words[0].lower_ in _SUBJECT_PRONOUNS:
        return c1  # "..., saying he lied.": a clause however short
    # Nothing is reported after the cue: "said in a statement.", "said Wednesday."
    if (
        len(words) <= 4
        and (words[0].lower_ in _ADVERBIAL_STARTS or words[0].text[:1].isupper() or len(words) <= 2)
        and not any(t.text in _QUOTE_MARKS for t in doc[c1:end])
    ):
        return None
    return c1


def _dependent_verb_subject(
    doc: Doc, cue: tuple[int, int], trained: bool, after_preposition: bool = False
):
    """A participle or a coordinated cue has no subject of its own: ", saying ...",
    "returned ... and declared" (with `after_preposition`, "began by saying"); its
    source is the subject of the verb it hangs on."""
    c0 = cue[0]
    if c0 == 0:
        return None
    before = doc[c0 - 1]
    participle = doc[c0].lower_.endswith("ing") and (
        before.text in (",", "—", "–") or (after_preposition and before.lower_ in _PREPOSITIONS)
    )
    coordinated = before.lower_ in ("and", "then", "but", "or") or (
        c0 > 1 and doc[c0 - 2].lower_ == "and" and before.lower_ in ("then", "also", "later")
    )
    if not participle and not coordinated:
        return None
    return _clause_subject(doc, cue, trained)


def _end_before_next(doc: Doc, cand: _Candidate, others: list[_Candidate]) -> _Candidate:
    """A reported clause ends where the next attribution in it begins: "said it hopes
    to be treated fairly by the U.S. | after the Financial Times reported that ..."."""
    lex = lexicon()
    contents = []
    for content in cand.contents:
        if isinstance(content, _Piece):
            contents.append(content)
            continue
        sentence, c0, c1 = content
        # Only after the cue: a clause before it ("X decided ..., a source said")
        # holds the attribution inside it, nested.
        starts = [
            min(o.source[0], o.cue[0])
            for o in others
            if o is not cand and c0 < o.source[0] < c1 and o.source[0] > cand.cue[0]
        ]
        # A participle or coordinated verb with our subject is a clause beside ours,
        # not in it: "praised the deal | , telling reporters: ...", "said ... | and
        # urged ...".
        starts += [
            o.cue[0]
            for o in others
            if o is not cand
            and o.source == cand.source
            and c0 < o.cue[0] < c1
            and doc[o.cue[0] - 1].lower_ in (",", "and")
        ]
        if starts:
            c1 = min(starts)
            while c1 > c0 and (
                doc[c1 - 1].lower_ in lex.stop_before
                or (doc[c1 - 1].is_punct and doc[c1 - 1].text not in _CLOSING)
            ):
                c1 -= 1
        contents.append((sentence, c0, c1))
    cand.contents = contents
    return cand


_POSTMODIFIERS = frozenset(
    {"for", "to", "of", "in", "at", "from", "with", "who", "whose", "close", "familiar",
     "on", "briefed", "involved", "knowledgeable", ","}
)  # fmt: skip


def _unnamed_head(tokens) -> bool:
    """The source is a role with no name: "officials", "a State Department spokesman",
    "Senior aides to the governor", "his advisers", "Federal and state officials",
    "The nominee and his aides" (the last of coordinated heads); not "spokesman
    Brian Fallon"."""
    lex = lexicon()
    head = None
    for t in tokens:
        if t.lower_ in _POSTMODIFIERS and head is not None:
            break
        head = t
    return head is not None and head.lower_ in lex.anonymous_heads


# Words that open an aside after a source that may say why it is unnamed.
_ASIDE_OPENERS = frozenset(
    {"who", "speaking", "asking", "requesting", "insisting", "talking", "declining",
     "granted", "like"}
)  # fmt: skip


def _classify(doc: Doc, cand: _Candidate, trained: bool) -> tuple[str, str | None]:
    lex = lexicon()
    s0, s1 = cand.source
    # "Ann Roe, who chairs the group,": the name before the relative clause tells who
    # speaks; the clause may still give a reason for anonymity (searched to s1 below).
    name_end = next(
        (t.i for t in doc[s0 + 1 : s1 - 1] if t.text == "," and doc[t.i + 1].lower_ in _RELATIVE),
        s1,
    )
    tokens = doc[s0:name_end]
    lowered = [t.lower_ for t in tokens]
    tail_end = len(doc)
    for t in doc[s1:]:
        if t.text in ",.;" or t.text in _QUOTE_MARKS:
            tail_end = t.i
            break
    reason_at = _find(doc, s0, tail_end, lex.anonymity_reasons)
    if reason_at:
        return ANONYMOUS, doc[reason_at[0] : tail_end].text
    # Between commas after the source: "An official, speaking on condition of
    # anonymity because ..., said" / "the woman, who spoke on condition of anonymity".
    if s1 + 1 < len(doc) and doc[s1].text == "," and doc[s1 + 1].lower_ in _ASIDE_OPENERS:
        aside_end = next(
            (t.i for t in doc[s1 + 1 :] if t.text in ",.;" or t.text in _QUOTE_MARKS), len(doc)
        )
        reason_at = _find(doc, s1 + 1, aside_end, lex.anonymity_reasons)
        if reason_at:
            return ANONYMOUS, doc[reason_at[0] : aside_end].text
    if cand.role is not None:
        # "The employee, a Republican who spoke on condition of anonymity, said".
        reason_at = _find(doc, cand.role[0], cand.role[1], lex.anonymity_reasons)
        if reason_at:
            return ANONYMOUS, doc[reason_at[0] : cand.role[1]].text
    # The reason may follow the cue: "a spokeswoman said, speaking on condition of
    # anonymity" / "..., an aide said on condition of anonymity."
    reason_at = _find(doc, cand.cue[1], len(doc), lex.anonymity_reasons)
    unnamed = (
        _unnamed_head(tokens)
        or lowered[0] in lex.anonymous_determiners
        or all(w in lex.pronouns for w in lowered)
    )
    if reason_at and unnamed:
        end = next((t.i for t in doc[reason_at[1] :] if t.text in ",.;"), len(doc))
        return ANONYMOUS, doc[reason_at[0] : end].text
    if _find(doc, s0, tail_end, lex.anonymity_descriptors):
        return ANONYMOUS, None
    name = " ".join(w for w in lowered if w not in ("’s", "'s"))
    if _outlet_key(name) in lex.outlets:
        return OTHER_OUTLET, None
    if (
        lowered
        and lowered[0] in lex.anonymous_determiners
        and any(w in lex.anonymous_heads for w in lowered)
    ) or _unnamed_head(tokens):
        return ANONYMOUS, None
    if trained and doc.has_annotation("ENT_IOB"):
        labels = {t.ent_type_ for t in tokens if t.ent_type_}
        cue_words = {t.lower_ for t in doc[cand.cue[0] : cand.cue[1]]}
        if labels & _ORG_ENTS and cue_words & lex.outlet_cues:
            return OTHER_OUTLET, None
        if tokens[-1].ent_type_ == "PERSON":
            return NAMED_PERSON, None
    capitalised = [t for t in tokens if t.text[:1].isupper() and t.is_alpha]
    cue_words = {t.lower_ for t in doc[cand.cue[0] : cand.cue[1]]}
    if capitalised and cue_words & lex.outlet_cues - {"according"}:
        return OTHER_OUTLET, None
    tail = []
    for t in reversed(tokens):
        if t.text[:1].isupper() and (t.is_alpha or t.text.endswith(".")):
            tail.append(t.lower_)
        else:
            break
    role_words = (
        {t.lower_ for t in doc[cand.role[0] : cand.role[1]]} if cand.role is not None else set()
    )
    if len(tail) >= 2 and not set(tail) & lex.organisation_words:
        return NAMED_PERSON, None
    if set(lowered) & lex.organisation_words or (
        len(tail) == 1 and role_words & lex.organisation_words
    ):
        return NAMED_ORG, None
    if trained and tokens[-1].ent_type_ in _ORG_ENTS:
        return NAMED_ORG, None
    if len(tail) == 1 and len(tokens) == 1:
        return NAMED_PERSON, None
    if capitalised:
        return NAMED_ORG, None
    return NAMED_PERSON, None


# How far up the parse a quotation's verb may be: "accused him of “x”" is three
# steps from the quotation to the verb.
_MAX_CLIMB = 8


def _governing_verbs(doc: Doc, piece: _Piece) -> list:
    """The verbs a quotation hangs from, with their subjects, climbing the parse:
    verbs of saying or characterising ("called", "accused ... of"), nearest first
    ("said Ann has “several ways”" climbs past "has" to "said"), then the verb of
    the clause the quotation is in whatever it is ("thanked them for “...”"), since
    such a quotation is most often its subject's words; not the verb of a clause
    above it ("thinks that cats are “cuties”" is not the thinker's word)."""
    verbs = lexicon().reporting_verbs | lexicon().quote_verbs
    head = doc[piece.start : piece.end].root
    saying, nearest = [], None
    for _ in range(_MAX_CLIMB):
        if head.pos_ in ("VERB", "AUX") and head.i < piece.start:
            subjects = [c for c in head.children if c.dep_ == "nsubj" and c.i < piece.start]
            if subjects:
                if head.lower_ in verbs:
                    saying.append((head, subjects[0]))
                if nearest is None:
                    nearest = (head, subjects[0])
        if head.head is head:
            break
        head = head.head
    return saying + ([nearest] if nearest is not None and nearest not in saying else [])


def _partial_quote_speaker(
    i: int, doc: Doc, piece: _Piece, trained: bool, saying_only: bool = False
):
    """The subject of the clause a quotation sits in, with the verb it depends on as
    the cue, when the subject names someone (a name, a pronoun, an unnamed role);
    with `saying_only`, only through a verb of saying or characterising."""
    lex = lexicon()
    verbs = lex.reporting_verbs | lex.quote_verbs
    if trained and doc.has_annotation("DEP"):
        governing = _governing_verbs(doc, piece)
        if saying_only:
            # Only the verb of the quotation's own clause ("is" in "says his book is
            # “One Hundred Years of Solitude”" is not one of saying).
            nearest = max(governing, key=lambda g: g[0].i) if governing else None
            governing = [nearest] if nearest and nearest[0].lower_ in verbs else []
        for head, subject in governing:
            source = (subject.left_edge.i, subject.i + 1)
            found = _speaker(i, doc, source, (head.i, head.i + 1), (piece.start, piece.end), True)
            if found is not None:
                return found
        if governing or saying_only:
            return None
    if not saying_only and (not trained or not doc.has_annotation("DEP")):
        named = _named_verb_before(doc, piece, verbs, trained)
        if named is not None:
            source, cue = named
            return _speaker(i, doc, source, cue, (piece.start, piece.end), trained)
    # Without a parse, or where the parse found no subject for the quotation's
    # clause ("With 50 days to go, Ann Roe, an adviser, called it “...”"): the words.
    source = _clause_subject(doc, (piece.start, piece.start + 1), False)
    if source is None:
        return None
    cue = next(((j, j + 1) for j in range(source[1], piece.start) if doc[j].lower_ in verbs), None)
    subordinated = any(t.lower_ in _SUBORDINATORS for t in doc[source[1] : piece.start])
    if saying_only and cue is not None:
        # "says her film is “The Great Escape”": a clause of its own after the verb.
        subordinated = subordinated or any(t.lower_ in _COPULAS for t in doc[cue[1] : piece.start])
    if saying_only and subordinated:
        return None
    if cue is None and not saying_only and not subordinated:
        # No verb of saying: the clause's own verb, when the quotation is in
        # that clause and not in one it subordinates ("thinks that cats are").
        cue = _verb_after_subject(doc, source[1], piece.start)
    if cue is None:
        return None
    return _speaker(i, doc, source, cue, (piece.start, piece.end), trained)


# How far before a quotation a verb of saying or characterising may stand with its
# name: "what Ann Roe called “...”", "with Sen. Lee calling it a “...”".
_NAMED_VERB_REACH = 8


def _named_verb_before(doc: Doc, piece: _Piece, verbs, trained: bool) -> tuple[tuple, tuple] | None:
    """Without a parse: the nearest verb of saying or characterising before the
    quotation in its clause, when a name or a pronoun stands right before it — the
    quotation's speaker ("Ms. Roe accuses Mr. Lee of “...”", "which she called “...”")."""
    lex = lexicon()
    for j in range(piece.start - 1, max(-1, piece.start - 1 - _NAMED_VERB_REACH), -1):
        tok = doc[j]
        if tok.text in ".;:" or tok.text in _QUOTE_MARKS or tok.text == ",":
            return None
        if tok.lower_ not in verbs or j == 0 or not _is_verb(doc, j, trained):
            continue
        before = doc[j - 1]
        if before.lower_ in lex.pronouns and before.lower_ != "it":
            return (j - 1, j), (j, j + 1)
        start = j
        while (
            start > 0
            and doc[start - 1].text[:1].isupper()
            and (doc[start - 1].is_alpha or doc[start - 1].text.endswith("."))
        ):
            start -= 1
        if start == j or doc[start].is_stop or doc[start].lower_ in _OPENING_ADVERBIALS:
            return None
        if start == 0 or not doc[start - 1].text[:1].isupper():
            return (start, j), (j, j + 1)
        return None
    return None


def _verb_after_subject(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Without a tagger, the verb of "Mr. Roe (then) thanked them" is the first
    lower-case word after the subject, past an adverb."""
    j = start
    while j < end and (doc[j].lower_ in _ADVERBS or doc[j].lower_.endswith("ly")):
        j += 1
    if j < end and doc[j].is_lower and doc[j].is_alpha:
        return j, j + 1
    return None


def _speaker(i: int, doc: Doc, source, cue, content, trained: bool) -> Attribution | None:
    """An attribution to the subject at token range `source`, when it names someone
    (a name, a pronoun, an unnamed role), with `cue` (or none) as its cue."""
    tokens = doc[source[0] : source[1]]
    if not tokens or any(t.text in _QUOTE_MARKS for t in tokens):
        return None
    if not _names_someone(tokens, trained):
        return None
    cand = _Candidate(i, cue or (source[1], source[1]), source, None, [])
    kind, reason = _classify(doc, cand, trained)
    return Attribution(
        kind=kind,
        content=_ref(i, doc[content[0] : content[1]], QUOTE),
        source=_ref(i, tokens, SOURCE),
        cue=_ref(i, doc[cue[0] : cue[1]], CUE) if cue else None,
        reason=reason,
        source_text=tokens.text,
    )


_ADVERBS = frozenset({"then", "also", "later", "again", "still", "just", "once", "even"})


_COPULAS = frozenset({"is", "was", "are", "were", "be"})
_SUBORDINATORS = frozenset(
    {"that", "which", "who", "whether", "if", "because", "since", "when", "while",
     "although", "though", "where", "unless", "until"}
)  # fmt: skip
_NOT_SOMEONE = frozenset(
    {"it", "this", "that", "there", "these", "those", "its", "what", "which", "such"}
)  # fmt: skip


def _names_someone(tokens: Span, trained: bool) -> bool:
    """A subject that can have said something: a name, a personal pronoun, an
    unnamed role ("a spokeswoman"), a capitalised phrase; not "It" or "These"."""
    lex = lexicon()
    first = tokens[0]
    if first.lower_ in _NOT_SOMEONE:
        return False
    if first.lower_ in lex.pronouns or _unnamed_head(tokens):
        return True
    if trained and tokens.root.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return first.text[:1].isupper()


def _name_before_colon(doc: Doc, colon: int) -> tuple[int, int] | None:
    """The tokens before a colon when they are a name alone, from the start of the
    sentence or a dash: capitalised words, "and", "of"."""
    start = colon
    while start > 0 and not (doc[start - 1].is_punct and doc[start - 1].text not in ".'’"):
        start -= 1
    words = doc[start:colon]
    if not 1 <= len(words) <= 6 or words[0].lower_ in _NOT_SOMEONE:
        return None
    if not all(t.text[:1].isupper() or t.lower_ in ("and", "of", "'s", "’s") for t in words):
        return None
    if words[-1].lower_ in ("and", "of") or len(words) == 1 and words[0].is_stop:
        return None
    return start, colon


def _colon_speaker(i: int, doc: Doc, colon: int, trained: bool) -> Attribution | None:
    """Who a clause ending in a colon introduces: "Ms. Roe then listed her terms:" /
    "Mr. Lee boomed: “...”" — its subject, with its verb as the cue."""
    if colon == 0:
        return None
    named = _name_before_colon(doc, colon)
    if named is not None:
        # "Ann Roe and Li Wei: “...”" — a name and a colon, as in a transcript.
        return _speaker(i, doc, named, (colon, colon + 1), (colon, colon + 1), trained)
    if trained and doc.has_annotation("DEP"):
        verb = doc[colon - 1]
        for _ in range(_MAX_CLIMB):
            if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX") or verb.i >= colon:
            return None
        source = _parse_source(doc, (verb.i, verb.i + 1)) or _clause_subject(
            doc, (verb.i, verb.i + 1), trained
        )
        if source is None or source[1] > colon:
            return None
        cue = (verb.i, verb.i + 1)
    else:
        source = _clause_subject(doc, (colon, colon + 1), False)
        if source is None:
            return None
        # The verb: the word before the colon when it is one that introduces
        # ("and boomed:"), else the first word after the subject past an adverb.
        verbs = lexicon().reporting_verbs | lexicon().quote_verbs
        if doc[colon - 1].lower_ in verbs:
            cue = (colon - 1, colon)
        else:
            cue = _verb_after_subject(doc, source[1], colon)
    return _speaker(i, doc, source, cue, (colon, colon + 1), trained)


_DASHES = frozenset({"―", "—", "–", "--"})
_NAME_PARTICLES = frozenset(
    {"de", "del", "da", "van", "von", "der", "la", "le", "bin", "al", "and", "of"}
)  # fmt: skip
_MAX_SIGNATURE = 6


def _signature_name(doc: Doc, start: int) -> tuple[int, int] | None:
    """A name alone from token `start` to the end of the sentence, or up to a
    parenthesis or comma after it: "Ann Roe", "Julie A. Diaz", "Ann Roe (@annroe)"."""
    end = start
    while end < len(doc) and doc[end].text not in ("(", ","):
        end += 1
    while (
        end > start
        and doc[end - 1].text in (".", "!", "?")
        and not (len(doc[end - 1].text) == 1 and end - 1 > start and len(doc[end - 2].text) == 1)
    ):
        end -= 1  # the full stop after the name, not the one of an initial ("A.")
    words = doc[start:end]
    if not 1 <= len(words) <= _MAX_SIGNATURE or not words[0].text[:1].isupper():
        return None
    for t in words:
        if not (t.text[:1].isupper() or t.lower_ in _NAME_PARTICLES or t.text == "."):
            return None
    if words[-1].lower_ in _NAME_PARTICLES or words[0].lower_ in _NOT_SOMEONE:
        return None
    return start, end


def _signature(
    i: int, docs: Sequence[Doc], paragraphs: Sequence[int], piece: _Piece, trained: bool
) -> Attribution | None:
    """A quotation signed after a dash, as an epigraph or a reader's comment is:
    "“...” ― Ann Roe" (the name may be the next sentence of the paragraph)."""
    doc = docs[piece.sentence]
    j = piece.end
    while j < len(doc) and doc[j].text in (".", ","):
        j += 1
    if j >= len(doc) or doc[j].text not in _DASHES:
        return None
    dash = j
    if any(not t.is_punct for t in doc[dash + 1 :]):
        k, at = piece.sentence, dash + 1
    elif (
        piece.sentence + 1 < len(docs)
        and paragraphs[piece.sentence + 1] == paragraphs[piece.sentence]
    ):
        k, at = piece.sentence + 1, 0
    else:
        return None
    named = _signature_name(docs[k], at)
    if named is None:
        return None
    name = docs[k][named[0] : named[1]]
    cand = _Candidate(k, (named[0], named[0]), named, None, [])
    kind, reason = _classify(docs[k], cand, trained)
    return Attribution(
        kind=kind,
        content=_ref(piece.sentence, doc[piece.start : piece.end], QUOTE),
        source=_ref(k, name, SOURCE),
        cue=_ref(piece.sentence, doc[dash : dash + 1], CUE),
        reason=reason,
        source_text=name.text,
    )


_POSSESSIVES = frozenset({"'s", "’s"}) | _POSSESSIVE_PRONOUNS


def _owned_title(doc: Doc, start: int) -> bool:
    """A title-case quotation someone's ("MSNBC’s “Morning Joe”", "his 1994 “Contract
    with Voters”") names a programme or a work: it is nobody's words."""
    j = start - 1
    if j > 0 and doc[j].like_num:
        j -= 1  # "his 1994 “...”"
    return j >= 0 and doc[j].lower_ in _POSSESSIVES


def _resolve_pronoun(doc: Doc, speaker: Attribution, last: Attribution | None) -> None:
    """Who a pronoun that speaks a partial quotation is: the named subject of its own
    sentence before it ("Ann Roe condemned what she called “...”"), else the last
    speaker named ("He did not address the tweets in which he called her “...”")."""
    at = tokens_of(doc).index(speaker.source.start)
    subject = _clause_subject(doc, (at, at + 1), False)
    if subject is not None and doc[subject[0]].lower_ not in lexicon().pronouns:
        cand = _Candidate(0, (subject[1], subject[1]), subject, None, [])
        speaker.kind, speaker.reason = _classify(doc, cand, False)
        speaker.resolved_to = doc[subject[0] : subject[1]].text
    elif last is not None:
        speaker.resolved_to = last.resolved_to or last.source_text
        speaker.kind, speaker.reason = last.kind, last.reason


def _governing(
    doc: Doc, piece: _Piece, here: list[tuple["_Candidate", Attribution]], trained: bool
) -> Attribution | None:
    """The attribution of this sentence that a quotation left over belongs to: with
    the parse, the one whose cue the quotation hangs from; else the nearest cue
    before it (or after it, when none is before)."""
    if not here:
        return None
    if trained and doc.has_annotation("DEP"):
        root = doc[piece.start : piece.end].root
        ancestors = {t.i for t in root.ancestors}
        for cand, attribution in here:
            if cand.cue[1] - 1 in ancestors:
                return attribution
        return None
    before = [(cand.cue[1], a) for cand, a in here if cand.cue[1] <= piece.start]
    if before:
        return max(before, key=lambda x: x[0])[1]
    after = [(cand.cue[0], a) for cand, a in here if cand.cue[0] >= piece.end]
    return min(after, key=lambda x: x[0])[1] if after else None


def _outside_quotes(found: Attribution | None, docs, by_sentence) -> Attribution | None:
    """`found`, unless its source is a word of a quotation ("chanting “We are
    Orlando”" has no speaker named Orlando)."""
    if found is None or found.source is None:
        return found
    ref = found.source
    for p in by_sentence.get(ref.sentence, ()):
        span = docs[ref.sentence][p.start : p.end]
        if span.start_char < ref.end and ref.start < span.end_char:
            return None
    return found


def find_attributions(
    docs: Sequence[Doc], paragraphs: Sequence[int], trained: bool, english: bool = True
) -> Found:
    """QUOTE, SOURCE and CUE spans per sentence, and the attributions linking them.
    Text that is not English gets its quotations, without speakers or cues."""
    lex = lexicon()
    pieces = _quote_pieces(docs, paragraphs)
    by_sentence: dict[int, list[_Piece]] = {}
    chains: dict[int, list[_Piece]] = {}
    for p in pieces:
        by_sentence.setdefault(p.sentence, []).append(p)
        chains.setdefault(p.chain, []).append(p)
    found = Found(spans=[[] for _ in docs])
    seen: set[tuple] = set()

    def add_span(ref: SpanRef, attrs: dict | None = None) -> None:
        if ref.key not in seen:
            seen.add(ref.key)
            found.spans[ref.sentence].append((ref.start, ref.end, ref.label, attrs or {}))

    last: Attribution | None = None
    last_paragraph = -1
    lone: list[tuple[int, int]] = []
    # An attribution whose sentence ends with a colon, and its paragraph: the
    # quotation opening the next paragraph is its content.
    introduced: tuple[Attribution, int] | None = None
    for i, doc in enumerate(docs):
        sentence_pieces = by_sentence.get(i, [])
        if (
            not sentence_pieces
            and not _may_have_cue(doc_words(doc))
            and not (len(doc) and doc[-1].text == ":")
            and _name_colon(doc, []) is None
        ):
            continue
        attributed_here: list[Attribution] = []
        previous = None
        if i > 0 and paragraphs[i] == paragraphs[i - 1] and by_sentence.get(i - 1):
            last_piece = by_sentence[i - 1][-1]
            before = docs[i - 1]
            if all(t.is_punct for t in before[last_piece.end :]):
                previous = last_piece
        candidates = (
            _sentence_candidates(i, doc, sentence_pieces, chains, trained, previous, lone)
            if english
            else []
        )
        for c0, c1 in lone:
            add_span(_ref(i, doc[c0:c1], CUE))
        lone.clear()
        here: list[tuple[_Candidate, Attribution]] = []
        for cand in candidates:
            kind, reason = _classify(doc, cand, trained)
            source_span = doc[cand.source[0] : cand.source[1]]
            source = _ref(i, source_span, SOURCE)
            cue = _ref(i, doc[cand.cue[0] : cand.cue[1]], CUE)
            resolved = None
            if source_span.text.casefold() in lex.pronouns and len(source_span) == 1:
                if last is not None:
                    resolved = last.resolved_to or last.source_text
                    if reason is None:
                        # "..., he said, on condition of anonymity": his own reason.
                        kind, reason = last.kind, last.reason
                elif reason is None:
                    kind = UNATTRIBUTED
            role_span = doc[cand.role[0] : cand.role[1]] if cand.role else None
            role = role_span.text if role_span is not None else None
            add_span(source, {"kind": kind, **({"role": role} if role else {})})
            add_span(cue)
            base = dict(
                kind=kind, source=source, cue=cue, reason=reason, resolved_to=resolved,
                source_text=source_span.text,
                role=_ref(i, role_span, "ROLE") if role_span is not None else None,
            )  # fmt: skip
            here.append((cand, Attribution(content=source, **base)))
            for content in cand.contents:
                if isinstance(content, _Piece):
                    if _names_a_work(docs[content.sentence], content.start, content.end):
                        continue
                    content.attributed = True
                    span = docs[content.sentence][content.start : content.end]
                    if content.sentence < i:
                        # Decided at its end without a speaker, or given the last
                        # speaker; this sentence's own "Sanders replied." is better.
                        key = (content.sentence, span.start_char, span.end_char)
                        found.attributions = [
                            a for a in found.attributions
                            if (a.content.sentence, a.content.start, a.content.end) != key
                        ]  # fmt: skip
                    attributed_here.append(
                        Attribution(content=_ref(content.sentence, span, QUOTE), **base)
                    )
                    continue
                sentence, c0, c1 = content
                if c1 <= c0:
                    continue
                attributed_here.append(
                    Attribution(
                        content=_ref(sentence, docs[sentence][c0:c1], "CONTENT"),
                        direct=False,
                        **base,
                    )
                )
                # Quotations inside a reported clause are the same speaker's words.
                for p in sentence_pieces:
                    inside = c0 <= p.start < c1
                    if inside and not p.attributed and not _names_a_work(doc, p.start, p.end):
                        p.attributed = True
                        attributed_here.append(
                            Attribution(content=_ref(i, doc[p.start : p.end], QUOTE), **base)
                        )
        # A quotation with no cue of its own is decided where it ends, since a
        # cue after it ("“...,” said X") may still come.
        for ending in sentence_pieces:
            chain = chains[ending.chain]
            if ending is not chain[-1] or any(p.attributed for p in chain):
                continue
            spans = [docs[p.sentence][p.start : p.end] for p in chain]
            speaker = None
            own = len(chain) == 1 and chain[0].sentence == i and not _title_case(doc)
            if own and _owned_title(doc, chain[0].start) and _title_words(spans[0]):
                # "said on CNN’s “State of the Union.”": a programme's name, even with
                # the sentence's full stop inside its marks.
                continue
            if any(_is_title(span) for span in spans):
                # Capitalised words in quotation marks are a title (“The Great
                # Escape”) unless a verb of saying puts them in someone's mouth
                # ("Mr. Lee cited “Obama-Clinton” policies").
                if own and chain[0].start > 0:
                    speaker = _outside_quotes(
                        _partial_quote_speaker(i, doc, chain[0], trained, saying_only=True),
                        docs,
                        by_sentence,
                    )
                if speaker is None:
                    continue
                add_span(speaker.source, {"kind": speaker.kind})
                if speaker.cue is not None:
                    add_span(speaker.cue)
            if speaker is None:
                speaker = _signature(i, docs, paragraphs, chain[-1], trained)
                if speaker is not None:
                    add_span(speaker.source, {"kind": speaker.kind})
                    add_span(speaker.cue)
            if own and speaker is None:
                # A quotation inside a sentence that has a speaker of its own: the
                # attribution whose cue governs it ("X said Y has “several ways”
                # of ..., including the “unbound” delegates").
                speaker = _governing(doc, chain[0], here, trained)
            opening = docs[chain[0].sentence]
            if speaker is None and chain[0].start > 0 and opening[chain[0].start - 1].text == ":":
                # "Mr. Lee boomed: “...”", the quotation running on or not.
                speaker = _outside_quotes(
                    _colon_speaker(chain[0].sentence, opening, chain[0].start - 1, trained),
                    docs,
                    by_sentence,
                )
                if speaker is not None:
                    add_span(speaker.source, {"kind": speaker.kind})
                    if speaker.cue is not None:
                        add_span(speaker.cue)
            if speaker is None and own and chain[0].start > 0:
                # A partial quotation in the sentence's own clause: "Ms. Roe called
                # the plan “a fantasy”" — the words are the clause subject's.
                speaker = _outside_quotes(
                    _partial_quote_speaker(i, doc, chain[0], trained), docs, by_sentence
                )
                if speaker is not None and speaker.source_text.casefold() in lex.pronouns:
                    _resolve_pronoun(doc, speaker, last)
                if speaker is not None:
                    add_span(speaker.source, {"kind": speaker.kind})
                    if speaker.cue is not None:
                        add_span(speaker.cue)
            if speaker is None and last is not None and last_paragraph == paragraphs[i]:
                speaker = last
            first = chain[0].sentence
            opens_paragraph = chain[0].start == 0 and (
                first == 0 or paragraphs[first - 1] != paragraphs[first]
            )
            if (
                speaker is None
                and introduced is not None
                and opens_paragraph
                and paragraphs[first] == introduced[1] + 1
            ):
                # "Dr. Ward stated: | “...”": the paragraph the colon opens.
                speaker = introduced[0]
                if speaker.source is not None:
                    add_span(speaker.source, {"kind": speaker.kind})
                if speaker.cue is not None:
                    add_span(speaker.cue)
                introduced = (speaker, paragraphs[first])
            if (
                speaker is None
                and opens_paragraph
                and last is not None
                and last_paragraph == paragraphs[first] - 1
            ):
                # A paragraph that is a quotation and names no one goes on with the
                # speaker of the paragraph before (news style: the quote runs on).
                speaker = last
            words = sum(len(_words(span)) for span in spans)
            if speaker is None and (
                words < MIN_UNATTRIBUTED_QUOTE_WORDS
                or not (chain[0].start == 0 or _ends_sentence(spans[-1]))
            ):
                continue
            for p, span in zip(chain, spans, strict=True):
                p.attributed = True
                if speaker is None:
                    attributed_here.append(
                        Attribution(kind=UNATTRIBUTED, content=_ref(p.sentence, span, QUOTE))
                    )
                    continue
                attributed_here.append(
                    Attribution(
                        kind=speaker.kind,
                        content=_ref(p.sentence, span, QUOTE),
                        source=speaker.source,
                        cue=speaker.cue,
                        reason=speaker.reason,
                        resolved_to=speaker.resolved_to or speaker.source_text,
                        source_text=speaker.source_text,
                        role=speaker.role,
                    )
                )
        if introduced is not None and paragraphs[i] > introduced[1] + 1:
            introduced = None
        ends_with_colon = len(doc) > 0 and doc[-1].text == ":"
        if ends_with_colon and not candidates and english:
            # Its spans are proposed when a quotation takes it as its speaker.
            speaker = _outside_quotes(
                _colon_speaker(i, doc, len(doc) - 1, trained), docs, by_sentence
            )
            if speaker is not None:
                introduced = (speaker, paragraphs[i])
        if ends_with_colon and candidates:
            introduced_by = next((a for a in attributed_here if a.source is not None), None)
            if introduced_by is None:
                cand = candidates[-1]
                kind, reason = _classify(doc, cand, trained)
                source_span = doc[cand.source[0] : cand.source[1]]
                introduced_by = Attribution(
                    kind=kind, content=_ref(i, doc[len(doc) - 1 : len(doc)], "CONTENT"),
                    source=_ref(i, source_span, SOURCE),
                    cue=_ref(i, doc[cand.cue[0] : cand.cue[1]], CUE),
                    reason=reason, source_text=source_span.text,
                )  # fmt: skip
            introduced = (introduced_by, paragraphs[i])
        attributed_here.sort(key=lambda a: (a.content.sentence, a.content.start))
        for a in attributed_here:
            if a.direct:
                add_span(a.content)
            found.attributions.append(a)
            if a.source is not None:
                last = a
                last_paragraph = paragraphs[i]
    return found
