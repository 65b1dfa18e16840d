"""The domain never imports the UI; whoosh imports cleanly with warnings as errors."""

import subprocess
import sys

DOMAIN = ["explorer.config", "explorer.articles", "explorer.corpus", "explorer.indexer",
          "explorer.search", "explorer.workspace", "explorer.yamlfile", "explorer.text",
          "explorer.saved_searches", "explorer.quotations", "explorer.speakers",
          "explorer.highlights", "explorer.export"]
DOMAIN += ["explorer.entities", "explorer.entities.tagger", "explorer.entities.annotate"]


def test_domain_modules_do_not_import_textual_or_rich():
    code = ("import importlib, sys\n"
            f"for name in {DOMAIN!r}:\n"
            "    importlib.import_module(name)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
            "print(','.join(bad))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_whoosh_imports_with_warnings_as_errors():
    done = subprocess.run([sys.executable, "-W", "error", "-c",
                           "import whoosh.index, whoosh.qparser, whoosh.qparser.dateparse"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
