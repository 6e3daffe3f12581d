"""The `annotator` command: parse arguments, call the core, print.

Heavy imports (spaCy, Textual) happen inside the commands that need them, so
that `annotator stats` starts fast.
"""

import contextlib
import sys

import click

from annotator import __version__
from annotator.core.errors import RefusedInput
from annotator.core.location import default_db_path
from annotator.core.vocabulary import SPAN_LABELS


def database_option(help: str = "The SQLite database file."):
    return click.option(
        "--db",
        "db_path",
        default=default_db_path,
        show_default="annotations.db, or $ANNOTATOR_DB",
        type=click.Path(dir_okay=False),
        help=help,
    )


db_option = database_option()
model_option = click.option(
    "--model",
    default="auto",
    show_default=True,
    help="Proposal pipeline: rules (no trained model), auto (a trained English "
    "pipeline when installed), a spaCy package name, or the folder of a model "
    "`annotator train` wrote (its spans and check-worthiness beside auto's proposals).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def show(text: str, *, err: bool = False) -> None:
    """The one way a command prints: every line through `visible`, so that nothing
    stored (a title, an alias, a reviewer's name, a file name) can retitle, clear
    or recolour the terminal. click strips colours from a pipe but not OSC titles,
    C1 controls or bidi overrides, so it is not relied on; a tty and a pipe get the
    same bytes."""
    from annotator import progress
    from annotator.core.text import printable

    if err and progress.say(printable(text)):
        return
    click.echo(printable(text), err=err)


def show_json(value) -> None:
    """JSON through `show`: the characters a terminal obeys are written as \\u escapes,
    so a JSON reader gets exactly what is stored."""
    from annotator.core.text import json_listing

    show(json_listing(value))


def fail(message: str) -> None:
    from annotator.core.text import one_line

    show(f"error: {one_line(message)}", err=True)
    sys.exit(1)


def open_store(db_path: str, **options):
    from annotator.core.store import Store

    try:
        return Store(db_path, **options)
    except RefusedInput as error:
        fail(str(error))


def load_pipeline(model: str, base: str = "auto"):
    from annotator.nlp.pipeline import AUTO, Pipeline

    try:
        pipeline = Pipeline(model, base=base)
    except RefusedInput as error:
        fail(str(error))
    asked_auto = model == AUTO or (pipeline.learnt is not None and base == AUTO)
    if asked_auto and not pipeline.trained:
        # auto is the default: say once that it fell back, so that rule-only proposals
        # are not taken for the trained model's.
        show(
            "note: no trained English model is installed, proposing with the rules "
            "(pip install 'annotator[model]' for en_core_web_sm)",
            err=True,
        )
    return pipeline


class _Commands(click.Group):
    def invoke(self, ctx: click.Context):
        import sqlite3

        try:
            return super().invoke(ctx)
        except RefusedInput as error:
            # A database that turned read-only or full midway, or DatabaseBusy from a
            # batch command's write, from any command: one line, not a traceback.
            fail(str(error))
        except sqlite3.OperationalError as error:
            # A lock held past the busy timeout, a full disk, a file gone read-only:
            # what went wrong in one line, not a traceback. Each write is one
            # transaction, so what was not saved is rolled back whole.
            fail(f"database: {error}; the last unfinished change was not saved")


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="annotator")
def app() -> None:
    """Review news claims span by span: ingest articles, label claims, export JSONL."""


@app.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse documents longer than this many characters, at most 2,000,000 "
    "[default: 2,000,000].",
)
@model_option
@db_option
def ingest(paths: tuple[str, ...], max_chars: int | None, model: str, db_path: str) -> None:
    """Read .txt, .md and .jsonl files (folders recursively) into the database.

    Idempotent: a document whose text is already stored is skipped. Each file or
    JSONL line that cannot be read is named on stderr with the reason, the rest
    are still ingested, and the exit code is 1.
    """
    from annotator.core.text import MAX_DOCUMENT_CHARS

    if max_chars is not None and max_chars > MAX_DOCUMENT_CHARS:
        # Sentence splitting and spaCy are set up for documents up to this length.
        fail(f"--max-chars {max_chars:,}: at most {MAX_DOCUMENT_CHARS:,}")
    pipeline = load_pipeline(model)
    with open_store(db_path, durable=False) as store:
        summary = ingest_paths(store, paths, pipeline, max_chars or MAX_DOCUMENT_CHARS)
    if summary.refused:
        sys.exit(1)


def ingest_paths(store, paths, pipeline, max_chars: int | None = None):
    """Ingest with a progress bar, say what happened, then look for contradictions
    among the new claims."""
    from annotator.core.ingest import ingest as run_ingest
    from annotator.progress import file_progress

    options = {"max_chars": max_chars} if max_chars else {}
    with file_progress(paths) as on_file:
        summary = run_ingest(
            store,
            paths,
            pipeline=pipeline,
            on_refusal=lambda refusal: show(refusal.line(), err=True),
            on_file=on_file,
            **options,
        )
    show(with_owed_candidates(store, summary.line()), err=True)
    return summary


def with_owed_candidates(store, line: str) -> str:
    """`line`, and the contradiction candidates when they are owed: after new claims,
    or a run killed before this step (also when this one added nothing)."""
    from annotator.core import maintenance

    if maintenance.CONTRADICTIONS in maintenance.pending(store.db.conn):
        line += "; " + find_contradictions(store).short_line()
    return line


def find_contradictions(store):
    """Candidate generation after new proposals, with a progress bar on a terminal."""
    from annotator.contradictions.generate import generate_candidates
    from annotator.progress import count_progress

    def count() -> int:
        return store.db.execute("SELECT count(*) FROM sentences").fetchone()[0]

    with count_progress("contradictions", count) as advance:
        done = 0

        def on_sentences(total: int) -> None:
            nonlocal done
            advance(total - done)
            done = total

        return generate_candidates(store, on_sentences=on_sentences)


@app.command()
@model_option
@click.option(
    "--base",
    default="auto",
    show_default=True,
    help="With --model DIR: the pipeline whose proposals the trained model's go beside "
    "(rules, auto or a spaCy package name).",
)
@db_option
def propose(model: str, base: str, db_path: str) -> None:
    """Re-run claim proposals over every stored sentence outside boilerplate.

    Machine proposals are replaced; spans a reviewer accepted, rejected or made are
    kept as they are. With --model DIR (from `annotator train`), the trained model's
    spans are added beside the others, with its name and version as their origin and
    its confidence in their attributes, the edge edits it learnt from the reviewers'
    fixes move the pipeline's pending proposals, and each sentence gets its
    check-worthiness score.
    """
    from annotator.core.proposals import propose_stored
    from annotator.nlp.trained import looks_like_folder

    if looks_like_folder(base):
        fail(f"--base {base!r}: rules, auto or a spaCy package name, not a folder")
    pipeline = load_pipeline(model, base)
    with _existing_store(db_path) as store:
        summary = propose_stored(store, pipeline)
        found = find_contradictions(store)
    origins = pipeline.origin
    if pipeline.learnt is not None:
        origins += f" and {pipeline.learnt_origin}"
    show(f"{summary.line()} ({origins}); {found.short_line()}", err=True)


@app.group(invoke_without_command=True)
@json_option
@db_option
@click.pass_context
def entities(ctx: click.Context, as_json: bool, db_path: str) -> None:
    """Canonical entities with their aliases and mention counts, most mentioned first.

    Mentions are linked across documents after every ingest and propose. A reviewer
    corrects the linking with `entities merge`, `split` and `rename`: each is an
    action in the events log (undo it with `entities undo` or `u` in the review
    screen), and every later relink keeps it.
    """
    if ctx.invoked_subcommand is not None:
        return
    from annotator.core.entities import list_entities

    with _existing_store(db_path) as store:
        result = list_entities(store)
    if as_json:
        show_json(result)
        return
    for entity in result:
        others = [a for a in entity["aliases"] if a != entity["name"]]
        also = f"  (also: {'; '.join(others)})" if others else ""
        documents = f"{entity['documents']} document{'s' if entity['documents'] != 1 else ''}"
        show(f"{entity['mentions']:>5}  {entity['name']}  [{entity['type']}, {documents}]{also}")


def _reviewer_name(value: str) -> str:
    from annotator.core.text import clean_name

    return clean_name(value)


ENTITY_ACTIONS = ("merge_entities", "split_entity", "rename_entity")
reviewer_option = click.option(
    "--reviewer",
    default=lambda: _os_user(),
    show_default="the OS user",
    help="Name recorded with the decision.",
)


def _decided(db_path: str, reviewer: str, decide) -> None:
    """Record a reviewer's entity decision, relink at once and say what changed."""
    from annotator.core.entities import link_entities

    reviewer = _reviewer_name(reviewer)
    if not reviewer:
        fail("--reviewer must not be empty")
    from annotator.core.actions import event_words

    with _existing_store(db_path) as store:
        outcome = decide(store, reviewer)
        what = f"undid {outcome.walked}" if outcome.walked else event_words(store, outcome.event_id)
        count = link_entities(store)
        found = find_contradictions(store)
    show(f"{what} (event {outcome.event_id}); {count} entities; {found.short_line()}", err=True)


@entities.command()
@click.argument("entity")
@click.argument("into")
@reviewer_option
@db_option
def merge(entity: str, into: str, reviewer: str, db_path: str) -> None:
    """Merge ENTITY into INTO: every mention of ENTITY joins INTO. Names are any
    name or alias of the entity, in any case."""
    from annotator.core import entity_decisions

    _decided(db_path, reviewer, lambda s, r: entity_decisions.merge(s, r, entity, into))


@entities.command()
@click.argument("entity")
@click.argument("alias")
@reviewer_option
@db_option
def split(entity: str, alias: str, reviewer: str, db_path: str) -> None:
    """Split ALIAS off ENTITY: the mentions going by ALIAS become an entity of their own."""
    from annotator.core import entity_decisions

    _decided(db_path, reviewer, lambda s, r: entity_decisions.split(s, r, entity, alias))


@entities.command()
@click.argument("entity")
@click.argument("name")
@reviewer_option
@db_option
def rename(entity: str, name: str, reviewer: str, db_path: str) -> None:
    """Give ENTITY the canonical name NAME."""
    from annotator.core import entity_decisions

    _decided(db_path, reviewer, lambda s, r: entity_decisions.rename(s, r, entity, name))


@entities.command()
@reviewer_option
@db_option
def undo(reviewer: str, db_path: str) -> None:
    """Undo the reviewer's last action when it is an entity merge, split or rename."""
    from annotator.core import actions

    def walk(store, reviewer):
        last = actions.last_action(store, reviewer)
        if last is None:
            raise RefusedInput(f"{reviewer} has nothing to undo")
        if last not in ENTITY_ACTIONS:
            raise RefusedInput(
                f"{reviewer}'s last action is not an entity merge, split or rename "
                "(undo it in the review screen)"
            )
        return actions.undo(store, reviewer)

    _decided(db_path, reviewer, walk)


@app.command()
@click.option(
    "--entity",
    default=None,
    metavar="NAME",
    help="Only this entity: its name or any of its aliases, in any case.",
)
@click.option(
    "--status",
    type=click.Choice(["proposed", "confirmed", "rejected", "all"]),
    default="all",
    show_default=True,
    help="Only links with this status.",
)
@json_option
@db_option
def contradictions(entity: str | None, status: str, as_json: bool, db_path: str) -> None:
    """Claims that contradict each other, grouped by entity: both sentences, their
    documents and sources, the kind, status, score and reviewer.

    Candidates are proposed after every ingest and propose; confirm or reject them
    in the review screen (key C).
    """
    from annotator.contradictions import listing, query

    with _existing_store(db_path) as store:
        if entity is not None and not query.resolve_entity(store, entity):
            fail(f"no entity is named {entity!r} (see `annotator entities`)")
        groups = query.by_entity(store, entity=entity, status=status)
    if as_json:
        show_json(groups)
    else:
        show(listing.render(groups))


@app.command()
@click.argument("gold", type=click.Path())
@model_option
@json_option
@click.option(
    "--show",
    "show_misses",
    type=click.IntRange(min=0),
    default=0,
    help="With a brat folder: print up to N misses of each kind, to see why.",
)
@database_option("Accepted as by every command; evaluate scores the pipeline and does not open it.")
def evaluate(gold: str, model: str, as_json: bool, show_misses: int, db_path: str) -> None:
    """Score the proposal pipeline against GOLD: native JSONL, or a brat folder.

    Native JSONL: precision, recall and F1 per label, exact and by overlap; speaker
    accuracy for quotations; source-kind accuracy for attributions. A brat standoff
    folder (.txt + .ann with Source/Cue/Content, PolNeAR's layout too): direct
    quotes (exact and token overlap), speaker right end to end, cues overall and
    with speech verbs, source and content words of matched attributions, and
    anonymous sources.
    """
    from pathlib import Path

    if Path(gold).is_dir():
        from annotator.export.brat import read_folder
        from annotator.nlp import attribution_eval

        try:
            documents = read_folder(gold)
        except OSError as error:
            fail(f"{gold}: {error.strerror or error}")
        except RefusedInput as error:
            fail(str(error))
        pipeline = load_pipeline(model)
        report = attribution_eval.evaluate_brat(documents, pipeline)
        if as_json:
            if not show_misses:
                report.pop("misses")
            else:
                report["misses"] = {k: v[:show_misses] for k, v in report["misses"].items()}
            show_json(report)
        else:
            show(attribution_eval.render(report, show_misses))
        return
    from annotator.nlp import evaluate as scoring

    try:
        records = scoring.read_gold(gold)
    except OSError as error:
        fail(f"{gold}: {error.strerror or error}")
    except RefusedInput as error:
        fail(str(error))
    pipeline = load_pipeline(model)
    report = scoring.evaluate(records, pipeline)
    if as_json:
        show_json(report)
    else:
        show(scoring.render(report))


@app.command()
@click.option(
    "--corpus",
    "corpus_path",
    default="corpus",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of articles the synthetic corpus is built from.",
)
@click.option(
    "--words",
    type=click.IntRange(min=1000),
    default=200_000,
    show_default=True,
    help="Size of the synthetic corpus, in words.",
)
@model_option
@json_option
@click.option(
    "--db",
    "db_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Ingest the synthetic corpus into this file [default: a temporary file].",
)
def bench(corpus_path: str, words: int, model: str, as_json: bool, db_path: str | None) -> None:
    """Words per second of the bare tokenizer, the rule pipeline, the trained model
    alone and the model with our components, side by side on one synthetic corpus;
    then ingest throughput into SQLite and peak memory."""
    from pathlib import Path

    from annotator import bench as benchmark

    if not Path(corpus_path).is_dir():
        fail(f"{corpus_path}: no such folder (use --corpus)")
    if model not in ("auto", "rules"):
        load_pipeline(model)  # a one-line error for a model that is not installed
    if db_path and Path(db_path).exists():
        fail(f"{db_path}: already exists; bench ingests into a new file")
    try:
        report = benchmark.run_bench(
            Path(corpus_path),
            min_words=words,
            model=model,
            db_path=db_path,
            on_stage=lambda name: show(f"bench: {name} ...", err=True),
        )
    except ValueError as error:
        fail(str(error))
    if as_json:
        show_json(report)
    else:
        show(benchmark.render(report))


class _PipelineOnFirstUse:
    """Loads the proposal pipeline only when a new document needs it, so reopening
    the review screen on files already ingested does not wait for spaCy."""

    def __init__(self, model: str):
        self.model = model
        self.loaded = None

    def __getattr__(self, name: str):
        if self.loaded is None:
            self.loaded = load_pipeline(self.model)
        return getattr(self.loaded, name)


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


@app.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--reviewer",
    default=_os_user,
    show_default="the OS user",
    help="Name recorded with every label and rating you make.",
)
@model_option
@click.option(
    "--order",
    type=click.Choice(["document", "checkworthy", "uncertain"]),
    default="document",
    show_default=True,
    help="How j / k / n walk the sentences: as the corpus reads, most check-worthy first, "
    "or where the trained model is least sure first (O switches in the screen).",
)
@db_option
def review(paths: tuple[str, ...], reviewer: str, model: str, order: str, db_path: str) -> None:
    """Open the review screen; ingest PATHS first if given (already stored files are
    skipped). Keys: a accept, x reject, j/k next/previous, u undo, ? help, q quit.

    With --model DIR (from `annotator train`), the trained model first proposes over
    the stored sentences, as `annotator propose --model DIR` does.
    """
    from annotator.nlp.trained import looks_like_folder

    reviewer = _reviewer_name(reviewer)
    if not reviewer:
        fail("--reviewer must not be empty")
    learnt = looks_like_folder(model)
    pipeline = load_pipeline(model) if learnt else _PipelineOnFirstUse(model)
    refused = 0
    if paths:
        with open_store(db_path, durable=False) as store:
            refused = ingest_paths(store, paths, pipeline).refused
    if learnt:
        from annotator.core.proposals import propose_stored

        with _existing_store(db_path) as store:
            summary = propose_stored(store, pipeline)
            found = find_contradictions(store)
        show(f"{summary.line()} ({pipeline.learnt_origin}); {found.short_line()}", err=True)
    from annotator.tui.app import ReviewApp

    # Only `review PATHS` makes a database; without them there is nothing to review.
    with open_store(db_path, create=bool(paths)) as store:
        ReviewApp(store, reviewer, order).run()
    if refused:
        # The refusals were named before the screen opened; the exit code still says so.
        sys.exit(1)


def _label_list(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    """--labels QUOTE,SOURCE or --labels QUOTE --labels SOURCE; every label when absent."""
    labels = [label.strip().upper() for value in values for label in value.split(",")]
    labels = [label for label in labels if label]
    unknown = [label for label in labels if label not in SPAN_LABELS]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)}: not a span label (one of {', '.join(SPAN_LABELS)})"
        )
    return tuple(dict.fromkeys(labels)) or SPAN_LABELS


@app.command()
@click.option(
    "-o",
    "--output",
    default="annotator-model",
    show_default=True,
    type=click.Path(),
    help="Folder to write the trained pipeline to (a model trained before is replaced "
    "when the new one is complete; any other folder is refused).",
)
@click.option(
    "--labels",
    "labels",
    multiple=True,
    callback=_label_list,
    help="Span labels to learn, comma-separated or repeated [default: every label].",
)
@click.option(
    "--checkworthiness",
    is_flag=True,
    help="Also learn check-worthiness from sentence labels (CFS positive, UFS and NFS negative).",
)
@click.option(
    "--max-minutes",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Stop training after this many minutes and keep the best weights so far.",
)
@click.option(
    "--max-steps",
    type=click.IntRange(min=1),
    default=20000,
    show_default=True,
    help="Stop after this many updates.",
)
@click.option(
    "--holdout",
    type=click.FloatRange(min=0.05, max=0.5),
    default=0.2,
    show_default=True,
    help="Share of labelled sentences held out to score the model and pick its best weights "
    "(of whole documents from 4 documents on).",
)
@click.option(
    "--name", default="reviewed", show_default=True, help="The model's name (its origin)."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@json_option
@db_option
def train(
    output: str,
    labels: tuple[str, ...],
    checkworthiness: bool,
    max_minutes: float,
    max_steps: int,
    holdout: float,
    name: str,
    seed: int,
    as_json: bool,
    db_path: str,
) -> None:
    """Train a spaCy pipeline (spancat, and textcat for check-worthiness) from the
    reviewed sentences, on CPU, with spaCy's training loop and the config that ships
    in the package. Reads the database and never writes it.

    Reviewed sentences teach their accepted spans, and everything else in them,
    rejected proposals included, as not a span. A share of sentences is held out;
    per-label scores and the check-worthiness ranking's average precision on it are
    printed and kept in DIR/meta.json, with the edge edits the reviewers' fixes of
    the pipeline's spans teach. Use it with `annotator propose --model DIR`.
    """
    import re
    from pathlib import Path

    from annotator.learn.train import Limits, check_output
    from annotator.learn.train import train as run_training

    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        fail(f"--name {name!r}: letters, digits and _ only")
    target = Path(output)
    try:
        check_output(target)
    except RefusedInput as error:
        fail(str(error))
    with _existing_store(db_path) as store:
        try:
            result = run_training(
                store,
                target,
                labels=labels,
                checkworthiness=checkworthiness,
                limits=Limits(max_minutes=max_minutes, max_steps=max_steps, seed=seed),
                holdout=holdout,
                name=name,
                on_progress=lambda line: show(line, err=True),
            )
        except RefusedInput as error:
            fail(str(error))
    from annotator.learn.report import render

    if as_json:
        show_json(result.meta)
    else:
        show(render(result.meta, result.path))


@app.command()
@json_option
@db_option
def stats(as_json: bool, db_path: str) -> None:
    """Progress: documents, sentences, languages, boilerplate, spans, reviewers."""
    from annotator.core import stats as figures

    with _existing_store(db_path) as store:
        result = figures.collect(store)
    if as_json:
        show_json(result)
    else:
        show(figures.render(result))


@app.command()
@click.option(
    "--fix",
    is_flag=True,
    help="First redo what an interrupted ingest or propose left undone (entity links, "
    "contradiction candidates); this writes to the file.",
)
@json_option
@db_option
def doctor(fix: bool, as_json: bool, db_path: str) -> None:
    """Check the database: SQLite's integrity check, every foreign key, every
    paragraph, sentence, span, attribution and contradiction offset against its
    text, the search index, and work an interrupted run left undone. Changes
    nothing unless --fix; exit code 1 when a problem is found.
    """
    from annotator.core import doctor as checkup

    if fix:
        finish_owed_work(db_path)

    try:
        for item in checkup.diagnose(db_path):
            if isinstance(item, checkup.Report):
                report = item
            elif not as_json:
                show("\n".join(checkup.result_lines(item)))
    except RefusedInput as error:
        fail(str(error))
    if as_json:
        show_json(report.as_dict())
    else:
        show(checkup.summary_line(report))
    if not report.ok:
        sys.exit(1)


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def finish_owed_work(db_path: str) -> None:
    """Rebuild what a killed run left owed (see core/maintenance.py)."""
    from annotator.core import entities, maintenance, recurring

    with _existing_store(db_path) as store:
        owed = maintenance.pending(store.db.conn)
        if maintenance.ENTITY_LINKS in owed:
            recurring.flag_recurring(store)
            count = entities.link_entities(store)
            click.echo(f"fixed: entity links rebuilt ({count} entities)", err=True)
        if maintenance.CONTRADICTIONS in owed:
            click.echo(f"fixed: {find_contradictions(store).short_line()}", err=True)


EXPORT_FORMATS = ("native", "prodigy", "nli", "spacy")


def _existing_store(db_path: str):
    """Commands that only read refuse a missing file instead of creating an empty one."""
    from pathlib import Path

    if db_path != ":memory:" and not Path(db_path).exists():
        fail(f"{db_path}: no such database (ingest first, or pass --db)")
    # `:memory:` is new by definition, and gone with the command.
    return open_store(db_path, create=db_path == ":memory:")


@app.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="native",
    show_default=True,
    help="native: everything per sentence; prodigy: Prodigy tasks; nli: reviewed "
    "contradiction pairs; spacy: a DocBin for spacy train (needs -o).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write here (through a temporary file, renamed when complete); -o - is "
    "stdout [default: stdout].",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace FILE when it is an existing regular file (never a link, a device, "
    "or the database being exported).",
)
@click.option(
    "--reviewed-only",
    is_flag=True,
    help="Only reviewed sentences: no proposal left to decide, and a decision made.",
)
@click.option(
    "--label",
    "labels",
    multiple=True,
    type=click.Choice(SPAN_LABELS),
    help="Only spans with this label (repeat for several); sentences are all kept.",
)
@click.option(
    "--since",
    metavar="DATE",
    default=None,
    help="Only sentences (or links, for nli) with a decision made at or after DATE "
    "(ISO 8601, UTC unless it says otherwise).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="With --format spacy: also write a config.cfg here that `python -m spacy train` "
    "runs as is (spancat with a suggester that fits the exported spans).",
)
@click.option(
    "--include-proposals",
    is_flag=True,
    help="With --format spacy: undecided proposals count as spans too (silver data).",
)
@db_option
def export(
    fmt: str,
    output: str | None,
    force: bool,
    reviewed_only: bool,
    labels: tuple[str, ...],
    since: str | None,
    config_path: str | None,
    include_proposals: bool,
    db_path: str,
) -> None:
    """Write labels as JSONL to stdout (or -o -) or to -o FILE, streaming from the database.

    Rejected proposals are exported as rejected (negative examples). Spans that do
    not align with spaCy's tokens (prodigy, spacy) are named on stderr.
    """
    from pathlib import Path

    from annotator.export import selection as chosen
    from annotator.export.formats import run_export
    from annotator.progress import count_progress

    if fmt == "spacy" and (not output or output == "-"):
        fail("--format spacy writes a binary DocBin file: give -o FILE")
    if fmt != "spacy" and (config_path or include_proposals):
        fail("--config and --include-proposals go with --format spacy")
    if config_path:
        if config_path == "-":
            fail("--config: give a file name")
        if not Path(config_path).parent.resolve().is_dir():
            fail(f"{config_path}: its folder does not exist")
        if Path(config_path).resolve() == Path(output).resolve():
            fail("--config: not the DocBin file itself")
        from annotator.export.output import refuse_existing

        try:
            refuse_existing(config_path, replace=force, keep=[db_path])
        except RefusedInput as error:
            fail(str(error))
    if output and output != "-":
        if not Path(output).parent.resolve().is_dir():
            fail(f"{output}: its folder does not exist")
        from annotator.export.output import refuse_existing

        try:
            refuse_existing(output, replace=force, keep=[db_path])
        except RefusedInput as error:
            fail(str(error))
    try:
        selection = chosen.Selection(
            reviewed_only=reviewed_only,
            labels=labels,
            since=chosen.parse_since(since) if since else None,
        )
    except RefusedInput as error:
        fail(str(error))

    misaligned = 0

    def report(span) -> None:
        nonlocal misaligned
        misaligned += 1
        show(f"warning: {span.line()}", err=True)

    from annotator.export.stopping import Stopped, stop_on_signals

    to_stdout = not output or output == "-"
    try:
        with stop_on_signals(), _existing_store(db_path) as store:

            def total() -> int | None:
                return chosen.count_sentences(store, selection) if fmt != "nli" else None

            with count_progress("export", total) as advance:
                summary = run_export(
                    store,
                    fmt,
                    output,
                    selection,
                    on_misaligned=report,
                    on_progress=advance,
                    replace=force,
                    include_proposals=include_proposals,
                    config=config_path,
                )
    except RefusedInput as error:
        fail(str(error))
    except BrokenPipeError:
        # The reader stopped reading (`| head`): nothing to say, as the Python
        # docs advise; stdout goes to devnull so that the flush at exit is quiet.
        _silence_stdout()
        sys.exit(1)
    except OSError as error:
        if to_stdout:
            _silence_stdout()
        where = "stdout" if to_stdout else output
        fail(f"{where}: {error.strerror or error}; the export was not completed")
    except Stopped as stop:
        with contextlib.suppress(OSError):  # SIGHUP: the terminal may be gone
            click.echo(f"error: export stopped by {stop.name}; no file written", err=True)
        sys.exit(128 + stop.signum)
    show(summary.line(fmt, output), err=True)
    if summary.note:
        show(f"note: {summary.note}", err=True)
    if misaligned:
        show(f"{misaligned} spans did not align with tokens (named above)", err=True)


@app.command(name="import")
@click.argument("file", type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["native", "brat"]),
    default="native",
    show_default=True,
    help="native: JSONL as export writes it. brat: a folder of brat standoff gold "
    "(.txt + .ann with Source/Cue/Content, as brat, INCEpTION and PolNeAR write it).",
)
@click.option(
    "--reviewer",
    default=None,
    help="Credit every decision in FILE to NAME [default: the reviewers the file names].",
)
@db_option
def import_(file: str, fmt: str, reviewer: str | None, db_path: str) -> None:
    """Read native JSONL (from export, or edited by hand) into the database.

    A record for a sentence already stored updates it: its spans, attributions,
    labels and ratings become the record's. Each record that does not check out
    (offsets that do not match its text, a bad field) is named on stderr with its
    line number; the rest are still imported, and the exit code is 1.

    With --format brat, FILE is a folder: each document is segmented as ingest
    segments it, and its gold attributions become accepted SOURCE, CUE and QUOTE
    spans and attributions (a source that reads as unnamed is `anonymous`, any
    other `named_person`; review the kinds). Only spans an attribution ties
    together (a brat event, or relations to its cue) are read: a Source, Cue or
    Content on its own is not imported. A folder that cannot be read is refused
    whole.
    """
    from pathlib import Path

    from annotator.export.importer import import_brat, import_native

    if fmt == "native" and not Path(file).is_file():
        fail(f"{file}: {'not a regular file' if Path(file).exists() else 'no such file'}")
    if fmt == "brat" and not Path(file).is_dir():
        fail(f"{file}: not a folder of brat .txt and .ann files")
    if reviewer is not None:
        reviewer = _reviewer_name(reviewer)
        if not reviewer:
            fail("--reviewer must not be empty")
    run = import_brat if fmt == "brat" else import_native
    with open_store(db_path) as store:
        try:
            summary = run(
                store,
                file,
                reviewer=reviewer,
                on_refusal=lambda refusal: show(refusal.line(), err=True),
            )
        except RefusedInput as error:
            fail(str(error))
        line = with_owed_candidates(store, summary.line())
    show(line, err=True)
    if summary.refused:
        sys.exit(1)
