"""A fixed-size pane of styled text that repaints only the lines that changed."""

from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget


class Pane(Widget):
    """Shows one `Content`, wrapped or cut to its width as its CSS says.

    A Static repaints every line of itself on each update. A review key mostly
    changes a few lines (a span's status, the focus mark), so the pane keeps the lines
    it drew and repaints only those that differ: Textual composes, and writes to the
    terminal, that much less.
    """

    def __init__(self, content: Content | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Corpus text holds no links to style, and looking for them costs on every line.
        self.auto_links = False
        self._content = content or Content("")
        self._lines: list[Strip] = []
        # The size the lines were drawn at; None when they must be drawn again.
        self._drawn_at: Size | None = None

    def render(self) -> Content:
        return self._content

    def update(self, content: Content) -> None:
        # No early return on `content == self._content`: Content compares plain text
        # only, so a change of style alone (cursor, selection, focus) would be dropped.
        # What is compared is what is drawn, line by line, below.
        self._content = content
        if self._drawn_at != self.size:
            self.refresh()
            return
        before, after = self._lines, self._draw()
        self._lines = after
        width = self.size.width
        changed = [
            Region(0, y, width, 1)
            for y in range(max(len(before), len(after)))
            if y >= len(before) or y >= len(after) or before[y] != after[y]
        ]
        if changed:
            super().refresh(*changed)

    def refresh(self, *regions: Region, **options) -> "Pane":
        # A whole repaint (new size, new theme, new styles) draws every line again.
        if not regions:
            self._drawn_at = None
        return super().refresh(*regions, **options)

    def _draw(self) -> list[Strip]:
        width, height = self.size
        return Visual.to_strips(self, self._content, width, height, self.visual_style)

    def render_line(self, y: int) -> Strip:
        if self._drawn_at != self.size:
            self._lines = self._draw()
            self._drawn_at = self.size
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)
