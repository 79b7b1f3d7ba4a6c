"""Redirect files: one rule per old URL, in each host's syntax, sorted."""

from __future__ import annotations

from urllib.parse import quote, unquote

from hypothesis import given
from hypothesis import strategies as st

from wpmigrate.writers.redirects import (
    CLOUDFLARE_STATIC_LIMIT,
    _served_by_engine,
    _target,
    apache,
    cloudflare,
    netlify,
    nginx,
    redirect_files,
    split_rules,
)

REDIRECTS = {
    "/2023/07/05/hello/": "/posts/hello/",
    "/?p=10": "/posts/hello/",
    "/?page_id=2": "/about/",
    "/about": "/about/",  # the engine serves it already: no rule (would loop)
    "/greek/%CE%B1/": "/greek/ε/",
    "/greek/%CE%B5/": "/greek/ε/",  # the same URL, encoded: no rule
}


def test_split_rules_separates_query_forms_and_drops_self_redirects() -> None:
    paths, queries = split_rules(REDIRECTS)
    assert paths == [("/2023/07/05/hello/", "/posts/hello/"), ("/greek/%CE%B1/", "/greek/ε/")]
    assert queries == [("/", "p", "10", "/posts/hello/"), ("/", "page_id", "2", "/about/")]


def test_netlify_chains_query_parameters_through_paths() -> None:
    text = netlify(REDIRECTS)
    assert "/2023/07/05/hello/ /posts/hello/ 301\n" in text
    assert "/greek/%CE%B1/ /greek/%CE%B5/ 301\n" in text
    assert "/ p=:p /.wp/p/:p 301\n" in text
    assert "/.wp/p/10 /posts/hello/ 301\n" in text
    assert "/about " not in text


def test_cloudflare_has_no_query_rules_and_warns_over_the_limit() -> None:
    text = cloudflare(REDIRECTS)
    rules = [line for line in text.splitlines() if not line.startswith("#")]
    assert rules == ["/2023/07/05/hello/ /posts/hello/ 301", "/greek/%CE%B1/ /greek/%CE%B5/ 301"]
    assert "# 2 query-string URLs" in text
    many = {f"/old/{i}/": f"/new/{i}/" for i in range(CLOUDFLARE_STATIC_LIMIT + 1)}
    assert "more than Cloudflare Pages' limit" in cloudflare(many)


def test_nginx_maps_paths_with_and_without_slash_and_query_forms() -> None:
    text = nginx(REDIRECTS)
    assert '    "/2023/07/05/hello/" "/posts/hello/";' in text
    assert '    "/2023/07/05/hello" "/posts/hello/";' in text
    assert '    "/greek/α/" "/greek/%CE%B5/";' in text
    assert '    "/?p=10" "/posts/hello/";' in text


def test_apache_rules_match_query_strings_and_paths() -> None:
    text = apache(REDIRECTS)
    assert "RewriteCond %{QUERY_STRING} (^|&)p=10(&|$)" in text
    assert 'RewriteRule "^/?$" "/posts/hello/" [R=301,L,QSD]' in text
    assert 'RewriteRule "^/?2023/07/05/hello/?$" "/posts/hello/" [R=301,L]' in text


def test_files_are_deterministic_and_netlify_wins_the_shared_name() -> None:
    everything = ("nginx", "cloudflare", "netlify", "apache")
    files = {name: "".join(lines) for name, lines in redirect_files(everything, REDIRECTS)}
    assert sorted(files) == ["_redirects", "apache-redirects.conf", "nginx-redirects.conf"]
    assert files["_redirects"] == netlify(REDIRECTS)
    shuffled = dict(reversed(list(REDIRECTS.items())))
    assert [(n, "".join(lines)) for n, lines in redirect_files(("netlify",), shuffled)] == [
        (n, "".join(lines)) for n, lines in redirect_files(("netlify",), REDIRECTS)
    ]


_URLS = st.text() | st.from_regex(r"/[a-z0-9/%~.\-]*[?#]?[a-z=0-9]*", fullmatch=True)


@given(_URLS)
def test_target_fast_path_is_quote_of_unquote(url: str) -> None:
    assert _target(url) == quote(unquote(url), safe="/%-._~!$&'()*+,;=:@?#")


@given(_URLS, _URLS)
def test_served_by_engine_fast_path_compares_decoded_urls(old: str, new: str) -> None:
    assert _served_by_engine(old, new) == (unquote(old).strip("/") == unquote(new).strip("/"))
