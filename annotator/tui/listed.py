"""What the list screens (contradiction links, entities) share: the row the list
highlights, a bell when there is none, and moving with j / k."""

from textual.widgets import OptionList


class ListedRows:
    """Mixed into a Screen whose one OptionList shows `self.rows()`, in order."""

    def rows(self) -> list[dict]:
        raise NotImplementedError

    @property
    def current(self) -> dict | None:
        if not self.is_mounted:
            return None
        rows = self.rows()
        index = self.query_one(OptionList).highlighted
        if index is None or not (0 <= index < len(rows)):
            return None
        return rows[index]

    def require_current(self) -> dict | None:
        """The focused row; a bell when the list is empty."""
        row = self.current
        if row is None:
            self.app.bell()
        return row

    def action_step(self, direction: int) -> None:
        options = self.query_one(OptionList)
        if direction > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()
