"""What a number measures, and whether two figures for one measure disagree.

"178,000 jobs in the typical month" and "roughly 182,000 new jobs a month" are
both (jobs, month): a count of jobs per month. A percentage or an amount of money
measures the noun after "of", "in" or "for" ("50 percent of voters", "$8 billion
in tax cuts"). Two figures for one measure disagree when they differ by more
than their rounding allows: half a unit of the last significant digit written,
and a few units when a rounding word ("roughly", "about") says the figure is
approximate; "more than" and "less than" figures disagree only with a figure on
the wrong side of them.
"""

import math
import re

from annotator.contradictions.terms import stem

# Units that are not the thing counted: the noun after them is.
_SCALAR_UNITS = frozenset({"%", "USD", "EUR", "GBP", "CNY", "JPY", "percent", "points"})
_PERIOD = re.compile(
    r"^[\w\s,-]{0,40}?\b(?:a|per|each|every|the typical|in a|in the typical|on average a)\s+"
    r"(day|week|month|quarter|year)\b",
    re.IGNORECASE,
)
_OF_NOUN = re.compile(
    r"^\s*(?:of|in|for|on)\s+(?:(?:the|a|an|all|their|its|his|her|new|total|annual)\s+)*"
    r"([A-Za-z][\w-]+)"
)
_COMPOUND = re.compile(r"^-([A-Za-z]+)\s+([A-Za-z]+)")
_REMAINDER = re.compile(
    r"^\s+(?:other|additional|further|more)\b|\s(?:other|additional|more)\s", re.I
)
_OF_A_WHOLE = r"of\s+(?:the|its|their|his|her|our|only|all)?\s*(?:only\s+)?"
_PART = re.compile(
    rf"^\s*(?:\w+\s+)?{_OF_A_WHOLE}(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I
)
_WHOLE = re.compile(
    rf"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten)\s+{_OF_A_WHOLE}$", re.I
)
# Units of the last significant digit a rounding word allows between two figures.
_ROUNDING_WORD_UNITS = 2


def measure(text: str, start: int, end: int, unit: str) -> tuple[str, str] | None:
    """(what is counted, per which period or "") for the number text[start:end];
    None for a percentage or an amount whose noun is not named."""
    after = text[end : end + 60]
    if text[:start].rstrip().casefold().endswith(unit.casefold()):
        # "Boeing 757": a number after the word it would count is part of a name.
        return None
    compound = _COMPOUND.match(after)
    if compound:
        # "a 26-delegate advantage" measures the advantage, not delegates.
        return f"{stem(compound.group(1).casefold())} {stem(compound.group(2).casefold())}", ""
    counted = stem(unit.casefold())
    if _REMAINDER.search(text[start:end]) or _REMAINDER.match(after):
        # "Ambassador Stevens and three other Americans": a count of the rest.
        counted = f"other:{counted}"
    elif _PART.match(after):
        # "334 of the 865 delegates": a part, not the whole.
        counted = f"part:{counted}"
    elif _WHOLE.search(text[max(0, start - 40) : start]):
        # "one of only 10 states", "23 of its 29 delegates": the whole a part is of.
        counted = f"whole:{counted}"
    if unit in _SCALAR_UNITS or not unit.isalpha():
        found = _OF_NOUN.match(after)
        if not found:
            # "$2.5 billion" alone: an amount of what, the text does not say here.
            return None
        counted = f"{unit}:{stem(found.group(1).casefold())}"
    period = _PERIOD.match(after)
    return counted, period.group(1).casefold() if period else ""


def _last_digit_unit(value: float) -> float:
    """The place value of the last significant digit: 182000 -> 1000, 2.5 -> 0.1."""
    if value == 0:
        return 1.0
    if float(value).is_integer():
        number = int(abs(value))
        unit = 1
        while number % 10 == 0 and number:
            number //= 10
            unit *= 10
        return float(unit)
    decimals = len(repr(float(value)).split(".")[1].rstrip("0"))
    return math.pow(10, -decimals)


def disagree(a: tuple, b: tuple) -> bool:
    """`a` and `b`: (measure, value, qualifier, ...) for the same measure."""
    _, value_a, qualifier_a, *_ = a
    _, value_b, qualifier_b, *_ = b
    if qualifier_a == ">" and qualifier_b in ("=", "~"):
        return value_b <= value_a
    if qualifier_b == ">" and qualifier_a in ("=", "~"):
        return value_a <= value_b
    if qualifier_a == "<" and qualifier_b in ("=", "~"):
        return value_b >= value_a
    if qualifier_b == "<" and qualifier_a in ("=", "~"):
        return value_a >= value_b
    if qualifier_a not in ("=", "~") or qualifier_b not in ("=", "~"):
        return False
    allowed = 0.0
    for value, qualifier in ((value_a, qualifier_a), (value_b, qualifier_b)):
        units = _ROUNDING_WORD_UNITS if qualifier == "~" else 0.5
        allowed = max(allowed, units * _last_digit_unit(value))
    return abs(value_a - value_b) > allowed
