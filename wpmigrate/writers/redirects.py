"""Redirect files for the host: every old URL of the site → its one new URL.

The index's ``redirects`` (old root-relative path, possibly with one WordPress ID
query such as ``/?p=308`` → new URL) is written in the host's own format:

* ``netlify``: ``_redirects``. Netlify matches query strings only through
  placeholders, so ``/?p=308`` becomes one dynamic rule per parameter
  (``/ p=:p /.wp/p/:p 301``) plus a path rule per ID (``/.wp/p/308 /posts/x/ 301``).
* ``cloudflare``: ``_redirects`` with path rules only: Cloudflare Pages cannot match
  query strings and allows 2,000 static rules; the file says when there are more.
* ``nginx``: ``nginx-redirects.conf``, two ``map`` blocks (path, and path+query) and
  the two lines that use them.
* ``apache``: ``apache-redirects.conf`` with mod_rewrite rules (``.htaccess`` or vhost).

Rules are sorted so the same site always gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from urllib.parse import quote, unquote

from wpmigrate.indexstore import sorted_items

CLOUDFLARE_STATIC_LIMIT = 2000
FORMATS = ("netlify", "cloudflare", "nginx", "apache")
FILE_NAMES = {
    "netlify": "_redirects",
    "cloudflare": "_redirects",
    "nginx": "nginx-redirects.conf",
    "apache": "apache-redirects.conf",
}
_QUERY = re.compile(r"^(?P<path>[^?]*)\?(?P<name>[\w-]+)=(?P<value>[^&]*)$")


def path_rules(redirects: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(old path, new URL) for the old URLs without a query, sorted by old path."""
    for old, new in sorted_items(redirects, with_query=False):
        if not _served_by_engine(old, new):
            yield old, new


def query_rules(redirects: Mapping[str, str]) -> Iterator[tuple[str, str, str, str]]:
    """(path, parameter, value, new URL) for ``/?p=308``-style old URLs, sorted."""
    for old, new in sorted_items(redirects, with_query=True):
        match = _QUERY.match(old)
        if match and not _served_by_engine(old, new):
            yield match["path"] or "/", match["name"], match["value"], new


def _served_by_engine(old: str, new: str) -> bool:
    """The engine serves ``old`` itself: a rule would loop on hosts that fold slashes."""
    if "%" not in old and "%" not in new:  # unquote would change nothing
        return old.strip("/") == new.strip("/")
    return unquote(old).strip("/") == unquote(new).strip("/")


def split_rules(
    redirects: Mapping[str, str],
) -> tuple[list[tuple[str, str]], list[tuple[str, str, str, str]]]:
    """(path rules, query rules as (path, param, value, target)), each sorted."""
    return list(path_rules(redirects)), list(query_rules(redirects))


_TARGET_SAFE = "/%-._~!$&'()*+,;=:@?#"
#: URLs that ``quote(unquote(url), safe=_TARGET_SAFE)`` gives back unchanged: no ``%``
#: (nothing to decode) and only characters ``quote`` keeps.
_ALREADY_TARGET = re.compile(r"[A-Za-z0-9/\-._~!$&'()*+,;=:@?#]*")


def _target(url: str) -> str:
    """A new URL as it goes into a rule: percent-encoded, no spaces."""
    if _ALREADY_TARGET.fullmatch(url):
        return url  # the usual case, 150k times for a 50k-post site
    return quote(unquote(url), safe=_TARGET_SAFE)


def netlify_lines(redirects: Mapping[str, str]) -> Iterator[str]:
    """Netlify's ``_redirects``: path rules, then query rules chained through /.wp/.

    Every writer yields line by line: a 50k-post site has 150k+ rules."""
    yield "# Written by wpmigrate: old WordPress URLs → new URLs (Netlify).\n"
    for old, new in path_rules(redirects):
        yield f"{_target(old)} {_target(new)} 301\n"
    params = sorted({(path, name) for path, name, _value, _new in query_rules(redirects)})
    if params:
        yield "# ?p=, ?page_id=, … : matched by parameter, then by value below.\n"
    for path, name in params:
        yield f"{_target(path)} {name}=:{name} /.wp{_prefix(path)}/{name}/:{name} 301\n"
    for path, name, value, new in query_rules(redirects):
        yield f"/.wp{_prefix(path)}/{name}/{quote(value, safe='')} {_target(new)} 301\n"


def netlify(redirects: Mapping[str, str]) -> str:
    """The whole file as one text (tests, small sites)."""
    return "".join(netlify_lines(redirects))


def _prefix(path: str) -> str:
    return path.rstrip("/")


def cloudflare_lines(redirects: Mapping[str, str]) -> Iterator[str]:
    """Cloudflare Pages' ``_redirects``: path rules only (no query matching there)."""
    yield "# Written by wpmigrate: old WordPress URLs → new URLs (Cloudflare Pages).\n"
    queries = sum(1 for _rule in query_rules(redirects))
    if queries:
        yield (f"# {queries} query-string URLs (/?p=…) cannot be matched by "
               "Cloudflare Pages; see nginx/apache output or a Worker.\n")
    paths = sum(1 for _rule in path_rules(redirects))
    if paths > CLOUDFLARE_STATIC_LIMIT:
        yield (f"# {paths} rules: more than Cloudflare Pages' limit of "
               f"{CLOUDFLARE_STATIC_LIMIT} static redirects; use Bulk Redirects.\n")
    for old, new in path_rules(redirects):
        yield f"{_target(old)} {_target(new)} 301\n"


def cloudflare(redirects: Mapping[str, str]) -> str:
    """The whole file as one text (tests, small sites)."""
    return "".join(cloudflare_lines(redirects))


def _nginx_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_lines(redirects: Mapping[str, str]) -> Iterator[str]:
    """Two nginx ``map`` blocks (``$uri`` and ``$request_uri``) and how to use them."""
    yield from (
        "# Written by wpmigrate. Include in the http block; in the server block add:\n",
        "#   if ($wpmigrate_path) { return 301 $wpmigrate_path; }\n",
        "#   if ($wpmigrate_query) { return 301 $wpmigrate_query; }\n",
        "map $uri $wpmigrate_path {\n",
        '    default "";\n',
    )
    with _nginx_paths(redirects) as paths:
        for plain, new in sorted_items(paths):
            yield f"    {_nginx_quote(plain)} {_nginx_quote(_target(new))};\n"
    yield from ("}\n", "map $request_uri $wpmigrate_query {\n", '    default "";\n')
    for path, name, value, new in query_rules(redirects):
        yield f"    {_nginx_quote(f'{path}?{name}={value}')} {_nginx_quote(_target(new))};\n"
    yield "}\n"


@contextmanager
def _nginx_paths(redirects: Mapping[str, str]) -> Iterator[Mapping[str, str]]:
    """nginx matches the decoded ``$uri``: each path rule decoded, and also without its
    trailing slash; the first rule (in sorted order) for a decoded path wins. (In a
    scratch table, for the block's duration, when the redirects are in a table.)"""
    scratch = getattr(redirects, "scratch", None)
    if scratch is None:
        entries: dict[str, str] = {}
        for plain, new in _decoded_paths(redirects):
            entries.setdefault(plain, new)
        yield entries
        return
    with scratch("nginx_paths") as table:
        table.add_missing(_decoded_paths(redirects))
        yield table


def _decoded_paths(redirects: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    for old, new in path_rules(redirects):
        plain = unquote(old)
        yield plain, new
        if plain.endswith("/") and len(plain) > 1:
            yield plain.rstrip("/"), new


def nginx(redirects: Mapping[str, str]) -> str:
    """The whole file as one text (tests, small sites)."""
    return "".join(nginx_lines(redirects))


def _apache_regex(path: str) -> str:
    body = re.escape(unquote(path).strip("/")).replace("\\ ", "\\s").replace(" ", "\\s")
    return f"^/?{body}/?$" if body else "^/?$"


def apache_lines(redirects: Mapping[str, str]) -> Iterator[str]:
    """mod_rewrite rules, usable in ``.htaccess`` and in a vhost."""
    yield "# Written by wpmigrate: old WordPress URLs → new URLs (Apache mod_rewrite).\n"
    yield "RewriteEngine On\n"
    for path, name, value, new in query_rules(redirects):
        yield f"RewriteCond %{{QUERY_STRING}} (^|&){re.escape(name)}={re.escape(value)}(&|$)\n"
        yield f'RewriteRule "{_apache_regex(path)}" "{_target(new)}" [R=301,L,QSD]\n'
    for old, new in path_rules(redirects):
        yield f'RewriteRule "{_apache_regex(old)}" "{_target(new)}" [R=301,L]\n'


def apache(redirects: Mapping[str, str]) -> str:
    """The whole file as one text (tests, small sites)."""
    return "".join(apache_lines(redirects))


WRITERS: dict[str, Callable[[Mapping[str, str]], Iterator[str]]] = {
    "netlify": netlify_lines,
    "cloudflare": cloudflare_lines,
    "nginx": nginx_lines,
    "apache": apache_lines,
}


def redirect_files(
    formats: tuple[str, ...], redirects: Mapping[str, str]
) -> Iterator[tuple[str, Iterator[str]]]:
    """(file name, text) for the requested formats, one file at a time so that only
    one big text is in memory (netlify wins ``_redirects`` over cloudflare when both
    are asked for: its file is a superset that Cloudflare reads, skipping the query
    lines it does not understand)."""
    names: set[str] = set()
    for name in sorted(set(formats), key=FORMATS.index):
        if FILE_NAMES[name] not in names:
            names.add(FILE_NAMES[name])
            yield FILE_NAMES[name], WRITERS[name](redirects)
