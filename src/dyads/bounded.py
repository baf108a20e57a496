"""A cache of what a stream of articles keeps meeting (words and their lemmas), bounded: a stream of millions
of articles brings ever new names and numbers, and a cache that kept them all would grow with the corpus."""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Bounded(dict[K, V]):
    """A dict that empties itself when it holds ``most`` entries and another is set: its memory stays flat,
    and what a stream meets often is back in it soon after."""

    def __init__(self, most: int) -> None:
        super().__init__()
        self.most = most

    def __setitem__(self, key: K, value: V) -> None:
        if len(self) >= self.most and key not in self:
            self.clear()
        super().__setitem__(key, value)
