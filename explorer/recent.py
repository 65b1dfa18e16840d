"""A cache of the values used last, for the search's posting caches and the results list's rows.

An OrderedDict, so what is dropped (or cleared) is freed at once by reference counting: Textual's
LRUCache links its entries in a ring of lists, and a cleared ring (with the rows drawn in it)
waited for the cyclic garbage collector, whose full passes paused typing.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """The values last used, by key, up to `limit` in total `size` (by default each value
    counts one): the least recently used go first; one value is kept whatever its size."""

    def __init__(self, limit: int, size: Callable[[V], int] | None = None) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._limit, self._size, self._total = limit, size or (lambda value: 1), 0

    def get(self, key: K) -> V | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self._total -= self._size(old)
        self._items[key] = value
        self._total += self._size(value)
        while self._total > self._limit and len(self._items) > 1:
            _, dropped = self._items.popitem(last=False)
            self._total -= self._size(dropped)

    def clear(self) -> None:
        self._items.clear()
        self._total = 0

    def __len__(self) -> int:
        return len(self._items)
