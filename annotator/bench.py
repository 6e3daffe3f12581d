"""`annotator bench`: the proposal pipeline's speed, side by side with its baselines.

One synthetic corpus, built from the articles in corpus/ (each copy numbered so
that ingest does not skip it as a duplicate), is run through (a) spaCy's bare
English tokenizer, (b) our rule pipeline, (c) the trained model alone and (d) the
trained model with our components, in one process, one after the other; then
it is ingested into a fresh SQLite file. Words are whitespace-separated words of
the sentences proposed on, the same count for every stage.
"""

import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from annotator.core.readers import RawDocument, iter_input_files, read_documents
from annotator.core.segment import split_paragraphs, split_sentences

MIN_WORDS = 200_000


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # kilobytes on Linux, bytes on macOS
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def synthetic_corpus(source: Path, min_words: int) -> list[str]:
    seeds = [
        raw.text
        for path in iter_input_files([source])
        if isinstance(path, Path)
        for raw in read_documents(path)
        if isinstance(raw, RawDocument)
    ]
    if not seeds:
        raise ValueError(f"no readable articles in {source}")
    documents, words, n = [], 0, 0
    while words < min_words:
        text = seeds[n % len(seeds)] + f"\n\nSynthetic copy {n} of this report.\n"
        documents.append(text)
        words += len(text.split())
        n += 1
    return documents


def _sentences(text: str):
    from annotator.nlp.pipeline import SentenceInput

    paragraphs = split_paragraphs(text)
    return [
        SentenceInput(text[s.start : s.end], True, s.paragraph_index)
        for s in split_sentences(text, paragraphs)
    ]


def _timed(run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def component_seconds(split: list[list], tokenizer) -> dict[str, float]:
    """Seconds each rule component takes over the same sentences, each on docs
    fresh from the tokenizer (so none profits from token lists another built):
    where the rule pipeline's time goes beyond tokenizing."""
    from annotator.nlp.attribution import find_attributions
    from annotator.nlp.entities import find_entities
    from annotator.nlp.extensions import with_text
    from annotator.nlp.hedges import find_hedges
    from annotator.nlp.quantities import find_quantities

    def fresh_docs() -> list[list]:
        return [[with_text(tokenizer(s.text), s.text) for s in document] for document in split]

    per_document: dict[str, Callable[[list, list], object]] = {
        "quantities": lambda docs, _: [find_quantities(doc) for doc in docs],
        "hedges": lambda docs, _: [find_hedges(doc) for doc in docs],
        "attribution": lambda docs, paragraphs: find_attributions(docs, paragraphs, False),
        "entities": lambda docs, _: find_entities(docs, False),
    }
    paragraphs = [[s.paragraph for s in document] for document in split]
    seconds = {}
    for name, find in per_document.items():
        documents = fresh_docs()
        start = time.perf_counter()
        for docs, numbers in zip(documents, paragraphs, strict=True):
            find(docs, numbers)
        seconds[name] = round(time.perf_counter() - start, 3)
    return seconds


def run_bench(
    source: Path,
    *,
    min_words: int = MIN_WORDS,
    model: str = "auto",
    db_path: str | None = None,
    on_stage: Callable[[str], None] = lambda name: None,
) -> dict:
    import spacy

    from annotator.core.ingest import ingest
    from annotator.core.store import Store
    from annotator.nlp.pipeline import Pipeline, resolve

    documents = synthetic_corpus(source, min_words)
    split = [_sentences(text) for text in documents]
    texts = [s.text for sentences in split for s in sentences]
    words = sum(len(t.split()) for t in texts)
    report: dict = {
        "documents": len(documents),
        "sentences": len(texts),
        "words": words,
        "stages": {},
    }

    def stage(name: str, run: Callable[[], None]) -> None:
        on_stage(name)
        seconds = _timed(run)
        report["stages"][name] = {
            "seconds": round(seconds, 3),
            "words_per_second": round(words / seconds),
            "peak_rss_mb": peak_rss_mb(),
        }

    def drain(iterator) -> None:
        for _ in iterator:
            pass

    tokenizer = spacy.blank("en").tokenizer
    stage("tokenizer", lambda: drain(tokenizer.pipe(texts, batch_size=256)))
    rules = Pipeline("rules")
    stage("rules", lambda: drain(rules.propose_documents(split)))
    on_stage("rule components")
    report["rule_components_seconds"] = component_seconds(split, tokenizer)
    package = resolve(model) if model != "rules" else None
    if package:
        # The model as our pipeline loads it, without our components.
        alone = spacy.load(package, exclude=["lemmatizer"])
        stage("model", lambda: drain(alone.pipe(texts, batch_size=256)))
        del alone
        ours = Pipeline(package)
        stage("model+annotator", lambda: drain(ours.propose_documents(split)))
        report["model"] = ours.name
    else:
        ours = rules
        report["model"] = None
    stages = report["stages"]
    report["ratios"] = {
        "rules/tokenizer": round(
            stages["rules"]["words_per_second"] / stages["tokenizer"]["words_per_second"], 3
        )
    }
    if package:
        report["ratios"]["model+annotator/model"] = round(
            stages["model+annotator"]["words_per_second"] / stages["model"]["words_per_second"],
            3,
        )

    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as folder:
        corpus_dir = Path(folder) / "corpus"
        corpus_dir.mkdir()
        for n, text in enumerate(documents):
            (corpus_dir / f"{n:06d}.txt").write_text(text, encoding="utf-8")
        target = db_path or str(Path(folder) / "bench.db")
        on_stage("ingest")
        with Store(target, durable=False) as store:
            start = time.perf_counter()
            summary = ingest(store, [corpus_dir], pipeline=ours)
            seconds = time.perf_counter() - start
        ingest_words = sum(len(t.split()) for t in documents)
        report["ingest"] = {
            "pipeline": ours.origin,
            "documents": summary.added,
            "seconds": round(seconds, 3),
            "documents_per_second": round(summary.added / seconds, 1),
            "words_per_second": round(ingest_words / seconds),
            "peak_rss_mb": peak_rss_mb(),
        }
    report["peak_rss_mb"] = peak_rss_mb()
    return report


def render(report: dict) -> str:
    lines = [
        f"synthetic corpus: {report['documents']} documents, {report['sentences']} sentences, "
        f"{report['words']} words",
        "",
        f"{'stage':<18} {'words/s':>10} {'seconds':>9} {'peak MB':>9}",
    ]
    for name, figures in report["stages"].items():
        lines.append(
            f"{name:<18} {figures['words_per_second']:>10,} {figures['seconds']:>9.2f} "
            f"{figures['peak_rss_mb']:>9.1f}"
        )
    components = report.get("rule_components_seconds")
    if components:
        lines.append(
            "rule components (seconds): "
            + ", ".join(f"{name} {seconds:.2f}" for name, seconds in components.items())
        )
    lines.append("")
    lines.extend(f"{name}: {value:.2f}" for name, value in report["ratios"].items())
    ingest = report["ingest"]
    lines.append(
        f"ingest ({ingest['pipeline']}): {ingest['documents']} documents in "
        f"{ingest['seconds']:.1f} s, {ingest['documents_per_second']} documents/s, "
        f"{ingest['words_per_second']:,} words/s, peak {ingest['peak_rss_mb']} MB"
    )
    return "\n".join(lines)
