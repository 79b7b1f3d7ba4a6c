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
from urllib.parse import quote, unquote

CLOUDFLARE_STATIC_LIMIT = 2000
FORMATS = ("netlify", "cloudflare", "nginx", "apache")
FILE_NAMES = {
    "netlify": "_redirects",
    "cloudflare": "_redirects",
    "nginx": "nginx-redirects.conf",
    "apache": "apache-redirects.conf",
}
_QUERY = re.compile(r"^(?P<path>[^?]*)\?(?P<name>[\w-]+)=(?P<value>[^&]*)$")


def split_rules(
    redirects: Mapping[str, str],
) -> tuple[list[tuple[str, str]], list[tuple[str, str, str, str]]]:
    """(path rules, query rules as (path, param, value, target)), each sorted."""
    paths: list[tuple[str, str]] = []
    queries: list[tuple[str, str, str, str]] = []
    for old, new in sorted(redirects.items()):
        if unquote(old).strip("/") == unquote(new).strip("/"):
            continue  # the engine serves it: a rule would loop on hosts that fold slashes
        match = _QUERY.match(old)
        if match:
            queries.append((match["path"] or "/", match["name"], match["value"], new))
        elif "?" not in old:
            paths.append((old, new))
    return paths, queries


def _target(url: str) -> str:
    """A new URL as it goes into a rule: percent-encoded, no spaces."""
    return quote(unquote(url), safe="/%-._~!$&'()*+,;=:@?#")


def netlify_lines(redirects: Mapping[str, str]) -> Iterator[str]:
    """Netlify's ``_redirects``: path rules, then query rules chained through /.wp/."""
    paths, queries = split_rules(redirects)
    lines = ["# Written by wpmigrate: old WordPress URLs → new URLs (Netlify)."]
    lines += [f"{_target(old)} {_target(new)} 301" for old, new in paths]
    params = sorted({(path, name) for path, name, _value, _new in queries})
    if params:
        lines.append("# ?p=, ?page_id=, … : matched by parameter, then by value below.")
    for path, name in params:
        lines.append(f"{_target(path)} {name}=:{name} /.wp{_prefix(path)}/{name}/:{name} 301")
    for path, name, value, new in queries:
        lines.append(f"/.wp{_prefix(path)}/{name}/{quote(value, safe='')} {_target(new)} 301")
    for line in lines:
        yield line + "\n"


def netlify(redirects: Mapping[str, str]) -> str:
    """The whole file as one text (tests, small sites)."""
    return "".join(netlify_lines(redirects))


def _prefix(path: str) -> str:
    return path.rstrip("/")


def cloudflare_lines(redirects: Mapping[str, str]) -> Iterator[str]:
    """Cloudflare Pages' ``_redirects``: path rules only (no query matching there)."""
    paths, queries = split_rules(redirects)
    lines = ["# Written by wpmigrate: old WordPress URLs → new URLs (Cloudflare Pages)."]
    if queries:
        lines.append(f"# {len(queries)} query-string URLs (/?p=…) cannot be matched by "
                     "Cloudflare Pages; see nginx/apache output or a Worker.")
    if len(paths) > CLOUDFLARE_STATIC_LIMIT:
        lines.append(f"# {len(paths)} rules: more than Cloudflare Pages' limit of "
                     f"{CLOUDFLARE_STATIC_LIMIT} static redirects; use Bulk Redirects.")
    lines += [f"{_target(old)} {_target(new)} 301" for old, new in paths]
    for line in lines:
        yield line + "\n"


def cloudflare(redirects: Mapping[str, str]) -> str:
    """The whole file as one text (tests, small sites)."""
    return "".join(cloudflare_lines(redirects))


def _nginx_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_lines(redirects: Mapping[str, str]) -> Iterator[str]:
    """Two nginx ``map`` blocks (``$uri`` and ``$request_uri``) and how to use them."""
    paths, queries = split_rules(redirects)
    path_entries: dict[str, str] = {}
    for old, new in paths:
        plain = unquote(old)
        path_entries.setdefault(plain, new)
        if plain.endswith("/") and len(plain) > 1:
            path_entries.setdefault(plain.rstrip("/"), new)
    lines = [
        "# Written by wpmigrate. Include in the http block; in the server block add:",
        "#   if ($wpmigrate_path) { return 301 $wpmigrate_path; }",
        "#   if ($wpmigrate_query) { return 301 $wpmigrate_query; }",
        "map $uri $wpmigrate_path {",
        '    default "";',
    ]
    lines += [f"    {_nginx_quote(o)} {_nginx_quote(_target(n))};"
              for o, n in sorted(path_entries.items())]
    lines += ["}", "map $request_uri $wpmigrate_query {", '    default "";']
    lines += [f"    {_nginx_quote(f'{p}?{name}={value}')} {_nginx_quote(_target(n))};"
              for p, name, value, n in queries]
    lines.append("}")
    for line in lines:
        yield line + "\n"


def nginx(redirects: Mapping[str, str]) -> str:
    """The whole file as one text (tests, small sites)."""
    return "".join(nginx_lines(redirects))


def _apache_regex(path: str) -> str:
    body = re.escape(unquote(path).strip("/")).replace("\\ ", "\\s").replace(" ", "\\s")
    return f"^/?{body}/?$" if body else "^/?$"


def apache_lines(redirects: Mapping[str, str]) -> Iterator[str]:
    """mod_rewrite rules, usable in ``.htaccess`` and in a vhost."""
    paths, queries = split_rules(redirects)
    lines = ["# Written by wpmigrate: old WordPress URLs → new URLs (Apache mod_rewrite).",
             "RewriteEngine On"]
    for path, name, value, new in queries:
        lines.append(f"RewriteCond %{{QUERY_STRING}} (^|&){re.escape(name)}="
                     f"{re.escape(value)}(&|$)")
        lines.append(f'RewriteRule "{_apache_regex(path)}" "{_target(new)}" [R=301,L,QSD]')
    for old, new in paths:
        lines.append(f'RewriteRule "{_apache_regex(old)}" "{_target(new)}" [R=301,L]')
    for line in lines:
        yield line + "\n"


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
