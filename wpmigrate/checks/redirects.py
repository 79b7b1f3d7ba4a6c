"""Redirects the migrated site will serve, read from the files wpmigrate writes.

Netlify ``_redirects``, an nginx ``map``/``rewrite`` include, Apache ``.htaccess``
(``Redirect``, ``RedirectMatch``, ``RewriteRule``). A link to an old URL that one of these
redirects is not broken. Patterns (splats, regexes) are kept apart from exact paths.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from wpmigrate.checks.urls import url_key

REDIRECT_FILES = (
    "_redirects", "nginx-redirects.conf", ".htaccess", "apache-redirects.conf", "redirects.conf",
)

_NGINX_MAP_LINE = re.compile(r"""^\s*(~\*?)?\s*("[^"]+"|'[^']+'|\S+)\s+("[^"]+"|'[^']+'|\S+)\s*;""")
_NGINX_REWRITE = re.compile(r"^\s*rewrite\s+(\S+)\s+(\S+)")
_NGINX_LOCATION = re.compile(r"^\s*location\s+=\s+(\S+)\s*\{\s*return\s+30\d\s+(\S+?);")
_HT_REDIRECT = re.compile(
    r"^\s*Redirect(?:Permanent|Temp)?\s+(?:(?:30\d|permanent|temp)\s+)?(/\S*)\s+(\S+)", re.I
)
_HT_MATCH = re.compile(r"^\s*RedirectMatch\s+(?:(?:30\d|permanent|temp)\s+)?(\S+)\s+(\S+)", re.I)
_HT_REWRITE = re.compile(r"^\s*RewriteRule\s+(\S+)\s+(\S+)\s+\[[^\]]*R", re.I)
_HT_QUERY_COND = re.compile(
    r"^\s*RewriteCond\s+%\{QUERY_STRING\}\s+\"?\(\^\|&\)([\w\\-]+)=(\S+?)\(&\|\$\)", re.I
)
_LITERAL_RULE = re.compile(r"^\^/\?((?:[^()\[\]*+?{}|^$.]|\\.)*?)(?:/\?)?\$$")


@dataclass(slots=True)
class Redirects:
    """Exact redirects by URL key (query strings kept, e.g. ``/?p=308``) and patterns."""

    exact: dict[str, str] = field(default_factory=dict)
    patterns: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    #: Netlify ``/ p=:p /.wp/p/:p``: (path key, parameter) -> target template
    query_rules: dict[tuple[str, str], str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)  # files read, for the report

    def add(self, source: str, target: str) -> None:
        """Register an exact redirect from ``source`` (a path, maybe with a query)."""
        self.exact.setdefault(redirect_key(source), target)

    def target(self, path: str, query: str = "") -> str | None:
        """Return where ``path`` (with ``query``) redirects to, or None."""
        key = url_key(path)
        if query:
            hit = self.exact.get(key + "?" + query)
            if hit is not None:
                return hit
            name, _, value = query.partition("&")[0].partition("=")
            template = self.query_rules.get((key, name))
            if template is not None:
                return template.replace(":" + name, value)
        hit = self.exact.get(key)
        if hit is not None:
            return hit
        bare = path.lstrip("/")
        for pattern, target in self.patterns:
            if pattern.match(path) or pattern.match(bare):
                return target
        return None


def redirect_key(source: str) -> str:
    """The lookup key of a redirect source, keeping any query string."""
    path, _, query = source.partition("?")
    key = url_key(path)
    return f"{key}?{query}" if query else key


def read_redirects(folders: list[Path]) -> Redirects:
    """Read every known redirect file found directly in ``folders``."""
    redirects = Redirects()
    for folder in folders:
        for name in REDIRECT_FILES:
            path = folder / name
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            redirects.sources.append(str(path))
            if name == "_redirects":
                _netlify(text, redirects)
            elif name in (".htaccess", "apache-redirects.conf"):
                _htaccess(text, redirects)
            else:
                _nginx(text, redirects)
    return redirects


def _add_pattern(redirects: Redirects, regex: str, target: str) -> None:
    try:
        redirects.patterns.append((re.compile(regex), target))
    except re.error:
        return


def _netlify(text: str, redirects: Redirects) -> None:
    """``/from [key=value] /to [status]``; ``*`` splats and ``:name`` placeholders."""
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) < 2 or not parts[0].startswith("/"):
            continue
        source, rest = parts[0], parts[1:]
        if "=" in rest[0] and not rest[0].startswith(("/", "http")) and len(rest) > 1:
            key, _, value = rest[0].partition("=")
            if value.startswith(":"):
                redirects.query_rules[(url_key(source), key)] = rest[1].replace(value, ":" + key)
                continue
            source, rest = f"{source}?{key}={value}", rest[1:]
        target = rest[0]
        if "*" in source or "/:" in source:
            regex = re.escape(source.split("?")[0]).replace(r"\*", ".*")
            regex = re.sub(r"/:\w+", "/[^/]+", regex)
            _add_pattern(redirects, regex + "/?$", target)
        else:
            redirects.add(source, target)


def _unquote(value: str) -> str:
    return value[1:-1] if value[:1] in "\"'" and value[-1:] == value[:1] else value


def _nginx(text: str, redirects: Redirects) -> None:
    """``map $uri $new { /old /new; ~^/re/ /new; }``, ``rewrite`` and ``location =``."""
    in_map = False
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].strip()
        if stripped.startswith("map ") and stripped.endswith("{"):
            in_map = True
            continue
        if in_map and stripped.startswith("}"):
            in_map = False
            continue
        if in_map:
            match = _NGINX_MAP_LINE.match(stripped)
            if match and match.group(2) not in ("default", "hostnames"):
                source, target = _unquote(match.group(2)), _unquote(match.group(3))
                if match.group(1):
                    _add_pattern(redirects, source, target)
                else:
                    redirects.add(source, target)
            continue
        for pattern in (_NGINX_REWRITE, _NGINX_LOCATION):
            match = pattern.match(stripped)
            if match and pattern is _NGINX_REWRITE:
                _add_pattern(redirects, match.group(1), match.group(2))
            elif match:
                redirects.add(match.group(1), match.group(2))


def _htaccess(text: str, redirects: Redirects) -> None:
    """``Redirect 301 /old /new``, ``RedirectMatch``, ``RewriteRule … [R=301]``.

    A ``RewriteCond %{QUERY_STRING} (^|&)p=308(&|$)`` before a rule for a literal path
    (``^/?$``, as wpmigrate writes) becomes the exact redirect ``/?p=308``.
    """
    condition = ""
    for line in text.splitlines():
        cond = _HT_QUERY_COND.match(line)
        if cond:
            condition = f"{_unescape_regex(cond.group(1))}={_unescape_regex(cond.group(2))}"
            continue
        match = _HT_REDIRECT.match(line)
        if match:
            redirects.add(match.group(1), match.group(2))
        elif (match := _HT_MATCH.match(line)) is not None:
            _add_pattern(redirects, _unquote(match.group(1)), _unquote(match.group(2)))
        elif (match := _HT_REWRITE.match(line)) is not None:
            regex, target = _unquote(match.group(1)), _unquote(match.group(2))
            literal = _LITERAL_RULE.match(regex)
            if condition and literal:
                redirects.add(f"/{_unescape_regex(literal.group(1))}?{condition}", target)
            elif literal and not condition:
                redirects.add("/" + _unescape_regex(literal.group(1)), target)
            elif not condition:
                _add_pattern(redirects, regex, target)
        condition = "" if not cond else condition


def _unescape_regex(text: str) -> str:
    """Undo ``re.escape`` (and ``\\s`` for a space) in a literal-path rule."""
    return re.sub(r"\\(.)", lambda m: " " if m.group(1) == "s" else m.group(1), text)
