"""The layer rules of tests/layers.py hold for the package, and each rule catches its breach."""

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.layers import violations


def test_the_package_keeps_its_layer_rules():
    assert violations(ROOT / "explorer") == []


def package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "explorer"
    for name, text in {"__init__.py": "", "errors.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        path.write_text(text)
    return root


@pytest.mark.parametrize("files, expected", [
    ({"search/query.py": "import textual\n"}, "the domain imports textual"),
    ({"store/x.py": "from rich.text import Text\n"}, "the domain imports rich.text"),
    ({"quotes/x.py": "from explorer.app import screens\n"}, "the domain imports explorer.app"),
    ({"search/x.py": "from whoosh.codec import whoosh3\n"}, "whoosh.codec is imported outside"),
    ({"search/x.py": "from whoosh.codec.whoosh3 import _lenfield\n"}, "private _lenfield"),
    ({"search/x.py": "from whoosh.writing import SegmentWriter\n"},
     "whoosh.writing is imported outside"),
    ({"index/x.py": "from whoosh.formats import Positions\nclass P(Positions):\n    pass\n"},
     "P subclasses a Whoosh class"),
    ({"index/x.py": "import whoosh.formats\nclass P(whoosh.formats.Positions):\n    pass\n"},
     "P subclasses a Whoosh class"),
    ({"index/build.py": "def f():\n    from explorer.search.engine import run\n",
      "search/engine.py": ""}, "index/ imports search.engine, which comes after it"),
    ({"config.py": "from explorer.store.files import locked_update\n", "store/files.py": ""},
     "top-level module config imports store.files"),
    ({"search/a.py": "from explorer.search import b\n", "search/b.py": "import explorer.search.a\n"},
     "import circle: search.a -> search.b"),
])
def test_a_broken_rule_is_reported(tmp_path, files, expected):
    found = violations(package(tmp_path, files))
    assert any(expected in line for line in found), found


def test_what_the_rules_allow_is_not_reported(tmp_path):
    root = package(tmp_path, {
        "index/whoosh_internals.py": ("from whoosh.codec.whoosh3 import _lenfield, W3Codec\n"
                                      "class C(W3Codec):\n    pass\n"),
        "search/engine.py": "from whoosh import query\nfrom explorer.index import whoosh_internals\n",
        "app/app.py": "import textual\nfrom explorer.search.engine import query\n",
        "cli/__init__.py": "from explorer.app import app\n",
    })
    assert violations(root) == []
