"""Offline resolution: Hugo, Jekyll and plain trees, redirects, leftovers, anchors."""

from __future__ import annotations

from pathlib import Path

import pytest

from wpmigrate.checks.api import check_links
from wpmigrate.checks.leftovers import classify
from wpmigrate.checks.options import CheckOptions, Severities
from wpmigrate.checks.redirects import read_redirects


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings name files relative to the working directory."""
    monkeypatch.chdir(tmp_path)


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def problems(root: Path, **options: object) -> list[tuple[str, int, str, str]]:
    report = check_links([root], CheckOptions(**options))  # type: ignore[arg-type]
    return [(Path(f.file).name, f.line, f.category, f.message) for f in report.findings]


def test_fixture_site_is_clean(site: Path) -> None:
    report = check_links([site])
    assert report.findings == ()
    assert report.ok
    assert report.links_checked == 19


def test_broken_fixture_reports_each_problem(broken_site: Path) -> None:
    report = check_links([broken_site])
    assert [(f.file, f.line, f.col, f.category, f.message, f.suggestion)
            for f in report.findings] == [
        ("site/content/posts/hello-world/index.md", 11, 30, "broken",
         "broken image: diagrm.png does not exist", "did you mean diagram.png?"),
        ("site/content/posts/hello-world/index.md", 15, 23, "broken",
         "broken link: ../second-pots/ does not exist", "did you mean ../second-post/?"),
        ("site/content/posts/second-post/index.md", 16, 14, "anchor",
         "missing anchor: #teams not found in site/content/about/index.md",
         "did you mean #team?"),
    ]
    assert not report.ok


def test_plain_html_tree_clean_urls_and_percent_encoding(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "index.html": '<a href="about/">a</a> <a href="blog/caf%C3%A9.html#top">c</a>'
                      ' <a href="/blog/café">clean</a> <a href="blog/index.html#x">x</a>',
        "about/index.html": "<h1 id='me'>Me</h1>",
        "blog/café.html": "<p>ok</p>",
        "blog/index.html": "<p id='y'>no x</p>",
    })
    assert problems(root) == [
        ("index.html", 1, "anchor", "missing anchor: #x not found in blog/index.html")]


def test_markdown_tree_file_relative_links(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "README.md": "[guide](docs/guide.md#install) [missing](docs/nope.md)\n",
        "docs/guide.md": "# Guide\n\n## Install\n",
    })
    assert problems(root) == [
        ("README.md", 1, "broken", "broken link: docs/nope.md does not exist")]


def test_jekyll_posts_permalinks_and_redirect_from(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "_posts/2023-07-05-hello.md": "---\nredirect_from: [/old-hello/]\n---\n# Hi\n",
        "about.md": "---\npermalink: /about-us/\n---\n"
                    "[p](/2023/07/05/hello/) [o](/old-hello/) [a](/about-us/) [x](/about/)\n",
    })
    assert problems(root) == [("about.md", 4, "broken", "broken link: /about/ does not exist")]


def test_redirect_files(tmp_path: Path) -> None:
    write(tmp_path, {
        "_redirects": "/a/ /b/ 301\n/shop/* /store/:splat 301\n/ p=308 /posts/x/ 301\n",
        "nginx-redirects.conf": "map $uri $new_uri {\n    /c/ /d/;\n    ~^/e/ /f/;\n}\n",
        ".htaccess": "Redirect 301 /g /h\nRedirectMatch 301 ^/i/(.*)$ /j/$1\n",
    })
    redirects = read_redirects([tmp_path])
    assert redirects.target("/a") == "/b/"
    assert redirects.target("/shop/x/y") == "/store/:splat"
    assert redirects.target("/", "p=308") == "/posts/x/"
    assert redirects.target("/c/") == "/d/"
    assert redirects.target("/e/anything") == "/f/"
    assert redirects.target("/g/") == "/h"
    assert redirects.target("/i/k") == "/j/$1"
    assert redirects.target("/nowhere/") is None


def test_redirect_to_missing_page_is_broken(site: Path) -> None:
    (site / "static/_redirects").write_text("/old-page/ /gone/ 301\n")
    assert [f.message for f in check_links([site]).findings] == [
        "broken link: /old-page/ does not exist"]


@pytest.mark.parametrize(("url", "reason"), [
    ("/?p=308", "a WordPress post-ID URL"),
    ("index.html@p=308.html", "a wget mirror file name"),
    ("../2023/index.html@p=12.html", "a wget mirror file name"),
    ("/wp-content/uploads/2023/07/a.jpg", "a WordPress uploads URL"),
    ("https://atlantabitdevs.org/about/", "a link to the old site (atlantabitdevs.org)"),
    ("http://www.atlantabitdevs.org/", "a link to the old site (www.atlantabitdevs.org)"),
    ("/wp-login.php?redirect_to=x", "a WordPress login/admin URL"),
    ("https://cdn.atlantabitdevs.org/a.png", "a link to the old site (cdn.atlantabitdevs.org)"),
    ("https://demo.files.wordpress.com/2013/03/a.jpg",
     "a link to the old site (demo.files.wordpress.com)"),
])
def test_leftovers(url: str, reason: str) -> None:
    found = classify(url, ("atlantabitdevs.org", "demo.wordpress.com"))
    assert found is not None and found.reason == reason


@pytest.mark.parametrize("url", [
    "https://example.org/?p=3", "https://example.org/wp-content/uploads/a.png", "/posts/x/",
])
def test_not_leftovers(url: str) -> None:
    assert classify(url, ("atlantabitdevs.org",)) is None


def test_leftovers_are_their_own_category_with_suggestion(site: Path) -> None:
    second = site / "content/posts/second-post/index.md"
    second.write_text(second.read_text() + "\n[old](https://atlantabitdevs.org/2023/07/05/"
                      "hello-world/#getting-started) [id](/?p=308) "
                      "[up](/wp-content/uploads/2023/07/x.jpg)\n")
    report = check_links([site])
    assert [(f.category, f.col, f.message, f.suggestion) for f in report.findings] == [
        ("leftover", 7, "leftover: https://atlantabitdevs.org/2023/07/05/hello-world/"
         "#getting-started is a link to the old site (atlantabitdevs.org)",
         "use /posts/hello-world/#getting-started instead"),
        ("leftover", 80, "leftover: /?p=308 is a WordPress post-ID URL",
         "use /posts/hello-world/ instead"),
        ("leftover", 94, "leftover: /wp-content/uploads/2023/07/x.jpg is a WordPress uploads URL",
         ""),
    ]


def test_severity_ignore_and_warning(broken_site: Path) -> None:
    options = CheckOptions(severities=Severities(broken="warning", anchor="ignore"))
    report = check_links([broken_site], options)
    assert {f.severity for f in report.findings} == {"warning"}
    assert report.ok


def test_single_file_uses_the_enclosing_site(broken_site: Path) -> None:
    page = broken_site / "content/posts/second-post/index.md"
    report = check_links([page])
    assert report.files_checked == 1
    assert [f.category for f in report.findings] == ["anchor"]


def test_invalid_alias_is_reported(site: Path) -> None:
    about = site / "content/about/index.md"
    about.write_text(about.read_text().replace("url: /about/",
                                               "url: /about/\naliases: [https://x.org/a/]"))
    assert [f.message for f in check_links([site]).findings] == [
        "invalid alias: https://x.org/a/ must be a path on this site, not a full URL"]


def test_exclude_patterns(broken_site: Path) -> None:
    report = check_links([broken_site], CheckOptions(exclude=(r"second-pots", r"\.png$")))
    assert [f.category for f in report.findings] == ["anchor"]


def test_hugo_ref_shortcodes(site: Path) -> None:
    page = site / "content/about/index.md"
    page.write_text(page.read_text() + '\n{{< ref "posts/hello-world/index.md#getting-started" >}}'
                    ' {{< relref "../posts/second-post/index.md" >}}'
                    ' {{< ref "/posts/nope.md" >}}\n')
    assert [(f.line, f.message) for f in check_links([site]).findings] == [
        (11, "broken ref: /posts/nope.md does not exist")]


def test_alias_that_is_another_pages_url(site: Path) -> None:
    about = site / "content/about/index.md"
    about.write_text(about.read_text().replace("url: /about/",
                                               "url: /about/\naliases: [/posts/hello-world/]"))
    assert [f.message for f in check_links([site]).findings] == [
        "alias /posts/hello-world/ is also the URL of site/content/posts/hello-world/index.md"]


def test_progress_is_reported(site: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    check_links([site], progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert calls[-1] == ("parse", 4, 4)  # the 4 pages under content/


def test_html_tag_spanning_lines(tmp_path: Path) -> None:
    write(tmp_path, {"index.html": '<p>\n<img\n   alt="x"\n   src="missing.png"></p>\n'})
    report = check_links([tmp_path])
    assert [(f.line, f.col, f.message) for f in report.findings] == [
        (4, 9, "broken image: missing.png does not exist")]


def test_mirror_content_folder_is_not_hugo(tmp_path: Path) -> None:
    write(tmp_path, {"content/style.css": "x", "index.html": '<a href="content/style.css">c</a>'})
    assert check_links([tmp_path]).findings == ()


def test_wpmigrate_redirect_formats(tmp_path: Path) -> None:
    write(tmp_path, {
        "_redirects": "/old/ /new/ 301\n/ p=:p /.wp/p/:p 301\n/.wp/p/308 /posts/x/ 301\n",
        "nginx-redirects.conf": 'map $uri $wpmigrate_path {\n    default "";\n'
                                '    "/a b/" "/c/";\n}\nmap $request_uri $wpmigrate_query {\n'
                                '    default "";\n    "/?page_id=7" "/about/";\n}\n',
        "apache-redirects.conf": "RewriteEngine On\n"
                                 "RewriteCond %{QUERY_STRING} (^|&)cat=3(&|$)\n"
                                 'RewriteRule "^/?$" "/categories/x/" [R=301,L,QSD]\n'
                                 'RewriteRule "^/?2023/07/old\\-slug/?$" "/posts/y/" [R=301,L]\n',
    })
    redirects = read_redirects([tmp_path])
    assert redirects.target("/", "p=308") == "/.wp/p/308"
    assert redirects.target("/.wp/p/308") == "/posts/x/"
    assert redirects.target("/a b") == "/c/"
    assert redirects.target("/", "page_id=7") == "/about/"
    assert redirects.target("/", "cat=3") == "/categories/x/"
    assert redirects.target("/2023/07/old-slug/") == "/posts/y/"


def test_zola_path_front_matter(tmp_path: Path) -> None:
    write(tmp_path, {
        "config.toml": 'base_url = "https://example.org"\n',
        "content/pages/telegram.md": '+++\ntitle = "T"\npath = "telegram"\n+++\n# T\n',
        "content/posts/a.md": "+++\ntitle = \"A\"\n+++\n[t](/telegram/#t) [p](/pages/telegram/)\n",
    })
    assert problems(tmp_path, preset="zola") == [
        ("a.md", 4, "broken", "broken link: /pages/telegram/ does not exist")]


def test_astro_collections_and_public(tmp_path: Path) -> None:
    write(tmp_path, {
        "src/content/pages/about.md": "---\ntitle: About\n---\n# About\n",
        "src/content/blog/post.mdx": "---\nheroImage: /media/a.png\n---\n"
                                     "[about](/about/) [self](/blog/post/) [no](/pages/about/)\n",
        "public/media/a.png": "png",
    })
    assert problems(tmp_path, preset="astro") == [
        ("post.mdx", 4, "broken", "broken link: /pages/about/ does not exist")]


def test_parallel_parse_gives_the_same_report(broken_site: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from wpmigrate.checks import parallel

    serial = check_links([broken_site])
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(parallel, "CHUNK", 1)
    assert check_links([broken_site], CheckOptions(jobs=2)).findings == serial.findings


def test_base_path_from_hugo_config(site: Path) -> None:
    (site / "hugo.toml").write_text('baseURL = "https://example.github.io/atl/"\n')
    page = site / "content/about/index.md"
    page.write_text(page.read_text() + "\n[a](/atl/posts/hello-world/#getting-started)"
                    " [b](/atl/images/logo.png) [c](/atl/nope/)\n")
    assert [f.message for f in check_links([site]).findings] == [
        "broken link: /atl/nope/ does not exist"]
