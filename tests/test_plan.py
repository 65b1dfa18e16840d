"""The pure parts of an update: stable id assignment and the file plan (no files, no Whoosh)."""

from pathlib import Path

from explorer.index.ids import assign_ids
from explorer.index.plan import plan_files
from explorer.ingest.corpus import SourceFile


def test_a_text_keeps_its_id_whichever_copies_remain():
    old = {"h1": "id-a", "h2": "id-b"}
    old_hash_of = {"a.txt": "h1", "b.txt": "h2", "c.txt": "h1"}
    # a.txt (which gave id-a) is gone, 0.txt is a new copy sorting first, c.txt remains.
    now = [("0.txt", "h1", "own-0"), ("c.txt", "h1", "own-c"), ("b.txt", "h2", "own-b")]
    assert assign_ids(old, old_hash_of, now) == {"h1": "id-a", "h2": "id-b"}


def test_an_edited_file_keeps_its_id_unless_a_copy_of_its_old_text_remains():
    old = {"h1": "id-a", "h2": "id-b"}
    old_hash_of = {"a.txt": "h1", "b.txt": "h2", "b2.txt": "h2"}
    now = [("a.txt", "h1-new", "id-a"), ("b.txt", "h2-new", "id-b"), ("b2.txt", "h2", "own")]
    ids = assign_ids(old, old_hash_of, now)
    assert ids["h1-new"] == "id-a"                 # edited in place, its old text gone
    assert ids["h2"] == "id-b"                     # the copy keeps the old text's id
    assert ids["h2-new"] not in ("id-a", "id-b")   # the edited copy is a new article
    assert len(set(ids.values())) == 3


def test_a_new_text_whose_path_id_is_taken_gets_another():
    old = {"h1": "x"}
    now = [("a.txt", "h1", "y"), ("z.txt", "h9", "x")]
    ids = assign_ids(old, {"a.txt": "h1"}, now)
    assert ids["h1"] == "x" and ids["h9"] not in ("x", "y") and len(ids["h9"]) == 12


def test_the_file_plan_reads_new_changed_and_skipped_files_only():
    def source(rel, sig):
        return SourceFile(Path("/c") / rel, rel, sig, sig)
    base = {"schema": 5, "corpus": "/c", "annotator": None, "walk_skips": [], "files": {
        "same.txt": {"sig": [1, 1], "articles": [["i", "h", "same.txt"]], "skips": []},
        "edited.txt": {"sig": [1, 1], "articles": [["j", "g", "edited.txt"]], "skips": []},
        "empty.txt": {"sig": [1, 1], "articles": [], "skips": [["empty.txt", "empty"]],
                      "retry": True},
        "gone.txt": {"sig": [1, 1], "articles": [["k", "f", "gone.txt"]], "skips": []}}}
    files = [source("same.txt", 1), source("edited.txt", 2), source("empty.txt", 1),
             source("new.txt", 3)]
    plan = plan_files(base, 7, Path("/c"), files, [], None, 5)
    assert [f.rel for f in plan.read] == ["edited.txt", "empty.txt", "new.txt"]
    assert plan.retry == ["empty.txt"] and plan.removed == ["gone.txt"]
    assert plan.unchanged == ["same.txt"] and plan.rebuild is None
    assert plan.stale == "files were added, changed or removed"
    assert plan_files(base, 7, Path("/c"), files, [], None, 6).rebuild.startswith("the index")
    assert plan_files(base, 7, Path("/c"), files, [], None, 5, rebuild=True).read == files
