"""Flag paragraphs that are not part of the report: author bios, sharing and
newsletter prompts, copyright lines. They are kept and shown, never proposed on.

The cues and their weights live in data/boilerplate.json.
"""

import functools
import re
from dataclasses import dataclass

from annotator.datafiles import read_data

_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|myself)\b")
_WORD = re.compile(r"\b\w+\b")


@dataclass(frozen=True)
class Verdict:
    boilerplate: bool
    reason: str | None


@dataclass(frozen=True)
class _Cue:
    why: str
    weight: int
    pattern: re.Pattern


@functools.cache
def _rules() -> tuple[dict, list[_Cue]]:
    data = read_data("annotator.core", "boilerplate.json")
    cues = [
        _Cue(c["why"], c["weight"], re.compile(c["pattern"], re.IGNORECASE | re.MULTILINE))
        for c in data["cues"]
    ]
    return data, cues


def judge(paragraph: str, *, is_last: bool) -> Verdict:
    """Weigh the cues in `paragraph`; quoted speech never counts as a cue."""
    data, cues = _rules()
    unquoted = _QUOTED.sub(" ", paragraph)
    found: list[tuple[int, str]] = [(c.weight, c.why) for c in cues if c.pattern.search(unquoted)]
    rule = data["first_person"]
    first_person = len(_FIRST_PERSON.findall(unquoted))
    words = len(_WORD.findall(unquoted)) or 1
    if first_person >= rule["min_count"] and first_person / words >= rule["min_share"]:
        found.append((rule["weight"], rule["why"]))
    score = sum(weight for weight, _ in found)
    if not found:
        return Verdict(False, None)
    if is_last:
        score += data["last_paragraph_weight"]
    if score < data["threshold"]:
        return Verdict(False, None)
    reasons = [why for _, why in found] + (["last paragraph"] if is_last else [])
    return Verdict(True, "; ".join(reasons))
