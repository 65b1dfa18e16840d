"""The index folder is ours only when it holds our index or nothing: never emptied otherwise."""

from explorer.cli import main
from tests.conftest import ROOT


def run(capsys, *args):
    status = main(["--config", str(ROOT / "config.yaml"), *args])
    return status, *capsys.readouterr()


def test_a_read_command_never_empties_a_foreign_folder(tmp_path, seeds_copy, capsys):
    folder = tmp_path / "h"
    (folder / "Docs").mkdir(parents=True)
    (folder / "Docs" / "t.txt").write_text("x")
    status, out, err = run(capsys, "--corpus", str(seeds_copy), "--index", str(folder),
                           "--data", str(tmp_path / "data"), "search", "openai")
    assert status == 2
    assert err.count("\n") == 1 and "not an index" in err and "Docs" in err
    assert (folder / "Docs" / "t.txt").read_text() == "x"


def test_the_corpus_as_index_folder_is_refused_and_kept(tmp_path, seeds_copy, capsys):
    before = sorted(p.name for p in seeds_copy.iterdir())
    status, _, err = run(capsys, "--corpus", str(seeds_copy), "--index", str(seeds_copy),
                         "--data", str(tmp_path / "data"), "index")
    assert status == 2 and "index folder" in err and "corpus" in err
    assert sorted(p.name for p in seeds_copy.iterdir()) == before


def test_data_inside_the_index_folder_is_refused(tmp_path, seeds_copy, capsys):
    for data in (tmp_path / "ix", tmp_path / "ix" / "data"):
        status, _, err = run(capsys, "--corpus", str(seeds_copy), "--index", str(tmp_path / "ix"),
                             "--data", str(data), "index", "--rebuild")
        assert status == 2 and "data" in err


def test_rebuild_keeps_saved_searches_beside_an_index_it_did_not_make(tmp_path, seeds_copy,
                                                                       capsys):
    index = tmp_path / "ix"
    base = ["--corpus", str(seeds_copy), "--index", str(index), "--data", str(tmp_path / "d")]
    assert run(capsys, *base, "index")[0] == 0
    (index / "saved_searches.yaml").write_text("keep: me\n")
    status, _, err = run(capsys, *base, "index", "--rebuild")
    assert status == 2 and "saved_searches.yaml" in err
    assert (index / "saved_searches.yaml").read_text() == "keep: me\n"


def test_an_index_folder_is_rebuilt_and_an_empty_one_is_used(tmp_path, seeds_copy, capsys):
    index = tmp_path / "ix"
    index.mkdir()
    (index / ".gitkeep").write_text("")
    base = ["--corpus", str(seeds_copy), "--index", str(index), "--data", str(tmp_path / "d")]
    assert run(capsys, *base, "index")[0] == 0
    status, out, _ = run(capsys, *base, "index", "--rebuild")
    assert status == 0 and "2 articles" in out and (index / ".gitkeep").exists()


def test_an_index_path_that_is_a_file_is_one_line(tmp_path, seeds_copy, capsys):
    (tmp_path / "f").write_text("x")
    status, _, err = run(capsys, "--corpus", str(seeds_copy), "--index", str(tmp_path / "f"),
                         "--data", str(tmp_path / "d"), "index")
    assert status == 2 and err.count("\n") == 1 and (tmp_path / "f").read_text() == "x"


def test_an_index_from_before_the_move_is_rebuilt_not_a_traceback(tmp_path, seeds_copy, capsys):
    """Indexes written before the Whoosh internals moved name the old modules in their pickled
    table of contents (schema 4): opening one is one line, and `index` rebuilds it."""
    import json

    from explorer.index.manifest import read_manifest
    from explorer.search.article_index import ArticleIndex

    index = tmp_path / "ix"
    base = ["--corpus", str(seeds_copy), "--index", str(index), "--data", str(tmp_path / "d")]
    assert run(capsys, *base, "index")[0] == 0
    (toc,) = index.glob("_MAIN_*.toc")
    data = toc.read_bytes()
    assert b"explorer.index.whoosh_internals" in data
    toc.write_bytes(data.replace(b"explorer.index.whoosh_internals", b"explorer.codec"))
    # Indexes of then had one manifest.json (each generation has its own manifest now).
    (current,) = index.glob("manifest_*.json")
    manifest = read_manifest(index)
    manifest["format"] = 2
    current.unlink()
    (index / "manifest.json").write_text(json.dumps({**manifest, "schema": 4}))
    try:
        ArticleIndex(index)
    except Exception as error:      # noqa: BLE001 (the type is what is under test)
        assert type(error).__name__ == "UserError" and "another version" in str(error)
    else:
        raise AssertionError("an index naming moved modules opened")
    status, out, err = run(capsys, *base, "search", "Friar")
    assert status == 0 and "older version" in err + out and "Friar" in out
