"""A progress bar on stderr for commands that walk many files; silent when
stderr is not a terminal, so logs and pipes stay clean."""

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.core.readers import iter_input_files
from annotator.core.text import visible

# The bar on screen, if any: a line written to stderr while it is drawn would be
# glued to it ("0/3 a.txtb.txt: not UTF-8 ..."), so lines go through its console.
_shown = None


def say(line: str) -> bool:
    """Print `line` (already made printable) above the bar; False when no bar is shown."""
    if _shown is None:
        return False
    from rich.text import Text

    _shown.console.print(Text(line), soft_wrap=True)
    return True


@contextlib.contextmanager
def _showing(progress) -> Iterator[None]:
    global _shown
    _shown = progress
    try:
        with progress:
            yield
    finally:
        _shown = None


@contextlib.contextmanager
def file_progress(paths) -> Iterator[Callable[[Path], None]]:
    """Yields a callback to call as each file starts."""
    if not sys.stderr.isatty():
        yield lambda path: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    # Counting first walks the folders twice but keeps no list of files.
    total = sum(1 for item in iter_input_files(paths) if isinstance(item, Path))
    progress = Progress(
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[name]}", markup=False),
        console=Console(stderr=True),
        transient=True,
    )
    with _showing(progress):
        task = progress.add_task("ingest", total=total, name="")
        started = 0

        def on_file(path: Path) -> None:
            nonlocal started
            if started:
                progress.advance(task)
            started += 1
            # a file's name is the user's input, shown as any listing is
            progress.update(task, name=visible(path.name))

        yield on_file
        progress.update(task, completed=total)


@contextlib.contextmanager
def count_progress(label: str, count: Callable[[], int | None]) -> Iterator[Callable[[int], None]]:
    """Yields a callback taking how many more items are done. `count` gives the total
    and is only called when the bar is shown: silent when stderr is not a terminal
    or there is nothing to count."""
    total = count() if sys.stderr.isatty() else None
    if not total:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    progress = Progress(
        TextColumn(label, markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with _showing(progress):
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)
