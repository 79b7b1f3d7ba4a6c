"""``wpmigrate check-links`` end to end: exit codes, every format, config, schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
from click.testing import CliRunner
from lxml import etree

from wpmigrate.cli_checks import check_links_command

SCHEMAS = Path(__file__).parent / "schemas"
HELLO = "site/content/posts/hello-world/index.md"
SECOND = "site/content/posts/second-post/index.md"
EXPECTED = [(HELLO, 11), (HELLO, 15), (SECOND, 16)]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Invoke the command through a tiny group, as ``wpmigrate check-links …``."""
    group = click.Group("wpmigrate")
    group.add_command(check_links_command)
    result = CliRunner().invoke(group, ["check-links", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_clean_site_exits_0(site: Path) -> None:
    code, out, _ = run("site")
    assert code == 0
    assert out.startswith("OK: no broken links (19 links in 4 files, ")


def test_broken_site_text_report(broken_site: Path) -> None:
    code, out, _ = run("site")
    assert code == 1
    lines = out.splitlines()
    assert lines[:11] == [
        HELLO,
        "  11:30  error    broken image: diagrm.png does not exist  [broken]",
        "      did you mean diagram.png?",
        "  15:23  error    broken link: ../second-pots/ does not exist  [broken]",
        "      did you mean ../second-post/?",
        "",
        SECOND,
        "  16:14  error    missing anchor: #teams not found in "
        "site/content/about/index.md  [anchor]",
        "      did you mean #team?",
        "",
        lines[10],
    ]
    assert lines[10].startswith("FAILED: 3 errors, 0 warnings in 2 files (19 links in 4 files, ")


def test_json_format(broken_site: Path) -> None:
    code, out, _ = run("site", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["summary"]["errors"] == 3
    assert [(f["file"], f["line"]) for f in data["findings"]] == EXPECTED
    assert data["findings"][2] == {
        "file": SECOND, "line": 16, "column": 14, "url": "/about/#teams",
        "category": "anchor", "severity": "error",
        "message": "missing anchor: #teams not found in site/content/about/index.md",
        "suggestion": "did you mean #team?",
    }


def test_junit_validates_and_names_files(broken_site: Path) -> None:
    code, out, _ = run("site", "--format", "junit")
    assert code == 1
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit.xsd")))
    document = etree.fromstring(out.encode("utf-8"))
    schema.assertValid(document)
    cases = document.findall(".//testcase")
    assert [(c.get("file"), int(c.get("line"))) for c in cases] == EXPECTED
    assert all(c.find("failure") is not None for c in cases)


def test_junit_clean_run_validates(site: Path) -> None:
    code, out, _ = run("site", "--format", "junit")
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit.xsd")))
    schema.assertValid(etree.fromstring(out.encode("utf-8")))
    assert code == 0 and 'failures="0"' in out


def test_sarif_validates_and_names_files(broken_site: Path) -> None:
    code, out, _ = run("site", "--format", "sarif")
    assert code == 1
    sarif = json.loads(out)
    schema = json.loads((SCHEMAS / "sarif-2.1.0-subset.json").read_text())
    jsonschema.validate(sarif, schema, format_checker=jsonschema.FormatChecker())
    results = sarif["runs"][0]["results"]
    located = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results]
    assert located == EXPECTED
    assert [r["ruleId"] for r in results] == ["broken", "broken", "anchor"]


def test_sarif_schema_rejects_bad_documents() -> None:
    schema = json.loads((SCHEMAS / "sarif-2.1.0-subset.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "2.0.0", "runs": []}, schema)
    bad_region = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "a.md"}, "region": {"startLine": 0}}}]}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad_region, schema)


def test_github_annotations_capped_with_summary(broken_site: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    code, out, _ = run("site", "--format", "github", "--annotations-limit", "2",
                       env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (f"::error file={HELLO},line=11,col=30,title=check-links%3A broken::"
                        "broken image: diagrm.png does not exist (did you mean diagram.png?)")
    assert lines[1].startswith(f"::error file={HELLO},line=15,col=23,")
    assert lines[2] == "::notice title=check-links::1 more findings are listed in the job summary"
    text = summary.read_text()
    assert f"### `{SECOND}`" in text and "| 16:14 | error | anchor | `/about/#teams` |" in text


def test_markdown_format(broken_site: Path) -> None:
    code, out, _ = run("site", "--format", "markdown")
    assert code == 1
    assert f"### `{HELLO}`" in out
    assert ("| 15:23 | error | broken | `../second-pots/` | broken link: ../second-pots/ "
            "does not exist — did you mean ../second-post/? |") in out


def test_output_file(broken_site: Path, tmp_path: Path) -> None:
    code, out, _ = run("site", "--format", "json", "-o", str(tmp_path / "r.json"))
    assert code == 1 and out == ""
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["errors"] == 3


def test_single_file_argument(broken_site: Path) -> None:
    code, out, _ = run(SECOND)
    assert code == 1
    assert out.splitlines()[0] == SECOND


def test_severity_option_turns_failure_into_warning(broken_site: Path) -> None:
    code, out, _ = run("site", "--severity", "broken=warning", "--severity", "anchor=warning")
    assert code == 0
    assert "OK: 0 errors, 3 warnings in 2 files" in out


def test_config_file_sets_severities(broken_site: Path, tmp_path: Path) -> None:
    (tmp_path / "wpmigrate.toml").write_text(
        '[check-links]\nseverity = {broken = "ignore", anchor = "warning"}\n')
    code, out, _ = run("site")
    assert code == 0
    assert "diagrm.png" not in out and "warning  missing anchor: #teams" in out


def test_pyproject_tool_table(broken_site: Path, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.wpmigrate.check-links]\nexclude = ["second-pots", "diagrm"]\n')
    code, out, _ = run("site")
    assert code == 1 and "diagrm" not in out and "#teams" in out


@pytest.mark.parametrize(("toml", "message"), [
    ('[check-links]\ncolour = "red"\n', "wpmigrate.toml: [check-links] colour: unknown key"),
    ('[check-links]\nseverity = {broken = "fatal"}\n',
     "wpmigrate.toml: [check-links] severity.broken: must be one of error, warning, ignore"),
    ('[check-links]\nseverity = {typo = "error"}\n',
     "wpmigrate.toml: [check-links] severity.typo: unknown category "
     "(use broken, anchor, leftover, external)"),
    ('[check-links]\ncache_ttl = "long"\n',
     "wpmigrate.toml: [check-links] cache_ttl: must be a non-negative number"),
    ('[check-links]\nexclude = "x"\n',
     "wpmigrate.toml: [check-links] exclude: must be a list of strings"),
    ('[check-links]\nexclude = ["(unclosed"]\n', "exclude '(unclosed': not a valid regular"),
    ("[check-links\n", "wpmigrate.toml: not valid TOML"),
])
def test_invalid_config_exits_2(site: Path, tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "wpmigrate.toml").write_text(toml)
    code, _, err = run("site")
    assert code == 2
    assert err.startswith("Error: ")
    assert message in err.replace(str(tmp_path) + "/", "")


def test_usage_errors_exit_2(site: Path) -> None:
    assert run("missing-dir")[0] == 2
    assert run("site", "--format", "yaml")[0] == 2
    code, _, err = run("site", "--severity", "broken=loud")
    assert code == 2 and "--severity broken=loud" in err
    code, _, err = run("site", "--config", "nope.toml")
    assert code == 2 and err == "Error: nope.toml: config file not found\n"
    code, _, err = run("site/static/images/logo.png")
    assert code == 2 and "not a Markdown or HTML file" in err


def test_explicit_config_and_old_host(site: Path, tmp_path: Path) -> None:
    page = site / "content/about/index.md"
    page.write_text(page.read_text() + "\n[old](https://old.example.net/about/)\n")
    config = tmp_path / "ci.toml"
    config.write_text('[check-links]\nold_hosts = ["old.example.net"]\n'
                      'severity = {leftover = "error"}\n')
    code, out, _ = run("site", "--config", str(config))
    assert code == 1
    assert ("leftover: https://old.example.net/about/ is a link to the old site "
            "(old.example.net)  [leftover]") in out
    assert "use /about/ instead" in out


def test_external_option_end_to_end(site: Path, http_server: Any, tmp_path: Path) -> None:
    page = site / "content/about/index.md"
    page.write_text(page.read_text() + f"\n[gone]({http_server.base}/missing)"
                    f" [fine]({http_server.base}/ok)\n")
    assert run("site")[0] == 0  # offline by default
    cache = tmp_path / "cache.json"
    code, out, _ = run("site", "--external", "--timeout", "2", "--retries", "0",
                       "--cache", str(cache))
    assert code == 1
    assert (f"  11:8  error    external link: {http_server.base}/missing returned 404 Not "
            "Found  [external]") in out
    assert list(json.loads(cache.read_text())["entries"]) == [f"{http_server.base}/ok"]
    code, out, _ = run("site", "--external", "--severity", "external=warning", "--no-cache")
    assert code == 0 and "warning  external link:" in out
