"""Reading large saved structures without the cyclic garbage collector's passes.

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
