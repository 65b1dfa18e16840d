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
