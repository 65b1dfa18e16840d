"""Reading (or building) large structures without the cyclic garbage collector's passes.

Unpickling the tagger (explorer/entities/saved.py) or parsing a manifest builds hundreds of
thousands of lists, tuples, dicts and objects at once. Python's collector runs a pass every
700 new containers and, as they survive, passes over the older generations too, while none of
them can be part of a cycle to free yet: with the Reuters ticker table's entities, the tagger
unpickled in 0.12-0.21 s of CPU with the collector on and 0.04-0.05 s with it paused. So
the collector is paused while such a structure is built; after, what was built is moved to
the oldest generation (gc.freeze then gc.unfreeze: no scan), where a structure that lives as
long as the process belongs. Otherwise the first pass after the collector is back on would
scan all of it as young (0.07 s for the tagger, at the first allocations that follow).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block and count what it built as old
    (nothing is freed late: reference counting still frees every object at once; only a
    cycle among them waits for a full collection)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()         # every tracked object to the permanent generation ...
        gc.unfreeze()       # ... and back to the oldest: promoted without a scan
        if enabled:
            gc.enable()


@contextmanager
def young_collections_only() -> Iterator[None]:
    """Inside the block the collector still frees young cycles (its first two generations),
    but never scans the oldest generation: while an index is written the posting pool grows
    to millions of containers, all alive until the commit, and the collector's full passes
    over them took about a tenth of indexing's CPU time (Reuters: 43.0-48.7 s with them,
    38.1-41.1 s without, in turn). A forked worker inherits the setting."""
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], 1 << 30)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
