"""Saved searches: the YAML file, what is new since last opened, safety of the file, the CLI."""

import datetime as dt
import json
import multiprocessing
import sys

import pytest

from explorer.store import saved_searches as store
from explorer.cli import build_parser, main
from explorer.errors import DataFileError, NotFoundError
from explorer.store.saved_searches import DuplicateNameError, SavedSearch
from explorer.search.article_index import SearchRequest
from tests.conftest import ROOT

NEW_ARTICLE = (" date 2025-07-02 Scale and Meta close their deal as Friar looks on.\n\n"
               "Meta completed its investment in Scale on Wednesday, people said.\n")
WHEN = dt.datetime(2025, 6, 20, 9, 30, tzinfo=dt.timezone.utc)


# -- the file ----------------------------------------------------------------------------------
def test_round_trip_keeps_every_field(tmp_path):
    first = SavedSearch("Scale deal", '"Scale AI" Meta', ("OpenAI", "Meta"), "date",
                        created=WHEN, last_opened=WHEN + dt.timedelta(days=1),
                        seen=("49b354e22f16", "012345678901"))
    second = SavedSearch("Everything", created=WHEN)
    store.add_saved_search(tmp_path, first)
    store.add_saved_search(tmp_path, second)
    assert store.load_saved_searches(tmp_path) == [first, second]
    text = (tmp_path / "saved_searches.yaml").read_text()
    assert "- name: Scale deal\n" in text and "sort: date" in text
    assert "&id" not in text and "*id" not in text           # no YAML anchors for a person


def test_hand_written_file_is_read(tmp_path):
    (tmp_path / "saved_searches.yaml").write_text(
        "searches:\n"
        "- name: Friar\n"
        "  query: Friar\n"
        "  created: 2025-06-20T09:30:00Z\n"
        "- name: deals\n"
        "  entities: Meta\n"
        "  seen: [49b354e22f16, aa8026e343af]\n"
        "- name: wrapped\n"
        "  seen: 49b354e22f16\n"
        "    aa8026e343af\n")
    friar, deals, wrapped = store.load_saved_searches(tmp_path)
    assert friar.created == WHEN and friar.last_opened is None and friar.seen == ()
    assert deals.query == "" and deals.entities == ("Meta",) and deals.sort == "relevance"
    assert deals.seen == wrapped.seen == ("49b354e22f16", "aa8026e343af")


def test_one_seen_id_of_digits_stays_a_string(tmp_path):
    search = SavedSearch("digits", created=WHEN, seen=("123456789012",))
    store.add_saved_search(tmp_path, search)
    assert store.load_saved_searches(tmp_path) == [search]


def test_missing_or_empty_file_is_no_searches(tmp_path):
    assert store.load_saved_searches(tmp_path / "absent") == []
    (tmp_path / "saved_searches.yaml").write_text("# nothing yet\n")
    assert store.load_saved_searches(tmp_path) == []


def test_rename_remove_and_unknown_names(tmp_path):
    store.add_saved_search(tmp_path, SavedSearch("one", "a", created=WHEN))
    store.add_saved_search(tmp_path, SavedSearch("two", "b", created=WHEN))
    renamed = store.rename_saved_search(tmp_path, "ONE", "  first   one ")
    assert renamed.name == "first one" and renamed.query == "a"
    assert [s.name for s in store.load_saved_searches(tmp_path)] == ["first one", "two"]
    assert store.remove_saved_search(tmp_path, "two").query == "b"
    assert [s.name for s in store.load_saved_searches(tmp_path)] == ["first one"]
    with pytest.raises(NotFoundError, match="no saved search named 'two'"):
        store.remove_saved_search(tmp_path, "two")


def test_control_characters_in_a_name_are_made_visible(tmp_path):
    added = store.add_saved_search(tmp_path, SavedSearch("red\x1b[31m\tname", created=WHEN))
    assert added.name == "red\u241b[31m name"
    assert store.find(store.load_saved_searches(tmp_path), "red\x1b[31m name") == added


def test_duplicate_name_is_an_error_not_an_overwrite(tmp_path):
    store.add_saved_search(tmp_path, SavedSearch("Scale", "Scale Meta", created=WHEN))
    path = tmp_path / "saved_searches.yaml"
    before = path.read_bytes()
    with pytest.raises(DuplicateNameError, match="'Scale' exists already"):
        store.add_saved_search(tmp_path, SavedSearch("scale", "something else"))
    store.add_saved_search(tmp_path, SavedSearch("Other", "x", created=WHEN))
    with pytest.raises(DuplicateNameError):
        store.rename_saved_search(tmp_path, "Other", "SCALE")
    (scale, other) = store.load_saved_searches(tmp_path)
    assert scale.query == "Scale Meta" and other.name == "Other"
    assert path.read_bytes().startswith(before[: before.index(b"- name: Scale")])


def test_duplicate_name_in_a_hand_edited_file_names_both_lines(tmp_path):
    (tmp_path / "saved_searches.yaml").write_text(
        "searches:\n- name: a\n  query: x\n- name: A\n  query: y\n")
    with pytest.raises(DataFileError, match=r"saved_searches.yaml:4: duplicate name 'A' "
                                            r"\(also on line 2\)"):
        store.load_saved_searches(tmp_path)


@pytest.mark.parametrize("text, where", [
    ("searches:\n- name: a\n  query: [unclosed\n", ":4: invalid YAML"),
    ("searches:\n- name: a\n- name: b\n  sort: newest\n", ":3: 'sort' must be one of"),
    ("searches:\n- name: a\n  qurey: typo\n", ":2: unknown key 'qurey'"),
    ("searches:\n- name: a\n  last_opened: yesterday\n", ":2: 'last_opened' must be a date"),
    ("searches:\n- just a string\n", ":2: each saved search must be a mapping"),
    ("searches: 3\n", ":1: 'searches' must be a list"),
])
def test_corrupt_file_is_reported_with_its_line_and_left_untouched(tmp_path, text, where):
    path = tmp_path / "saved_searches.yaml"
    path.write_text(text)
    before = path.read_bytes()
    attempts = [
        lambda: store.add_saved_search(tmp_path, SavedSearch("new one", "Scale")),
        lambda: store.rename_saved_search(tmp_path, "a", "b2"),
        lambda: store.remove_saved_search(tmp_path, "a"),
        lambda: store.mark_seen(tmp_path, "a", ["x"]),
        lambda: store.save_saved_searches(tmp_path, []),
    ]
    for attempt in attempts:
        with pytest.raises(DataFileError) as caught:
            attempt()
        assert f"{path}{where}" in str(caught.value)
        assert "\n" not in str(caught.value)
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".saved_searches.yaml.lock",
                                                          "saved_searches.yaml"]


def test_a_data_folder_that_cannot_be_written_is_one_line(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be\n")
    with pytest.raises(DataFileError, match=r"saved_searches.yaml: cannot save: "):
        store.add_saved_search(blocker, SavedSearch("x", "y"))
    assert blocker.read_text() == "a file where the data folder should be\n"


# -- new since last opened ---------------------------------------------------------------------
def test_new_since_last_opened_after_an_article_is_added_and_indexed(seeds_ws, seeds_copy):
    data = seeds_ws.config.data
    saved = store.save_current(seeds_ws, "Scale", SearchRequest("Scale Meta", sort="date"))
    assert len(saved.seen) == 2 and saved.last_opened is not None
    (status,) = store.statuses(seeds_ws)
    assert (status.matches, status.new) == (2, 0)

    (seeds_copy / "2025-07-02-scale-deal-closes.txt").write_text(NEW_ARTICLE)
    seeds_ws.update_index()
    (status,) = store.statuses(seeds_ws)
    assert (status.matches, status.new) == (3, 1)

    peek = store.run_saved_search(seeds_ws, "scale", mark=False)
    (new_id,) = peek.new
    assert peek.results.hits[0].id == new_id           # sorted by date: the new one first
    assert peek.is_new(new_id) and not peek.is_new(peek.results.hits[1].id)
    assert store.status(seeds_ws, store.find(store.load_saved_searches(data), "Scale")).new == 1

    run = store.run_saved_search(seeds_ws, "Scale")
    assert run.new == [new_id] and len(run.matching) == 3
    (status,) = store.statuses(seeds_ws)
    assert (status.matches, status.new) == (3, 0)
    assert run.search.last_opened >= saved.last_opened


def test_a_search_never_opened_counts_everything_as_new(seeds_ws):
    store.add_saved_search(seeds_ws.config.data, SavedSearch("all", ""))
    (status,) = store.statuses(seeds_ws)
    assert (status.matches, status.new) == (2, 2)


def test_a_query_that_no_longer_parses_is_an_error_for_that_search_only(seeds_ws):
    store.add_saved_search(seeds_ws.config.data, SavedSearch("broken", "title:(Scale"))
    store.add_saved_search(seeds_ws.config.data, SavedSearch("fine", "Friar"))
    broken, fine = store.statuses(seeds_ws)
    assert broken.matches is None and "'(' without a matching ')'" in broken.error
    assert (fine.matches, fine.error) == (1, None)


def test_suggested_names_are_short_and_unique():
    assert store.suggest_name('"Scale AI" Meta') == "Scale AI Meta"
    assert store.suggest_name("", ("OpenAI",)) == "OpenAI"
    assert store.suggest_name("") == "all articles"
    assert store.suggest_name("Friar", taken=["friar", "Friar (2)"]) == "Friar (3)"
    long = store.suggest_name("one two three four five six seven eight nine ten eleven")
    assert len(long) <= 40 and long.endswith("eight")


# -- two processes saving at once --------------------------------------------------------------
def _add_many(data, prefix, start, count):
    start.wait()
    for number in range(count):
        store.add_saved_search(data, SavedSearch(f"{prefix} {number}", f"query {number}"))


def test_concurrent_writers_lose_no_search(tmp_path):
    context = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
    start = context.Barrier(2)
    workers = [context.Process(target=_add_many, args=(tmp_path, prefix, start, 12))
               for prefix in ("left", "right")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [w.exitcode for w in workers] == [0, 0]
    names = {s.name for s in store.load_saved_searches(tmp_path)}
    assert names == {f"{p} {n}" for p in ("left", "right") for n in range(12)}


# -- the command line --------------------------------------------------------------------------
@pytest.fixture
def cli(tmp_path, seeds_copy, capsys):
    base = ["--config", str(ROOT / "config.yaml"), "--corpus", str(seeds_copy),
            "--index", str(tmp_path / "index"), "--data", str(tmp_path / "data")]

    def run(*args):
        status = main([*args, *base])
        out, err = capsys.readouterr()
        return status, out, err
    return run


def test_cli_add_list_run_rename_rm(cli, seeds_copy, tmp_path):
    assert cli("saved", "list", "--json")[:2] == (0, "[]\n")
    status, out, _ = cli("saved", "add", "Scale", "Scale Meta", "--sort", "date")
    assert status == 0 and "2 matches" in out
    assert cli("saved", "add", "CFO", "Friar", "--json")[0] == 0

    (seeds_copy / "2025-07-02-scale-deal-closes.txt").write_text(NEW_ARTICLE)
    status, out, _ = cli("saved", "list", "--json")
    rows = {row["name"]: row for row in json.loads(out)}
    assert {k: rows["Scale"][k] for k in ("query", "matches", "new")} == {
        "query": "Scale Meta", "matches": 3, "new": 1}
    assert (rows["CFO"]["matches"], rows["CFO"]["new"]) == (2, 1)

    status, out, _ = cli("saved", "run", "Scale", "--json", "--peek")
    peeked = json.loads(out)
    assert status == 0 and peeked["name"] == "Scale" and len(peeked["new"]) == 1
    _, search_out, _ = cli("search", "Scale Meta", "--sort", "date", "--json")
    assert peeked["results"] == json.loads(search_out)
    assert peeked["results"][0]["id"] == peeked["new"][0]

    status, out, _ = cli("saved", "run", "Scale")
    assert status == 0 and "3 matches, 1 new" in out and out.count("[new]") == 1
    status, out, _ = cli("saved", "run", "Scale", "--json")
    assert json.loads(out)["new"] == []

    assert cli("saved", "rename", "CFO", "Friar quotes")[0] == 0
    status, out, _ = cli("saved", "list")
    assert "Friar quotes" in out and "CFO" not in out
    status, out, _ = cli("saved", "rm", "friar quotes", "--json")
    assert status == 0 and json.loads(out)["name"] == "Friar quotes"
    assert [r["name"] for r in json.loads(cli("saved", "list", "--json")[1])] == ["Scale"]


def test_cli_errors_are_one_line_and_exit_2(cli, tmp_path):
    cli("saved", "add", "Scale", "Scale")
    for args, message in [
        (("saved", "add", "scale", "Meta"), "a saved search named 'Scale' exists already"),
        (("saved", "add", "bad", '"unclosed'), "missing its closing"),
        (("saved", "add", " ", "Meta"), "needs a name"),
        (("saved", "run", "nope"), "no saved search named 'nope'"),
        (("saved", "rename", "nope", "x"), "no saved search named 'nope'"),
        (("saved", "rename", "Scale", ""), "needs a name"),
        (("saved", "rm", "nope"), "no saved search named 'nope'"),
    ]:
        status, out, err = cli(*args)
        assert status == 2, args
        assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert [r["name"] for r in json.loads(cli("saved", "list", "--json")[1])] == ["Scale"]


def test_cli_corrupt_file_exits_2_naming_file_and_line_and_keeps_it(cli, tmp_path):
    path = tmp_path / "data" / "saved_searches.yaml"
    path.parent.mkdir()
    path.write_text("searches:\n- name: a\n  query: 'unclosed\n")
    before = path.read_bytes()
    for args in (("saved", "list"), ("saved", "add", "b", "Scale"), ("saved", "run", "a"),
                 ("saved", "rm", "a"), ("saved", "rename", "a", "b")):
        status, _, err = cli(*args)
        assert status == 2 and f"{path}:" in err and "invalid YAML" in err
        assert path.read_bytes() == before


def test_saved_option_opens_the_app_and_is_no_subcommands_option(capsys):
    assert build_parser().parse_args(["--saved", "Scale"]).saved == "Scale"
    assert not hasattr(build_parser().parse_args([]), "saved")
    # an app-only option: not accepted, nor listed in the help, after a command (issue 18)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["saved", "list", "--saved", "x"])
    assert "unrecognized arguments: --saved x" in capsys.readouterr().err


def test_opening_the_app_on_an_unknown_saved_search_exits_2(cli, tmp_path):
    status, out, err = cli("--saved", "nope")
    assert status == 2 and "no saved search named 'nope'" in err and out == ""
    path = tmp_path / "data" / "saved_searches.yaml"
    path.parent.mkdir()
    path.write_text("searches: [\n")
    status, _, err = cli("--saved", "nope")
    assert status == 2 and f"{path}:" in err


def test_an_article_that_matched_before_is_not_new_when_it_matches_again(seeds_ws, seeds_copy):
    """"New since" counts only articles that were not there before: one edited so that it no
    longer matched while the search was opened, then edited back, is not new."""
    store.save_current(seeds_ws, "Friar", SearchRequest("Friar"))
    path = next(seeds_copy.glob("2025-06-19-*.txt"))
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("Friar", "the CFO"), encoding="utf-8")
    seeds_ws.update_index()
    run = store.run_saved_search(seeds_ws, "Friar")           # opened while it did not match
    assert run.new == []
    path.write_text(original, encoding="utf-8")
    seeds_ws.update_index()
    (status,) = store.statuses(seeds_ws)
    assert status.new == 0 and status.matches == len(run.matching) + 1
