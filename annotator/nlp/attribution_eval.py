"""Scoring quotes and attributions against brat gold (PolNeAR, PARC-style).

Each document is segmented as ingest segments it, run through the pipeline, and
its proposals are put back into document offsets. The figures:

- direct quotes: every stretch between quotation marks inside a gold `Content`
  is a gold quote, cut to its marks; predicted QUOTE spans (a quotation running
  over several sentences joined back into one) are compared with the marks
  stripped, exactly, and word by word (token-overlap P/R/F1, Citron's partial
  measure: the words of predicted quotes inside gold quotes over all predicted
  words, and the other way round);
- speaker, end to end: of gold quotes whose attribution has a source, the share
  whose best-overlapping predicted quote has a source that overlaps the gold one
  and names the same words (one inside the other);
- cues, by overlap: all of them, and those with a speech verb (say, tell,
  according to, ...; `SPEECH_VERBS`), which is the fair comparison, since
  PolNeAR also marks beliefs and noun cues;
- on gold attributions with a speech-verb cue that a predicted cue overlaps: the
  words of the predicted source and content against the gold ones (micro P/R/F1).
  PolNeAR's source is the whole noun phrase, apposition included ("Ann Roe, a
  spokeswoman for the city,"); ours is the name with the apposition proposed
  beside it as its `role`, so the source words are the name's and the role's
  (`source_tokens`), and the name's alone are reported too
  (`source_tokens_without_role`);
- anonymous sources: gold sources that look anonymous (`looks_anonymous`) and
  the share of them a predicted source overlapping them marks `anonymous`.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.export.brat import BratDocument
from annotator.export.source_kinds import REASON as _REASON
from annotator.export.source_kinds import looks_anonymous
from annotator.nlp.evaluate import Accuracy, Counts, share

_WORD = re.compile(r"\w+")
_OPEN = ("“", "«", "„", "‘‘", "``")
_CLOSE = ("”", "»", "’’")
_EITHER = ('"', "''")
_MARK = re.compile(r"''|‘‘|’’|``|[“”«»„\"]")
_STRIP = " \t\r\n“”«»„\"'‘’`"

SPEECH_VERBS = frozenset(
    """say says said saying tell tells told telling add adds added adding ask asks asked
    asking write writes wrote written writing note notes noted noting declare declares
    declared declaring state states stated stating announce announces announced
    announcing explain explains explained explaining claim claims claimed claiming argue
    argues argued arguing insist insists insisted insisting warn warns warned warning
    report reports reported reporting tweet tweets tweeted tweeting reply replies replied
    replying respond responds responded responding comment comments commented commenting
    acknowledge acknowledges acknowledged acknowledging admit admits admitted admitting
    deny denies denied denying confirm confirms confirmed confirming recall recalls
    recalled recalling testify testifies testified testifying remark remarks remarked
    exclaim exclaims exclaimed shout shouts shouted answer answers answered answering
    according""".split()
)


def _words(text: str, start: int, end: int) -> set[int]:
    """The words of text[start:end], as their start offsets."""
    return {m.start() for m in _WORD.finditer(text, start, end)}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _norm(s: str) -> str:
    s = " ".join(s.casefold().replace("’", "'").split()).strip(" ,.")
    return s[4:] if s.startswith("the ") else s


def _same_words(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a) and bool(b) and (a in b or b in a)


def has_speech_verb(text: str) -> bool:
    return any(w in SPEECH_VERBS for w in _WORD.findall(text.casefold()))


def quotes_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stretches between paired quotation marks in text[start:end], marks left out; a
    quotation left open runs to the end."""
    found = []
    opened: int | None = None
    for m in _MARK.finditer(text, start, end):
        mark = m.group()
        if opened is None:
            if mark in _CLOSE:
                continue
            if mark in _EITHER:
                before = text[m.start() - 1 : m.start()]
                after = text[m.end() : m.end() + 1]
                # A closing mark after a word, with no word after it, does not open.
                if before.strip() and before not in "([—–-" and not after.strip():
                    continue
            opened = m.end()
        elif mark in _CLOSE or mark in _EITHER or mark == "“" and text[opened - 1] == "„":
            found.append((opened, m.start()))
            opened = None
    if opened is not None:
        found.append((opened, end))
    return [q for q in (_trim(text, *q) for q in found) if q[1] > q[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


@dataclass
class _Predicted:
    kind: str
    content: tuple[int, int]
    direct: bool
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    source_text: str
    resolved_to: str | None
    reason: str | None
    role: tuple[int, int] | None = None


@dataclass
class Tally:
    counts: Counts = field(default_factory=Counts)
    misses: list = field(default_factory=list)


class Share(Accuracy):
    """An accuracy whose misses are shown by `--show`, not carried in the figures."""

    def as_dict(self) -> dict:
        figures = super().as_dict()
        del figures["misses"]
        return figures


def _segment(text: str):
    from annotator.core.segment import split_paragraphs, split_sentences

    return split_sentences(text, split_paragraphs(text))


def _predict(documents: Sequence[BratDocument], pipeline):
    from annotator.core.sentence_input import SentenceInput

    segmented = [_segment(d.text) for d in documents]
    found = pipeline.propose_documents(
        [SentenceInput(d.text[s.start : s.end], True, s.paragraph_index) for s in sentences]
        for d, sentences in zip(documents, segmented, strict=True)
    )
    for document, sentences, proposals in zip(documents, segmented, found, strict=True):
        offsets = [s.start for s in sentences]
        spans = [
            (offsets[i] + p.start, offsets[i] + p.end, p.label)
            for i, sentence in enumerate(proposals.sentences)
            for p in sentence
        ]

        def at(ref, offsets=offsets):
            if ref is None:
                return None
            return offsets[ref.sentence] + ref.start, offsets[ref.sentence] + ref.end

        attributions = [
            _Predicted(
                a.kind,
                at(a.content),
                a.direct,
                at(a.source),
                at(a.cue),
                a.source_text,
                a.resolved_to,
                a.reason,
                at(a.role),
            )  # fmt: skip
            for a in proposals.attributions
        ]
        yield document, spans, attributions


def _merge_quotes(text: str, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """QUOTE spans with their marks stripped; a quotation cut by a sentence end (no
    closing mark, then no opening mark) is joined back, inside a paragraph."""
    merged: list[list[int]] = []
    for start, end in sorted(quotes):
        if (
            merged
            and merged[-1][1] <= start
            and not text[merged[-1][1] : start].strip()
            and "\n" not in text[merged[-1][1] : start]
            and not (_ends_with_mark(text, *merged[-1]) and _MARK.match(text, start))
        ):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return [q for q in (_trim(text, s, e) for s, e in merged) if q[1] > q[0]]


def _ends_with_mark(text: str, start: int, end: int) -> bool:
    tail = text[start:end].rstrip()
    return bool(tail) and tail[-1] in "”\"»'’"


def _f1(tp_p: int, all_p: int, tp_r: int, all_r: int) -> dict:
    p = tp_p / all_p if all_p else 0.0
    r = tp_r / all_r if all_r else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


class _TokenF1:
    def __init__(self):
        self.hit_p = self.all_p = self.hit_r = self.all_r = 0

    def add(self, predicted: set[int], gold: set[int]) -> None:
        self.hit_p += len(predicted & gold)
        self.all_p += len(predicted)
        self.hit_r += len(gold & predicted)
        self.all_r += len(gold)

    def as_dict(self) -> dict:
        return _f1(self.hit_p, self.all_p, self.hit_r, self.all_r)


def _content_range(a) -> tuple[int, int] | None:
    return (a.contents[0].start, a.contents[-1].end) if a.contents else None


def _snippet(text: str, span: tuple[int, int] | None, width: int = 70) -> str:
    if span is None:
        return "None"
    s = text[span[0] : span[1]].replace("\n", " ")
    return repr(s if len(s) <= width else s[: width - 3] + "...")


def evaluate_brat(documents: Sequence[BratDocument], pipeline) -> dict:
    quote_exact = Counts()
    quote_tokens = _TokenF1()
    speaker = Share()
    cues = Counts()
    speech_cues = Counts()
    source_tokens = _TokenF1()
    name_tokens = _TokenF1()
    content_tokens = _TokenF1()
    anonymous = Share()
    anonymous_speech = Share()
    reasons = Share()
    misses: dict[str, list[str]] = {
        "quote_missed": [], "quote_spurious": [], "speaker": [], "speech_cue_missed": [],
        "speech_cue_spurious": [], "source": [], "content": [], "anonymous": [],
        "anonymous_reason": [],
    }  # fmt: skip
    for document, spans, predicted in _predict(documents, pipeline):
        text = document.text
        name = document.name
        # Gold quotes, with the attribution each belongs to.
        gold_quotes: list[tuple[tuple[int, int], object]] = []
        for a in document.attributions:
            for content in a.contents:
                for start, end in content.fragments:
                    gold_quotes.extend((q, a) for q in quotes_in(text, start, end))
        got_quotes = _merge_quotes(text, [(s, e) for s, e, label in spans if label == "QUOTE"])
        gold_set = {q for q, _ in gold_quotes}
        got_set = set(got_quotes)
        quote_exact.tp += len(gold_set & got_set)
        quote_exact.fp += len(got_set - gold_set)
        quote_exact.fn += len(gold_set - got_set)
        gold_words = set().union(*(_words(text, *q) for q in gold_set)) if gold_set else set()
        got_words = set().union(*(_words(text, *q) for q in got_set)) if got_set else set()
        quote_tokens.add(got_words, gold_words)
        for q in sorted(gold_set - got_set):
            near = [g for g in got_quotes if _overlaps(g, q)]
            misses["quote_missed"].append(
                f"{name}: gold {_snippet(text, q)} got {[_snippet(text, g) for g in near]}"
            )
        for q in sorted(got_set - gold_set):
            if not any(_overlaps(q, g) for g in gold_set):
                misses["quote_spurious"].append(f"{name}: {_snippet(text, q)}")
        # Speaker, end to end.
        direct = [a for a in predicted if a.direct]
        for q, a in gold_quotes:
            if a.source is None:
                continue
            best = max(
                (p for p in direct if _overlaps(p.content, q)),
                key=lambda p: min(p.content[1], q[1]) - max(p.content[0], q[0]),
                default=None,
            )
            gold_source = a.source.fragments
            ok = (
                best is not None
                and best.source is not None
                and any(_overlaps(best.source, f) for f in gold_source)
                and _same_words(text[best.source[0] : best.source[1]], a.source.text)
            )
            got = _snippet(text, best.source if best else None)
            speaker.add(ok, f"{name}: quote {_snippet(text, q, 50)} gold source "
                        f"{a.source.text!r} got {got}")  # fmt: skip
        misses["speaker"].extend(speaker.misses)
        speaker.misses = []
        # Cues.
        gold_cues = [s for s in document.spans if s.type == "Cue"]
        got_cues = sorted({(s, e) for s, e, label in spans if label == "CUE"})

        def touches(got, gold_span):
            return any(_overlaps(got, f) for f in gold_span.fragments)

        for g in gold_cues:
            hit = any(touches(c, g) for c in got_cues)
            cues.tp += hit
            cues.fn += not hit
            if has_speech_verb(g.text):
                speech_cues.tp += hit
                speech_cues.fn += not hit
                if not hit:
                    misses["speech_cue_missed"].append(
                        f"{name}: {g.text!r} in "
                        f"{_snippet(text, _around(text, g.start, g.end), 110)}"
                    )
        for c in got_cues:
            hit = any(touches(c, g) for g in gold_cues)
            cues.fp += not hit
            if has_speech_verb(text[c[0] : c[1]]) and not hit:
                speech_cues.fp += 1
                misses["speech_cue_spurious"].append(
                    f"{name}: {_snippet(text, c)} in {_snippet(text, _around(text, *c), 110)}"
                )
        # Source and content of matched speech-verb attributions; anonymity.
        for a in document.attributions:
            if a.cue is not None and has_speech_verb(a.cue.text):
                matched = [p for p in predicted if p.cue is not None and touches(p.cue, a.cue)]
                if matched:
                    gold_src = (
                        set().union(*(_words(text, *f) for f in a.source.fragments))
                        if a.source else set()
                    )  # fmt: skip
                    with_source = next((p for p in matched if p.source), None)
                    source = with_source.source if with_source else None
                    got_name = _words(text, *source) if source else set()
                    name_tokens.add(got_name, gold_src)
                    got_src = got_name
                    if with_source is not None and with_source.role is not None:
                        got_src = got_name | _words(text, *with_source.role)
                        role = with_source.role
                        source = (min(source[0], role[0]), max(source[1], role[1]))
                    source_tokens.add(got_src, gold_src)
                    if got_src != gold_src and len(misses["source"]) < 2000:
                        misses["source"].append(
                            f"{name}: cue {a.cue.text!r} gold "
                            f"{a.source.text if a.source else None!r} got {_snippet(text, source)}"
                        )
                    gold_content = set()
                    for c in a.contents:
                        for f in c.fragments:
                            gold_content |= _words(text, *f)
                    got_content = set()
                    for p in matched:
                        got_content |= _words(text, *p.content)
                    content_tokens.add(got_content, gold_content)
                    if got_content != gold_content:
                        p = len(got_content & gold_content) / max(1, len(got_content))
                        r = len(got_content & gold_content) / max(1, len(gold_content))
                        if min(p, r) < 0.8:
                            misses["content"].append(
                                f"{name}: cue {a.cue.text!r} P {p:.2f} R {r:.2f} gold "
                                f"{_snippet(text, _content_range(a))} "
                                f"got {[_snippet(text, m.content) for m in matched]}"
                            )
            if a.source is not None:
                after = _rest_of_sentence(text, a.source.end)
                if looks_anonymous(a.source.text, after):
                    hits = [
                        p for p in predicted
                        if p.source is not None
                        and any(_overlaps(p.source, f) for f in a.source.fragments)
                    ]  # fmt: skip
                    ok = any(p.kind == "anonymous" for p in hits)
                    anonymous.add(ok, f"{name}: {a.source.text!r} got "
                                  f"{sorted({p.kind for p in hits}) or 'no source'}")  # fmt: skip
                    if a.cue is not None and has_speech_verb(a.cue.text):
                        anonymous_speech.add(ok, "")
                    if _REASON.search(a.source.text) or _REASON.search(after):
                        got = sorted({(p.kind, p.reason) for p in hits}) or "no source"
                        context = _snippet(text, (a.source.end, a.source.end + 80))
                        reasons.add(
                            any(p.kind == "anonymous" and p.reason for p in hits),
                            f"{name}: {a.source.text!r} {context} got {got}",
                        )
        misses["anonymous"].extend(anonymous.misses)
        anonymous.misses = []
        misses["anonymous_reason"].extend(reasons.misses)
        reasons.misses = []
    return {
        "pipeline": pipeline.origin,
        "documents": len(documents),
        "direct_quotes": {
            "exact": quote_exact.as_dict(),
            "token_overlap": quote_tokens.as_dict(),
        },
        "speaker_accuracy": speaker.as_dict(),
        "cues": {"all": cues.as_dict(), "speech_verbs": speech_cues.as_dict()},
        "speech_verb_attributions": {
            "source_tokens": source_tokens.as_dict(),
            "source_tokens_without_role": name_tokens.as_dict(),
            "content_tokens": content_tokens.as_dict(),
        },
        "anonymous_recall": anonymous.as_dict(),
        "anonymous_reason_recall": reasons.as_dict(),
        "anonymous_speech_verb_recall": anonymous_speech.as_dict(),
        "misses": misses,
    }


def _rest_of_sentence(text: str, start: int) -> str:
    """What follows a source up to its sentence's end: where a reason is given."""
    end = len(text)
    for m in re.finditer(r"[.!?][”\"']?\s|\n", text[start : start + 200]):
        end = start + m.start()
        break
    return text[start : min(end, start + 200)]


def _around(text: str, start: int, end: int, width: int = 50) -> tuple[int, int]:
    return max(0, start - width), min(len(text), end + width)


def render(report: dict, show: int = 0) -> str:
    q = report["direct_quotes"]
    c = report["cues"]
    s = report["speech_verb_attributions"]
    a = report["anonymous_recall"]
    ar = report["anonymous_reason_recall"]
    asv = report["anonymous_speech_verb_recall"]
    sp = report["speaker_accuracy"]

    def prf(d: dict) -> str:
        return f"P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}"

    lines = [
        f"pipeline {report['pipeline']}: {report['documents']} documents",
        "",
        f"direct quotes, exact          {prf(q['exact'])}",
        f"direct quotes, token overlap  {prf(q['token_overlap'])}",
        f"speaker right, end to end     {share(sp)}",
        f"cues, all (overlap)           {prf(c['all'])}",
        f"cues, speech verbs (overlap)  {prf(c['speech_verbs'])}",
        f"speech-verb attributions: source tokens   {prf(s['source_tokens'])}",
        f"  (the name without its role)             {prf(s['source_tokens_without_role'])}",
        f"speech-verb attributions: content tokens  {prf(s['content_tokens'])}",
        f"anonymous sources marked anonymous  {share(a)}; with a reason {share(ar)}",
        f"  (of speech-verb attributions)     {share(asv)}",
    ]
    if show:
        for name, found in report["misses"].items():
            if found:
                lines.append("")
                lines.append(f"{name} ({len(found)}):")
                lines.extend(f"  {m}" for m in found[:show])
    return "\n".join(lines)
