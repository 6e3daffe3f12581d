"""The review screen's panes repaint only the lines that changed, and all of them
when their size changes."""

import asyncio

from textual.app import App
from textual.content import Content

from annotator.tui.pane import Pane


class CountingPane(Pane):
    """Records which lines Textual asked it to paint."""

    def __init__(self, content: Content) -> None:
        super().__init__(content, id="pane")
        self.painted: list[int] = []

    def render_line(self, y: int):
        self.painted.append(y)
        return super().render_line(y)


class OnePane(App):
    CSS = "#pane { width: 1fr; height: 1fr; }"

    def __init__(self, content: Content) -> None:
        super().__init__()
        self.content = content

    def compose(self):
        yield CountingPane(self.content)


def lines(*texts: str) -> Content:
    return Content("\n".join(texts))


def drive(scenario, size=(40, 10)):
    async def main():
        app = OnePane(lines("alpha", "beta", "gamma", "delta"))
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            pane = app.query_one(CountingPane)
            return await scenario(pilot, pane)

    return asyncio.run(main())


def shown(pane: Pane) -> list[str]:
    return [pane.render_line(y).text.rstrip() for y in range(pane.size.height)]


def test_an_update_repaints_only_the_lines_that_differ():
    async def scenario(pilot, pane):
        pane.painted.clear()
        pane.update(lines("alpha", "BETA", "gamma", "delta", "epsilon"))
        await pilot.pause()
        return sorted(set(pane.painted)), shown(pane)

    painted, screen = drive(scenario)
    assert painted == [1, 4]
    assert screen[:5] == ["alpha", "BETA", "gamma", "delta", "epsilon"]


def test_an_update_that_changes_nothing_repaints_nothing():
    async def scenario(pilot, pane):
        pane.painted.clear()
        pane.update(lines("alpha", "beta", "gamma", "delta"))
        await pilot.pause()
        return pane.painted

    assert drive(scenario) == []


def test_a_shorter_content_blanks_the_lines_it_no_longer_has():
    async def scenario(pilot, pane):
        pane.painted.clear()
        pane.update(lines("alpha"))
        await pilot.pause()
        return sorted(set(pane.painted)), shown(pane)

    painted, screen = drive(scenario)
    assert painted == [1, 2, 3]
    assert screen[:4] == ["alpha", "", "", ""]


def test_a_new_size_draws_every_line_again_at_the_new_width():
    async def scenario(pilot, pane):
        pane.update(Content("one two three four five six seven eight nine ten"))
        await pilot.pause()
        wide = shown(pane)
        pane.painted.clear()
        await pilot.resize_terminal(12, 10)
        await pilot.pause()
        return wide, sorted(set(pane.painted)), shown(pane)

    wide, painted, narrow = drive(scenario)
    assert wide[0] == "one two three four five six seven eight"
    assert painted == list(range(10))
    assert narrow[:5] == ["one two", "three four", "five six", "seven eight", "nine ten"]


def test_a_new_theme_draws_every_line_again_in_its_colours():
    async def scenario(pilot, pane):
        dark = pane.render_line(0)
        pilot.app.theme = "textual-light"
        await pilot.pause()
        return dark, pane.render_line(0)

    dark, light = drive(scenario)
    assert dark.text == light.text
    assert dark != light


def test_an_update_that_only_restyles_is_drawn():
    # Content's equality ignores styles: a pane that compared Content would keep the
    # old highlight when only the cursor or the selection moved.
    async def scenario(pilot, pane):
        plain = lines("alpha", "beta", "gamma", "delta")
        pane.update(plain.stylize("reverse", 6, 10))
        await pilot.pause()
        styled = [seg.style for seg in pane.render_line(1) if seg.text.strip()]
        pane.painted.clear()
        pane.update(plain)
        await pilot.pause()
        unstyled = [seg.style for seg in pane.render_line(1) if seg.text.strip()]
        return styled, unstyled, sorted(set(pane.painted))

    styled, unstyled, painted = drive(scenario)
    assert any(style and style.reverse for style in styled)
    assert not any(style and style.reverse for style in unstyled)
    assert painted == [1]
