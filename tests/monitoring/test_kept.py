"""The small store both kept things use (`monitoring.kept`): bounded, least recently used first, emptied on a
change of settings, keeping nothing for a key that cannot be one."""

from django.test import override_settings

from kansrijk.monitoring import kept, kept_parts
from kansrijk.monitoring.templatetags import monitoring_figures


def test_it_keeps_at_most_its_size_and_lets_the_least_recently_used_go_first():
    store = kept.KeptStore(3)
    for name in "abc":
        store.put((name,), name.upper())
    assert store.get(("a",)) == "A"  # now the most recently used
    store.put(("d",), "D")

    assert len(store) == 3
    assert store.get(("b",)) is None  # the least recently used went
    assert [store.get((name,)) for name in "acd"] == ["A", "C", "D"]


def test_a_value_put_again_replaces_the_kept_one():
    store = kept.KeptStore(2)
    store.put(("a",), 1)
    store.put(("a",), 2)
    assert store.get(("a",)) == 2 and len(store) == 1


def test_a_key_that_cannot_be_one_keeps_nothing():
    assert kept.hashable(("a", (1, 2))) == ("a", (1, 2))
    assert kept.hashable(("a", [1, 2])) is None

    store = kept.KeptStore(2)
    store.put(None, "value")
    assert len(store) == 0 and store.get(None) is None


def test_a_change_of_settings_empties_every_store():
    own = kept.KeptStore(2)
    own.put(("a",), 1)
    kept_parts._kept.put(("b",), 2)
    monitoring_figures._sections.put(("c",), "<section></section>")
    try:
        with override_settings(KANSRIJK_SMALL_NUMBER_THRESHOLD=7):
            assert len(own) == 0
            assert len(kept_parts._kept) == 0
            assert len(monitoring_figures._sections) == 0
    finally:
        kept_parts.forget()
        monitoring_figures.forget_sections()
