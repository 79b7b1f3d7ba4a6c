"""The one-pass term names and the cheaper drop_empty give what the old code gave."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from wpmigrate.model import Post, TermRef
from wpmigrate.writers.presets.base import drop_empty
from wpmigrate.writers.render import _term_name, _term_names

_TERMS = st.lists(
    st.builds(
        TermRef,
        taxonomy=st.sampled_from(["category", "post_tag", "post_format", "genre", "series"]),
        slug=st.sampled_from(["a", "b", "a-2", "news", ""]),
        name=st.sampled_from(["A", "B", "a", "News", "&amp; co", "Caf\u00c3\u00a9", ""]),
    ),
    max_size=8,
).map(tuple)


def _old_term_names(terms: tuple[TermRef, ...]) -> tuple[dict[str, tuple[str, ...]], int]:
    """``render._term_names`` as of 31bdab0, verbatim (the oracle)."""
    names: dict[str, list[str]] = {"category": [], "post_tag": []}
    fixes = 0
    for term in terms:
        name, count = _term_name(term.name)
        fixes += count
        bucket = names.setdefault(term.taxonomy, [])
        if name not in bucket:
            bucket.append(name)
    return {k: tuple(v) for k, v in names.items()}, fixes


@given(_TERMS)
def test_term_names_and_slugs_in_one_pass(terms: tuple[TermRef, ...]) -> None:
    post = Post(id=1, terms=terms)
    names, slugs, fixes = _term_names(terms)
    old_names, old_fixes = _old_term_names(terms)
    assert (names, fixes) == (old_names, old_fixes)
    assert list(names) == list(old_names)  # the order of custom taxonomies too
    assert slugs == {
        "category": tuple(t.slug for t in post.terms_of("category")),
        "post_tag": tuple(t.slug for t in post.terms_of("post_tag")),
    }


_VALUES = st.sampled_from(
    [None, "", [], (), {}, 0, 0.0, False, True, 1, "x", " ", [0], (None,), {"": None},
     set(), frozenset(), b"", "0", [[]]]
)


@given(st.dictionaries(st.text(max_size=3), _VALUES, max_size=8))
def test_drop_empty_drops_what_it_dropped(data: dict[str, Any]) -> None:
    old = {k: v for k, v in data.items() if v not in (None, "", [], (), {})}
    new = drop_empty(data)
    assert new == old
    assert [(k, type(v)) for k, v in new.items()] == [(k, type(v)) for k, v in old.items()]
