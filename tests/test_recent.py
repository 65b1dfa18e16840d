"""The cache of values used last, shared by the ranker's posting caches and the results list."""

from explorer.recent import Recent


def test_the_least_recently_used_go_first_by_count():
    cache = Recent(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1          # "a" is now the most recent
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)


def test_sizes_add_up_and_a_replaced_value_is_not_counted_twice():
    cache = Recent(10, len)
    cache.put("x", "12345")
    cache.put("x", "12345")             # the same key again: still 5 in all
    cache.put("y", "1234")
    assert len(cache) == 2
    cache.put("z", "12")                # 11 > 10: the oldest ("x") goes
    assert cache.get("x") is None and len(cache) == 2
    cache.put("big", "x" * 50)          # one value is kept whatever its size
    assert len(cache) == 1 and cache.get("big") is not None
    cache.clear()
    assert len(cache) == 0
    cache.put("a", "123456789")
    assert cache.get("a") == "123456789"
