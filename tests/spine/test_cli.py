"""The CLI: exact messages and exit codes; its defaults are the library's."""

from __future__ import annotations

import inspect
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import SAMPLE
from wpmigrate.cli import cli, convert_command
from wpmigrate.options import ConvertOptions


def test_convert_prints_one_summary_line(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        f"9 items: 4 written, 5 skipped, 0 failed; comments: 2 written; media: 2 new, "
        f"0 already there, 0 missing; "
        f"report: {out}/wpmigrate-report.json"
    )


def test_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.xml"
    result = CliRunner().invoke(cli, ["convert", str(missing), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {missing}: does not exist (check the path)\n"


def test_not_an_export_is_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body>hello</body></html>")
    result = CliRunner().invoke(cli, ["convert", str(page), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert str(page) in result.stderr
    assert "is not a WordPress export (WXR)" in result.stderr


def test_unknown_preset_lists_the_known_ones(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "--to", "wix"])
    assert result.exit_code == 2
    assert "'wix' is not one of" in result.stderr


def test_cli_defaults_equal_library_defaults() -> None:
    defaults = ConvertOptions()
    params = {p.name: p.default for p in convert_command.params}
    assert params["preset"] == defaults.preset
    assert params["output"] == defaults.output
    assert params["source_kind"] == defaults.source_kind
    assert params["include_drafts"] is defaults.include_drafts
    assert params["name_by"] == defaults.name_by
    assert params["media"] == defaults.media
    assert params["workers"] == defaults.workers
    assert params["strict"] is defaults.strict
    assert params["comments"] == defaults.comments


def test_python_dash_m_works() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "wpmigrate", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("wpmigrate, version ")


def test_presets_lists_every_preset() -> None:
    from wpmigrate.writers.presets import PRESETS

    result = CliRunner().invoke(cli, ["presets"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert names == sorted(PRESETS)


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        assert inspect.cleandoc(command.help or ""), f"{name} has no help"


def test_cli_redirect_defaults_equal_library_defaults() -> None:
    params = {p.name: p.default for p in convert_command.params}
    assert tuple(params["redirects"].split(",")) == ConvertOptions().redirects


def test_unknown_redirect_format_fails_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "o"
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "-o", str(out), "--redirects", "iis"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: unknown redirect format(s) iis; choose from netlify, cloudflare, nginx, apache\n"
    )
    assert not out.exists()


def test_front_matter_the_engine_cannot_read_is_refused(tmp_path: Path) -> None:
    args = ["convert", str(SAMPLE), "-o", str(tmp_path), "--to", "jekyll", "--front-matter", "toml"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == "Error: jekyll reads yaml front matter only, not toml\n"


def test_config_file_sets_convert_defaults_and_flags_win(tmp_path: Path) -> None:
    config = tmp_path / "wpmigrate.toml"
    config.write_text('[convert]\nto = "jekyll"\noutput = "site"\nredirects = "none"\n')
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "_config.yml").is_file()
    assert not (tmp_path / "site" / "_redirects").exists()
    out = tmp_path / "flag"
    args = ["convert", str(SAMPLE), "--config", str(config), "--to", "markdown", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (out / "posts" / "dont-trust-verify.md").is_file()


def test_config_file_errors_name_the_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "wpmigrate.toml"
    config.write_text("[convert]\ncolour = true\n")
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "--config", str(config)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {config}: [convert] colour: unknown key (known: ")
