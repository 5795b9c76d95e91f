"""A small store of things worked out once and kept per process: the least recently used go first.

The municipalities' hidden cells (`kept_parts`, decision 32), the drawn figure sections
(`templatetags.monitoring_figures`, decision 35) and a page's figures (`kept_figures`, decision 37) keep what they
made in a `KeptStore`. Each has its own rule for
what makes a key and when an entry may be used; this module only keeps, bounds and forgets. A change of settings
empties every store (number formats, the threshold and the time zone follow the settings).

Written by hand: `functools.lru_cache` keeps the results of one function by its arguments, and cannot be asked
to keep nothing for an unhashable key, nor to be emptied together with the others on a change of settings;
Django's cache framework pickles what it keeps, and a local-memory cache bounded by count would need its own
alias in every settings file.
"""

import threading
import weakref
from collections import OrderedDict

from django.core.signals import setting_changed
from django.dispatch import receiver

_stores: weakref.WeakSet = weakref.WeakSet()


def hashable(key: tuple) -> tuple | None:
    """The key itself, or None when it holds something that cannot be hashed (a list, say): then nothing is
    kept."""
    try:
        hash(key)
    except TypeError:
        return None
    return key


class KeptStore:
    """At most `size` entries, the least recently used going first; safe to use from several threads."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        _stores.add(self)

    def get(self, key):
        """What is kept under the key (and it becomes the most recently used), or None."""
        if key is None:
            return None
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        if key is None:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def forget(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


@receiver(setting_changed)
def _forget_all(**kwargs) -> None:
    for store in list(_stores):
        store.forget()
