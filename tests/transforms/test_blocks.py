"""Tests for the block parser and renderer (wpmigrate.transforms.blocks).

End-to-end block cases (one per block type) live in cases/markup/blocks.json and run
through test_markup.py; these tests cover the parser's tree and its edge cases."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wpmigrate.transforms.blocks import Block, has_blocks, parse_blocks, render_blocks
from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.shortcode_handlers import ExpandState


def _names(nodes: list[str | Block]) -> list[str]:
    return [node.name for node in nodes if isinstance(node, Block)]


def test_parse_nested_tree_and_attributes() -> None:
    content = (
        '<!-- wp:columns {"verticalAlignment":"top"} --><div>'
        "<!-- wp:column --><div><!-- wp:paragraph --><p>a</p><!-- /wp:paragraph --></div>"
        "<!-- /wp:column --></div><!-- /wp:columns -->"
    )
    (columns,) = parse_blocks(content)
    assert isinstance(columns, Block)
    assert columns.name == "core/columns" and columns.attrs == {"verticalAlignment": "top"}
    assert _names(columns.parts) == ["core/column"]
    assert _names(columns.children[0].parts) == ["core/paragraph"]
    assert columns.own_html == "<div></div>"


def test_void_blocks_and_namespaces() -> None:
    nodes = parse_blocks('<!-- wp:latest-posts {"a":1} /--> x <!-- wp:jetpack/map /-->')
    assert _names(nodes) == ["core/latest-posts", "jetpack/map"]
    assert nodes[1] == " x "


def test_attributes_with_braces_and_arrows() -> None:
    (node,) = parse_blocks('<!-- wp:x {"a":{"b":"}"},"c":"-->"} --><p>y</p><!-- /wp:x -->')
    assert isinstance(node, Block) and node.attrs == {"a": {"b": "}"}, "c": "-->"}


def test_unreadable_attributes_warn() -> None:
    warnings: list[str] = []
    (node,) = parse_blocks("<!-- wp:image {not json} --><p>y</p><!-- /wp:image -->", warnings)
    assert isinstance(node, Block) and node.attrs == {}
    assert warnings == ["block core/image has unreadable attributes"]


def test_unclosed_block_runs_to_end_and_stray_closer_is_ignored() -> None:
    nodes = parse_blocks("<!-- /wp:quote -->a<!-- wp:group --><p>b</p>")
    assert nodes[0] == "a"
    assert isinstance(nodes[1], Block) and nodes[1].own_html == "<p>b</p>"


def test_closer_closes_unclosed_inner_blocks() -> None:
    nodes = parse_blocks("<!-- wp:group --><!-- wp:paragraph --><p>a</p><!-- /wp:group -->b")
    assert _names(nodes) == ["core/group"] and nodes[1] == "b"


def test_has_blocks() -> None:
    assert has_blocks("<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->")
    assert not has_blocks("<!-- more --> plain <!--more-->")


def test_render_never_leaves_block_comments() -> None:
    content = (
        "<!-- wp:unknown/thing --><div>kept</div><!-- /wp:unknown/thing -->"
        "<!-- wp:spacer /--><!-- wp:separator --><hr/><!-- /wp:separator -->"
    )
    state = ExpandState(TransformContext())
    html = render_blocks(parse_blocks(content), state)
    assert "wp:" not in html and "<div>kept</div>" in html and "<hr>" in html
    assert state.warnings == []


_PIECES = st.sampled_from(
    [
        "<!-- wp:paragraph -->",
        "<!-- /wp:paragraph -->",
        "<!-- wp:group -->",
        "<!-- /wp:group -->",
        '<!-- wp:image {"id":3} /-->',
        "<!-- wp:code -->",
        "<!-- /wp:code -->",
        "<p>t</p>",
        "<pre>x</pre>",
        "text",
    ]
)


@given(st.lists(_PIECES, max_size=12))
def test_render_arbitrary_nesting_leaves_no_comment(pieces: list[str]) -> None:
    html = render_blocks(parse_blocks("".join(pieces)), ExpandState(TransformContext()))
    assert "wp:" not in html


def _parse_blocks_reference(content: str) -> list[str | Block]:
    """The parser as first written (a stack of names searched per closer)."""
    from wpmigrate.transforms.blocks import _DELIMITER, _attrs

    top: list[str | Block] = []
    stack: list[Block] = []
    pos = 0
    for match in _DELIMITER.finditer(content):
        target = stack[-1].parts if stack else top
        if match.start() > pos:
            target.append(content[pos : match.start()])
        pos = match.end()
        name = match.group("name")
        name = name if "/" in name else f"core/{name}"
        if match.group("closer"):
            names = [b.name for b in stack]
            if name in names:
                del stack[len(names) - 1 - names[::-1].index(name) :]
            continue
        new = Block(name, _attrs(match.group("attrs"), name, None))
        target.append(new)
        if not match.group("void"):
            stack.append(new)
    if pos < len(content):
        (stack[-1].parts if stack else top).append(content[pos:])
    return top


DELIMITERS = ["<!-- wp:a -->", "<!-- /wp:a -->", '<!-- wp:b {"x":1} -->', "<!-- /wp:b -->",
              "<!-- wp:c/d /-->", "<!-- /wp:c/d -->", "<!-- wp:a {bad} -->", "text",
              "<p>"]  # fmt: skip


@given(st.lists(st.sampled_from(DELIMITERS), max_size=12).map("".join))
def test_parse_blocks_builds_the_tree_of_the_reference_parser(content: str) -> None:
    assert parse_blocks(content) == _parse_blocks_reference(content)
