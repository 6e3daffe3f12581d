"""The layers, read from the source: every import in the package, those inside
functions included."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "annotator"
# What the domain core must never reach for, even lazily.
ABOVE_CORE = ("annotator.nlp", "annotator.tui", "annotator.export", "annotator.contradictions")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        yield name.removesuffix(".__init__"), _imports(path)


def _reaches(imported: str, prefix: str) -> bool:
    return imported == prefix or imported.startswith(prefix + ".")


def test_the_core_imports_nothing_above_it():
    wrong = {
        (module, imported)
        for module, imports in _modules()
        if _reaches(module, "annotator.core")
        for imported in imports
        if any(_reaches(imported, above) for above in ABOVE_CORE) or _reaches(imported, "textual")
    }
    assert wrong == set()


def test_only_the_cli_imports_the_tui():
    wrong = {
        (module, imported)
        for module, imports in _modules()
        if not _reaches(module, "annotator.tui") and module != "annotator.cli"
        for imported in imports
        if _reaches(imported, "annotator.tui")
    }
    assert wrong == set()


def test_the_reader_sees_imports_inside_functions():
    # The check itself must find a lazy import, or it proves nothing.
    found = dict(_modules())
    assert "annotator.tui.app" in found["annotator.cli"] or any(
        _reaches(i, "annotator.tui") for i in found["annotator.cli"]
    )
