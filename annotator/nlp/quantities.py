"""QUANTITY proposals: numbers with their qualifier, scale and unit, normalised.

A linear scan over tokens rather than Matcher patterns, because the value has to
be computed from the same tokens that make the span ("more than 1 million" →
value 1000000, qualifier ">"). The words it knows are in data/quantities.json.
"""

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc

from annotator.core.calendar import MONTH_ABBREVIATIONS, MONTHS
from annotator.datafiles import read_data
from annotator.nlp.extensions import doc_words
from annotator.nlp.tokens import tokens_of

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# "$40m", "$1.2bn", and "$1million" written without a space, as some papers do.
_DIGITS_WITH_SCALE = re.compile(
    r"^(\d+(?:\.\d+)?)(k|m|mn|bn|b|tn|thousand|million|billion|trillion)$", re.IGNORECASE
)
# A year written as a number, without the comma of a count: "2016".
_YEAR = re.compile(r"^(?:18|19|20)\d\d$")
_MONTHS = frozenset(MONTHS) | MONTH_ABBREVIATIONS
# "the 1970s": a decade.
_DECADE = re.compile(r"^(1[0-9]|20)([0-9])0s$")
# Adjectives that end like a plural but count nothing ("two previous elections").
_NOT_PLURAL_ENDINGS = ("ous", "ss", "us", "is")
# Plural words that are not counted nouns.
_IRREGULAR_PLURALS = frozenset(
    "people children men women staff personnel police workers cattle".split()
)
_NOT_UNITS = frozenset(
    "is was has as us this its his hers ours yours theirs less unless thus whereas "
    "always perhaps across towards afterwards besides does goes".split()
)


@dataclass(frozen=True)
class Lexicon:
    qualifiers: tuple[tuple[tuple[str, ...], str], ...]
    scales: dict[str, float]
    number_words: dict[str, float]
    currency_symbols: dict[str, str]
    currency_words: dict[str, str]
    percent_words: frozenset[str]
    range_joiners: tuple[str, ...]
    unit_lead_words: frozenset[str]


@functools.cache
def lexicon() -> Lexicon:
    data = read_data("annotator.nlp", "quantities.json")
    qualifiers = sorted(
        ((tuple(q["tokens"]), q["qualifier"]) for q in data["qualifiers"]),
        key=lambda q: -len(q[0]),
    )
    return Lexicon(
        qualifiers=tuple(qualifiers),
        scales=data["scales"],
        number_words=data["number_words"],
        currency_symbols=data["currency_symbols"],
        currency_words=data["currency_words"],
        percent_words=frozenset(data["percent"]),
        range_joiners=tuple(data["range_joiners"]),
        unit_lead_words=frozenset(data["unit_words_after_number_words"]),
    )


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 6)


@functools.cache
def _anchor_pattern(english: bool) -> re.Pattern:
    """Where a quantity can be: a digit, a currency sign, or (in English) a number word."""
    lex = lexicon()
    symbols = "".join(re.escape(s) for s in lex.currency_symbols if len(s) == 1)
    alternatives = [r"\d", f"[{symbols}]"]
    if english:
        words = sorted(set(lex.number_words) | {"between"}, key=len, reverse=True)
        alternatives.append(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")
    return re.compile("|".join(alternatives), re.IGNORECASE)


_DIGIT_OR_SIGN = re.compile(r"[\d$€£¥₹₩₽]")


@functools.cache
def _number_words() -> frozenset[str]:
    return frozenset(lexicon().number_words) | {"between", "rmb"}


def _maybe_number(text: str, words: frozenset[str], english: bool) -> bool:
    if _DIGIT_OR_SIGN.search(text):
        return True
    return english and not words.isdisjoint(_number_words())


class _Scanner:
    def __init__(self, doc: Doc, english: bool):
        self.tokens = tokens_of(doc)
        self.length = len(doc)
        self.english = english
        self.lex = lexicon()

    def word(self, i: int) -> str:
        return self.tokens.lower[i] if i < self.length else ""

    def qualifier(self, i: int) -> tuple[str | None, int]:
        if not self.english:
            return None, i
        first = self.word(i)
        for tokens, qualifier in self.lex.qualifiers:
            if tokens[0] == first and all(
                self.word(i + k) == w for k, w in enumerate(tokens[1:], 1)
            ):
                return qualifier, i + len(tokens)
        return None, i

    def number(self, i: int) -> tuple[float | None, int, bool]:
        """(value, next index, written in digits)"""
        text = self.word(i)
        if _DIGITS.match(text):
            return float(text.replace(",", "")), i + 1, True
        scaled = _DIGITS_WITH_SCALE.match(text)
        if scaled:
            return float(scaled.group(1)) * self.lex.scales[scaled.group(2).lower()], i + 1, True
        if _DECADE.match(text):
            return float(text[:-1]), i + 1, True
        if self.english and text in self.lex.number_words:
            value = self.lex.number_words[text]
            # twenty-five
            if self.word(i + 1) == "-" and self.word(i + 2) in self.lex.number_words:
                return value + self.lex.number_words[self.word(i + 2)], i + 3, False
            return value, i + 1, False
        return None, i, False

    def is_scale(self, i: int) -> bool:
        word = self.word(i)
        if not self.english or word not in self.lex.scales:
            return False
        # "40m" split by the tokenizer counts; "5 m" may be metres.
        return len(word) > 2 or not self.tokens.space_after(i - 1)

    def candidate_starts(self) -> list[int]:
        """Token indices where a match could start: a few tokens before each anchor,
        room for a qualifier ("more than") and a currency sign. Scanning only these
        keeps the rule pipeline near the tokenizer's speed."""
        tokens = self.tokens
        if not _maybe_number(tokens.text, doc_words(tokens.doc), self.english):
            return []
        reach = max((len(words) for words, _ in self.lex.qualifiers), default=0) + 1
        found: set[int] = set()
        starts = tokens.starts
        ends = tokens.ends
        for match in _anchor_pattern(self.english).finditer(tokens.text):
            # The token the match begins in, as char_span(..., "expand") finds it.
            first = bisect_right(starts, match.start()) - 1
            if first < 0 or ends[first] <= match.start():
                first += 1
            if first >= self.length or starts[first] >= match.end():
                continue
            found.update(range(max(0, first - reach), first + 1))
        return sorted(found)

    def scan(self) -> list[tuple[int, int, dict]]:
        found = []
        done = 0
        for i in self.candidate_starts():
            if i < done:
                continue
            match = self.at(i)
            if match:
                found.append(match)
                done = match[1]
        return found

    def at(self, start: int) -> tuple[int, int, dict] | None:
        between = self.english and self.word(start) == "between"
        qualifier, i = (None, start + 1) if between else self.qualifier(start)
        currency = self.lex.currency_symbols.get(self.word(i))
        if currency:
            i += 1
        number_at = i
        value, i, in_digits = self.number(i)
        if value is None:
            return None
        plain = currency is None and qualifier is None and not between
        if plain and i == number_at + 1 and self.is_day_of_month(number_at, value):
            return None  # "July 25", "25 July": a date, not a figure
        if self.is_scale(i):
            value *= self.lex.scales[self.word(i)]
            i += 1
        high = None
        joiners = ("and",) if between else self.lex.range_joiners
        if between and self.word(i) not in joiners:
            return None
        if self.word(i) in joiners and self.word(i + 1):
            upper, after, _ = self.number(i + 1)
            if upper is not None:
                high, i = upper, after
                if self.is_scale(i):
                    scale = self.lex.scales[self.word(i)]
                    value, high, i = value * scale, high * scale, i + 1
        unit = currency
        if _DECADE.match(self.word(i - 1)) and high is None:
            unit = "decade"
        if self.word(i) == "%" or (self.english and self.word(i) in self.lex.percent_words):
            unit, i = "%", i + 1
        elif self.english and self.word(i) == "per" and self.word(i + 1) == "cent":
            unit, i = "%", i + 2
        elif self.english and self.word(i) in self.lex.currency_words:
            unit, i = self.lex.currency_words[self.word(i)], i + 1
        elif (
            unit is None
            and currency is None
            and not between
            and high is None
            and i == number_at + 1
            and _YEAR.match(self.word(number_at))
        ):
            # "the 2016 presidency", "2020 campaigns", "About 2016 Presidency": a year
            # (a count that large is written with its comma), and no word before it
            # qualifies it.
            start, qualifier, unit = number_at, None, "year"
        elif unit is None and self.english:
            i, unit = self.counted_noun(i)
        if unit is None and qualifier is None and high is None:
            if in_digits and 1800 <= value <= 2100 and self.word(start).isdigit():
                unit = "year"
            elif not in_digits and value <= 1:
                # "one of the people", "half": rarely a claim on their own
                return None
        attrs = {"value": _number(value), "unit": unit, "qualifier": qualifier or "="}
        if high is not None:
            attrs["value_max"] = _number(high)
        return start, i, attrs

    def is_day_of_month(self, at: int, value: float) -> bool:
        """ "July 25", "25 July", and the 28 of "Oct. 25-28"."""
        if not (self.english and 1 <= value <= 31 and self.word(at).isdigit()):
            return False
        if (at > 0 and self.word(at - 1) in _MONTHS) or self.word(at + 1) in _MONTHS:
            return True
        return (
            at > 2
            and self.word(at - 1) in self.lex.range_joiners
            and self.word(at - 2).isdigit()
            and self.word(at - 3) in _MONTHS
        )

    def counted_noun(self, i: int) -> tuple[int, str | None]:
        """A lower-case plural right after the number: "40 lawmakers", "three other firms"."""
        lead = self.word(i)
        j = i + 1 if lead in self.lex.unit_lead_words or lead.endswith("ous") else i
        if j >= self.length:
            return i, None
        text = self.tokens.token_text(j)
        if text in _IRREGULAR_PLURALS or (
            text.isalpha()
            and text.islower()
            and text.endswith("s")
            and not text.endswith(_NOT_PLURAL_ENDINGS)
            and len(text) > 3
            and text not in _NOT_UNITS
        ):
            return j + 1, text
        return i, None


def find_quantities(doc: Doc, *, english: bool = True) -> list[tuple[int, int, dict]]:
    """QUANTITY spans as (start, end) character offsets with their attrs (value,
    unit, qualifier); digits only when not English."""
    found = []
    tokens = tokens_of(doc)
    for start, end, attrs in _Scanner(doc, english).scan():
        if attrs["unit"] is None and doc.has_annotation("DEP"):
            # With a parse, the noun a number counts names its unit without changing the span.
            head = doc[end - 1].head
            if doc[end - 1].dep_ == "nummod" and head.pos_ in ("NOUN", "PROPN"):
                attrs["unit"] = head.lemma_.lower() or head.lower_
        found.append((*tokens.char_range(start, end), attrs))
    return found
