"""Linking quality on the hand-labelled sets in ../shared/linking, as `score.py` measures it:
named-mention F1, precision, recall and recall of written variants per set, each beside the
exact-name baseline that score.py computes in the same run. Skipped when ../shared is absent.

score.py runs this checkout's `news-explorer tag` (the console script beside the running
Python), so the figures are those docs/entities.md quotes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks import common

NAME = "linking"
TARGETS = {"f1": 0.85, "precision": 0.93, "variant_recall": 0.60}


def _linking_folder() -> Path:
    return common.settings.corpora.parent / "linking"


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("news-explorer")
    if script.exists():
        return [str(script)]
    found = shutil.which("news-explorer")
    return [found] if found else [sys.executable, "-m", "explorer"]


def run(quick: bool) -> list[dict]:
    folder = _linking_folder()
    score = folder / "score.py"
    if not score.exists():
        return [common.skipped(NAME, "shared/linking", f"{folder}: absent")]
    out = subprocess.run([sys.executable, str(score), *_cli()], capture_output=True, text=True,
                         timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(f"score.py failed: {out.stderr.strip()[-300:]}")
    rows = []
    for line in out.stdout.splitlines():
        if not line.startswith("{"):
            continue
        found = json.loads(line)
        label = f"{found['set']} ({found['texts']} texts, {found['gold']} named mentions)"
        for metric, title in (("f1", "named-mention F1"), ("precision", "precision"),
                              ("recall", "recall"), ("variant_recall", "variant recall")):
            target = TARGETS.get(metric)
            baseline = found["baseline_f1"] if metric == "f1" else None
            rows.append(common.row(
                NAME, label, title + (" (baseline: exact names)" if baseline else ""),
                found[metric], "", baseline=baseline,
                target=f">= {target:g}" if target else None,
                ok=found[metric] >= target if target else None))
    return rows
