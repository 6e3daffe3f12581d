"""One export run: the chosen format, from the selected sentences, to a file or stdout."""

import json
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass

from annotator.core.store import Store
from annotator.export.native import native_lines, write_native
from annotator.export.output import atomic_path, binary_output, text_output
from annotator.export.selection import Selection
from annotator.export.tokens import OnMisaligned

FORMATS = ("native", "prodigy", "nli", "spacy")
# Progress is reported every this many records, not on each one.
PROGRESS_STEP = 1000


@dataclass
class ExportSummary:
    written: int = 0
    unit: str = "sentences"
    # a remark for the user beside the count, when there is one
    note: str | None = None

    def line(self, fmt: str, output: str | None) -> str:
        where = f" to {output}" if output and output != "-" else ""
        return f"{self.written} {self.unit} exported ({fmt}){where}"


def run_export(
    store: Store,
    fmt: str,
    output: str | None,
    selection: Selection,
    *,
    on_misaligned: OnMisaligned,
    on_progress: Callable[[int], None] = lambda n: None,
    workers: int = 2,
    replace: bool = False,
    include_proposals: bool = False,
    config: str | None = None,
) -> ExportSummary:
    """Write `fmt` to `output` (stdout when None); an existing file is only
    replaced when `replace` is true. For `spacy`: `include_proposals` adds undecided
    proposals as silver spans, and `config` names a config.cfg to write beside it."""
    summary = ExportSummary()
    # Generators over the store are closed by `closing` below, not left to the
    # garbage collector: after a failed write it would find the store closed.
    # The database read is never the file written, whatever --force says.
    keep = [store.path]

    def counted(lines: Iterator) -> Iterator:
        for line in lines:
            summary.written += 1
            if summary.written % PROGRESS_STEP == 0:
                on_progress(PROGRESS_STEP)
            yield line

    if fmt == "native":

        def progress(lines: int) -> None:
            summary.written += lines
            on_progress(lines)

        with binary_output(output, replace=replace, keep=keep) as stream:
            write_native(store, stream, selection, workers=workers, on_lines=progress)
    elif fmt == "prodigy":
        from annotator.export.prodigy import prodigy_tasks

        lines = native_lines(store, selection)
        records = (json.loads(line) for line in counted(lines))
        with closing(lines), text_output(output, replace=replace, keep=keep) as stream:
            for task in prodigy_tasks(records, on_misaligned):
                stream.write(json.dumps(task, ensure_ascii=False) + "\n")
    elif fmt == "spacy":
        from annotator.core.errors import RefusedInput
        from annotator.export.docbin import training_config, write_docbin

        lines = native_lines(store, selection)
        records = (json.loads(line) for line in counted(lines))
        with closing(lines), atomic_path(output, replace=replace, keep=keep) as temporary:
            written = write_docbin(
                records, temporary, on_misaligned, include_proposals=include_proposals
            )
            if config:
                if not written.labels and not (written.positive and written.negative):
                    # Refused before the DocBin is moved into place: nothing is written.
                    raise RefusedInput(
                        "--config: nothing to train on: no span and no CFS together with "
                        "UFS/NFS sentence labels in the export"
                    )
                with text_output(config, replace=replace, keep=keep) as stream:
                    stream.write(training_config(written, output))
        summary.unit = "docs"
        summary.note = _docbin_note(written, config, include_proposals)
    elif fmt == "nli":
        from annotator.export.nli import nli_lines

        summary.unit = "links"
        with text_output(output, replace=replace, keep=keep) as stream:
            for line in counted(nli_lines(store, selection.since)):
                stream.write(line + "\n")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return summary


def _docbin_note(written, config: str | None, include_proposals: bool) -> str:
    note = f"{written.spans} spans and {written.entities} entities"
    if written.silver:
        note += f" ({written.silver} of them proposals, as silver data)"
    if written.not_reviewed and not include_proposals:
        note += (
            f"; {written.not_reviewed} docs still have proposals to review "
            "(--reviewed-only leaves them out)"
        )
    if config:
        parts = []
        if written.labels:
            parts.append(f"spancat suggesting {written.min_tokens}-{written.max_tokens} tokens")
        if written.positive and written.negative:
            parts.append("check-worthiness textcat")
        note += f"; config {config}: {', '.join(parts)}"
    return note
