"""Hostile corpus files: each bad file is one skip line with its reason and the rest is indexed;
nothing hangs (FIFOs, /dev/zero), nothing crashes (deep JSON, lone surrogates, bad names),
nothing expands (YAML front matter with aliases), and duplicate record ids are both kept."""

import json
import os

import pytest

from explorer.cli import main
from explorer.ingest.corpus import ReadLimits, read_file, walk
from explorer.text import printable

GOOD = "Oil prices rise\n\nCrude oil rose on Monday as traders weighed supply.\n"


def laughs_front_matter() -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + "\ntitle: *l8\n---\nBody about oil.\n"


@pytest.fixture
def hostile(tmp_path):
    """A corpus with one good file beside every kind of bad one, and a config over it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    os.mkfifo(corpus / "p.txt")                                   # reading it blocks
    os.symlink("/dev/zero", corpus / "zero.txt")                  # reading it never ends
    (tmp_path / "outside.txt").write_text(GOOD.replace("Oil", "Outside"))
    os.symlink(tmp_path / "outside.txt", corpus / "out.txt")      # leads out of the corpus
    os.symlink("good.txt", corpus / "inside.txt")                 # stays inside: read
    (corpus / "big.txt").write_text("word " * 12_000)             # over the 0.05 MB cap
    with open(os.path.join(os.fsencode(corpus), b"bad\xffname.txt"), "w") as handle:
        handle.write("A file whose name is not UTF-8\n\nIts body mentions oil.\n")
    (corpus / "esc\x1b]0;owned\x07.txt").write_text("Escapes\n\nA name that sets a title.\n")
    (corpus / "deep.json").write_text("[" * 30_000)
    (corpus / "deep.jsonl").write_text("[" * 30_000 + "\n" + json.dumps(
        {"id": "ok", "title": "Deep neighbour", "body": "This line is fine: oil."}) + "\n")
    (corpus / "surrogate.jsonl").write_text(
        '{"id": "s\\ud800", "title": "Lone \\udfff surrogate", "body": "Text \\ud800 oil."}\n')
    (corpus / "laughs.md").write_text(laughs_front_matter())
    (corpus / "ids.jsonl").write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "7", "title": "First seven", "body": "The first record with id 7, oil."},
        {"id": "7", "title": "Second seven", "body": "The second record with id 7, oil."},
        {"id": "\x1b]52;c;aGk=\x07", "title": "Clipboard", "body": "An id that sets it."},
    ]))
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: {corpus}\nindex: {tmp_path / 'ix'}\ndata: {tmp_path / 'data'}\n"
                      "max_file_mb: 0.05\n")
    return config, corpus


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def test_every_bad_file_is_one_skip_and_the_rest_is_indexed(hostile, capsys):
    config, corpus = hostile
    status, out, err = run(capsys, "--config", str(config), "index", "--json")
    assert status == 0, err
    summary = json.loads(out)
    reasons = {}
    for skip in summary["skips"]:
        reasons.setdefault(skip["path"], []).append(skip["reason"])
    assert reasons.pop("p.txt") == ["not a regular file (a FIFO)"]
    assert reasons.pop("zero.txt")[0].startswith("a symlink out of the corpus")
    assert reasons.pop("out.txt")[0].startswith("a symlink out of the corpus")
    assert reasons.pop("big.txt") == [
        "too big (60,000 bytes; the limit is 52,428 bytes, config 'max_file_mb')"]
    assert reasons.pop("deep.json") == ["JSON nested too deeply"]
    assert reasons.pop("deep.jsonl") == ["1: JSON nested too deeply"]
    assert reasons.pop("laughs.md") == [
        "front matter:2: invalid YAML: anchors (&l0) are not allowed"]
    (note,) = reasons.pop("ids.jsonl")
    assert note == "line 2: its id is also that of line 1: indexed as 'ids.jsonl#7~2'"
    assert reasons == {}
    # good, inside (a symlink within the corpus), bad\xffname, esc..., deep.jsonl's good line,
    # surrogate, the three ids.jsonl records (two with id 7).
    assert (summary["articles"], summary["duplicates"]) == (8, 1)   # inside.txt = good.txt

    status, out, _ = run(capsys, "--config", str(config), "search", "", "--limit", "50",
                         "--json")
    hits = json.loads(out)
    paths = {hit["path"] for hit in hits}
    assert {"bad\\xffname.txt", "esc\u241b]0;owned\u2407.txt", "ids.jsonl#7", "ids.jsonl#7~2",
            "ids.jsonl#\u241b]52;c;aGk=\u2407", "surrogate.jsonl#s\ufffd", "deep.jsonl#ok",
            "good.txt"} <= paths
    assert len({hit["id"] for hit in hits}) == len(hits)
    titles = {hit["title"] for hit in hits}
    assert {"First seven", "Second seven", "Lone \ufffd surrogate"} <= titles


def test_the_ids_of_repeated_records_are_stable(hostile, capsys):
    _, corpus = hostile
    files, _ = walk(corpus)
    (ids_file,) = [f for f in files if f.rel == "ids.jsonl"]
    first = [(a.id, a.path) for a in read_file(ids_file).articles]
    again = [(a.id, a.path) for a in read_file(ids_file).articles]
    assert first == again and len({i for i, _ in first}) == 3


def test_symlinks_out_and_the_size_cap_follow_the_config(hostile):
    _, corpus = hostile
    files, skips = walk(corpus, ReadLimits(max_bytes=100_000, symlinks_out=True))
    names = {f.rel for f in files}
    assert {"out.txt", "big.txt"} <= names
    assert {s.path: s.reason for s in skips}["zero.txt"] == "not a regular file (a device)"
    (out_file,) = [f for f in files if f.rel == "out.txt"]
    assert read_file(out_file).articles[0].title == "Outside prices rise"


def test_a_fifo_put_in_place_after_the_walk_is_not_read(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    (file,), _ = walk(tmp_path)
    os.unlink(tmp_path / "a.txt")
    os.mkfifo(tmp_path / "a.txt")
    contents = read_file(file)
    assert [str(s) for s in contents.skips] == ["a.txt: not a regular file (a FIFO)"]


def test_names_and_ids_reach_the_terminal_only_as_visible_text(hostile, capsys):
    config, _ = hostile
    run(capsys, "--config", str(config), "index")
    for fmt in ("text", "json", "csv"):
        status, out, _ = run(capsys, "--config", str(config), "search", "", "--limit", "50",
                             "--format", fmt)
        assert status == 0
        assert "\x1b" not in out and "\x07" not in out
    status, out, _ = run(capsys, "--config", str(config), "search", "clipboard", "--json")
    (hit,) = json.loads(out)
    status, out, _ = run(capsys, "--config", str(config), "show", hit["id"])
    assert status == 0 and "\x1b" not in out and printable(out) == out


def test_json_and_csv_output_escape_what_a_terminal_would_obey(capsys):
    from explorer.cli.output import emit_csv, emit_json

    data = {"id": "x\x9b31m\ud800\u202ey\x1b]52;c;aGk=\x07"}
    emit_json(data)
    out = capsys.readouterr().out
    assert no_terminal_controls(out) and json.loads(out) == data      # the data unchanged
    emit_csv([{"id": data["id"], "n": 1}], ["id", "n"])
    out = capsys.readouterr().out.replace("\r\n", "\n")      # RFC 4180 line ends
    assert no_terminal_controls(out) and "\u241b]52;c;aGk=\u2407" in out


def no_terminal_controls(text: str) -> bool:
    return not any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) < 0xA0
                   or 0xD800 <= ord(c) < 0xE000 or c in "\u202a\u202b\u202c\u202d\u202e"
                   for c in text)


def test_stats_names_an_index_folder_without_its_escapes(tmp_path, seeds_copy, capsys):
    index = tmp_path / "ix\x1b]0;owned\x07"
    args = ["--corpus", str(seeds_copy), "--index", str(index), "--data", str(tmp_path / "d")]
    assert main(["stats", *args]) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "ix\u241b]0;owned\u2407" in out


@pytest.mark.parametrize("line, message", [
    ("max_file_mb: -1", "'max_file_mb' must be a number of megabytes above 0"),
    ("max_file_mb: lots", "'max_file_mb' must be a number of megabytes above 0"),
    ("symlinks_out: maybe", "'symlinks_out' must be true or false"),
])
def test_the_read_limits_in_the_config_are_checked(tmp_path, capsys, line, message):
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: {tmp_path}\nindex: {tmp_path / 'ix'}\n{line}\n")
    assert main(["--config", str(config), "stats"]) == 2
    assert capsys.readouterr().err == f"news-explorer: {config}:3: {message}\n"
