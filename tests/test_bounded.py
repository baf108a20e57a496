from dyads.bounded import Bounded


def test_a_bounded_cache_never_holds_more_than_its_most_and_keeps_answering():
    cache: Bounded[str, int] = Bounded(3)
    for i in range(10):
        cache[f"word{i}"] = i
        assert len(cache) <= 3
        assert cache[f"word{i}"] == i
    full = Bounded[str, int](2)
    full["a"], full["b"] = 1, 2
    full["a"] = 3  # a key it holds is updated in place, nothing dropped
    assert full == {"a": 3, "b": 2}
