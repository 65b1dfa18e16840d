"""The domain never imports the UI; whoosh imports cleanly with warnings as errors."""

import subprocess
import sys

DOMAIN = ["explorer.config", "explorer.ingest.articles", "explorer.ingest.corpus", "explorer.index.build",
          "explorer.search.article_index", "explorer.workspace", "explorer.yamlfile", "explorer.text",
          "explorer.store.saved_searches", "explorer.quotes.detection", "explorer.quotes.speakers",
          "explorer.quotes.kept", "explorer.quotes.export"]
DOMAIN += ["explorer.entities", "explorer.entities.tagger", "explorer.entities.annotate"]


def packages_loaded(code: str, packages: tuple[str, ...]) -> list[str]:
    """The modules of `packages` loaded after running `code` in a new interpreter."""
    code += ("\nimport sys\n"
             f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {packages!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [name for name in done.stdout.strip().split(",") if name]


def test_domain_modules_do_not_import_textual_or_rich():
    code = "import importlib\n" + "".join(f"importlib.import_module({name!r})\n" for name in DOMAIN)
    assert packages_loaded(code, ("textual", "rich")) == []


def test_whoosh_imports_with_warnings_as_errors():
    done = subprocess.run([sys.executable, "-W", "error", "-c",
                           "import whoosh.index, whoosh.qparser, whoosh.qparser.dateparse"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_one_shot_search_skips_what_it_does_not_use(tmp_path):
    """A one-shot `search` starts only what it needs: not asyncio (Whoosh's cached_property
    backport imported it: explorer/__init__.py), not importlib.metadata (only `--version`
    reads the installed version), not Textual. Checked in a fresh interpreter running the CLI
    as a user does."""
    import shutil
    from pathlib import Path

    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parents[1] / "seeds", corpus)
    args = ["--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--data", str(tmp_path / "d")]
    subprocess.run([sys.executable, "-m", "explorer", *args, "index"], check=True,
                   capture_output=True)
    code = ("import sys, io, contextlib\nfrom explorer.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    assert main({[*args, 'search', 'OpenAI', '--json']!r}) == 0\n")
    loaded = packages_loaded(code, ("asyncio", "importlib", "textual"))
    assert not [m for m in loaded if m.startswith(("asyncio", "importlib.metadata", "textual"))]


def test_whoosh_reader_caches_deleted_documents_with_the_standard_library():
    """The stand-in for the cached_property backport computes once and keeps the value, as
    Whoosh's reader needs for `deleted_docs_set`."""
    import functools

    import explorer  # noqa: F401  (installs the stand-in before Whoosh is imported)
    from whoosh import reading

    assert reading.cached_property is functools.cached_property
