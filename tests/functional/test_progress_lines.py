"""What a person at a terminal sees when `annotator ingest` refuses a file while
its progress bar is drawn: the refusal on a line of its own, the bar gone."""

from tests.terminal import Terminal


def test_a_refusal_under_the_progress_bar_is_a_line_of_its_own(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a_good.txt").write_text("Officials said 3 plants closed on Friday.\n")
    (folder / "b_bad.txt").write_bytes(b"\xc3\x28 not text")
    (folder / "c_good.txt").write_text("Ann Roe said 4 mills shut down.\n")
    terminal = Terminal(
        "ingest", str(folder), "--db", str(tmp_path / "x.db"), "--model", "rules", cwd=tmp_path
    )
    try:
        terminal.wait_for(lambda text: "documents added" in text)
        assert terminal.process.wait(timeout=30) == 1
        terminal.pump(0.2)
        screen = terminal.text
    finally:
        terminal.kill()
    lines = [line.rstrip() for line in screen.splitlines() if line.strip()]
    refusal = next(line for line in lines if "b_bad.txt" in line)
    assert refusal.startswith(str(folder / "b_bad.txt")), lines
    assert not any("━" in line or "ingest " in line for line in lines), lines
    assert any(line.startswith("2 documents added") for line in lines), lines


def test_review_of_paths_with_a_refused_file_exits_1_after_the_screen(tmp_path):
    (tmp_path / "good.txt").write_text("Officials said 3 plants closed on Friday.\n")
    (tmp_path / "bad.txt").write_bytes(b"\xc3\x28 not text")
    terminal = Terminal(
        "review", "good.txt", "bad.txt", "--db", "x.db", "--model", "rules", cwd=tmp_path
    )
    try:
        terminal.wait_for(lambda text: "sentences reviewed" in text)
        terminal.send("q")
        code = terminal.process.wait(timeout=30)
    finally:
        terminal.kill()
    assert code == 1
