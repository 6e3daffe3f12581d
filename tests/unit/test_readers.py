import json

from annotator.core.readers import RawDocument, Refusal, iter_input_files, read_documents


def read_all(path, **options):
    return list(read_documents(path, **options))


def test_sidecar_meta_is_read(tmp_path):
    article = tmp_path / "report.txt"
    article.write_text("Shares fell 10% on Monday.")
    (tmp_path / "report.meta.json").write_text(
        json.dumps({"outlet": "Reuters", "published": "2019-05-22", "section": "tech"})
    )
    [document] = read_all(article)
    assert document.meta == {"outlet": "Reuters", "published": "2019-05-22", "section": "tech"}


def test_a_broken_sidecar_refuses_its_document(tmp_path):
    article = tmp_path / "report.txt"
    article.write_text("Shares fell.")
    (tmp_path / "report.meta.json").write_text("{not json")
    [refusal] = read_all(article)
    assert isinstance(refusal, Refusal) and "sidecar report.meta.json" in refusal.reason


def test_jsonl_good_lines_pass_and_bad_lines_are_refused_by_line_number(tmp_path):
    corpus = tmp_path / "batch.jsonl"
    corpus.write_bytes(
        b'{"text": "First article.", "meta": {"outlet": "AP"}}\n'
        b"\n"
        b'{"meta": {"outlet": "AP"}}\n'
        b"not json\n"
        b'["a list"]\n'
        b'{"text": 42}\n'
        b'{"text": "x", "meta": {"title": 7}}\n'
        b'{"text": "\xff bad bytes"}\n'
        b'{"text": "Second article.", "url": "https://example.org/2"}\n'
    )
    results = read_all(corpus)
    documents = [r for r in results if isinstance(r, RawDocument)]
    refusals = {r.origin.rsplit(":", 1)[1]: r.reason for r in results if isinstance(r, Refusal)}
    assert [d.text for d in documents] == ["First article.", "Second article."]
    assert documents[1].meta == {"url": "https://example.org/2"}
    assert refusals == {
        "3": "no `text` field",
        "4": "not valid JSON (Expecting value at column 1)",
        "5": "a record must be a JSON object, not list",
        "6": "`text` must be a string",
        "7": "`meta`.title must be a string",
        "8": "not UTF-8 text (byte 0xff at offset 10)",
    }


def test_deeply_nested_json_is_refused_not_crashed(tmp_path):
    corpus = tmp_path / "deep.jsonl"
    corpus.write_text('{"text": "a", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    [refusal] = read_all(corpus)
    assert isinstance(refusal, Refusal)


def test_folders_are_walked_in_name_order_skipping_hidden_files_and_sidecars(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "a.meta.json").write_text("{}")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path])]
    assert found == ["a.txt", "picture.png", "b/z.txt"]
    [refusal] = read_all(tmp_path / "picture.png")
    assert "unsupported file type (.png" in refusal.reason


def test_a_missing_path_is_refused(tmp_path):
    [refusal] = list(iter_input_files([tmp_path / "nope.txt"]))
    assert refusal.reason == "no such file or directory"


def test_oversized_files_are_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("x" * 100)
    [refusal] = read_all(big, max_chars=10)
    assert refusal.reason.startswith("file too large: 100 bytes")
