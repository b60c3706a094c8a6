"""Config files: where they are found, what they may say, and how mistakes are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from secscan.cli.settings import Settings, load_settings
from secscan.cli.settings_values import SettingsError, validators

FLAG_NAMES = {
    "fail-on", "format", "exclude", "patterns", "show-suppressed", "ocr", "ocr-engine", "max-file-size",
    "max-expanded-size", "max-ratio", "max-depth", "max-members", "timeout", "password-file", "baseline",
    "redact", "max-memory", "cache",
}  # fmt: skip


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_keys_are_the_flag_names() -> None:
    assert set(validators()) == FLAG_NAMES


def test_secscan_toml_is_found_from_a_nested_folder(tmp_path: Path) -> None:
    config = write(tmp_path / ".secscan.toml", 'fail-on = "secret"\n')
    write(tmp_path / "a" / "b" / "doc.txt", "x")
    settings = load_settings([str(tmp_path / "a" / "b" / "doc.txt")], None)
    assert settings.source == config
    assert settings.get("fail-on") == "secret"


def test_pyproject_without_a_secscan_table_does_not_stop_the_search(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.secscan]\nformat = "json"\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    settings = load_settings([str(tmp_path / "sub")], None)
    assert settings.source == tmp_path / "pyproject.toml"
    assert settings.get("format") == "json"


def test_secscan_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.secscan]\nformat = "json"\n')
    write(tmp_path / ".secscan.toml", 'format = "csv"\n')
    assert load_settings([str(tmp_path)], None).get("format") == "csv"


def test_the_nearest_file_wins(tmp_path: Path) -> None:
    write(tmp_path / ".secscan.toml", 'fail-on = "secret"\n')
    write(tmp_path / "team" / ".secscan.toml", 'fail-on = "confidential"\n')
    assert load_settings([str(tmp_path / "team")], None).get("fail-on") == "confidential"


def test_no_file_means_no_settings(tmp_path: Path) -> None:
    settings = load_settings([str(tmp_path)], None)
    assert (settings.values, settings.source) == ({}, None)
    assert settings.get("fail-on", "internal") == "internal"


def test_unknown_key_names_the_key_the_file_and_a_suggestion(tmp_path: Path) -> None:
    config = write(tmp_path / ".secscan.toml", 'fial-on = "secret"\n')
    with pytest.raises(SettingsError) as error:
        load_settings([str(tmp_path)], None)
    assert "'fial-on'" in str(error.value) and str(config) in str(error.value)
    assert "did you mean 'fail-on'" in str(error.value)


def test_underscore_spelling_is_refused_with_the_dashed_name(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.secscan]\nshow_suppressed = true\n")
    with pytest.raises(SettingsError, match=r"\[tool.secscan\].*'show_suppressed'.*'show-suppressed'"):
        load_settings([str(tmp_path)], None)


@pytest.mark.parametrize(
    "line, problem",
    [
        ('fail-on = "high"', "must be one of internal"),
        ('format = "xml"', "must be one of"),
        ("ocr = 1", "true or false"),
        ("max-depth = -1", "at least 0"),
        ("max-ratio = 0.5", "at least 1"),
        ('max-file-size = "lots"', "size in bytes"),
        ('patterns = ["nowhere"]', "no such file or folder"),
        ("exclude = [1]", "glob patterns"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, line: str, problem: str) -> None:
    write(tmp_path / ".secscan.toml", line + "\n")
    key = line.split(" =")[0]
    with pytest.raises(SettingsError, match=rf"setting '{key}': .*{problem}"):
        load_settings([str(tmp_path)], None)


def test_values_are_converted_and_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "conf" / "mypatterns").mkdir(parents=True)
    write(tmp_path / "conf" / "pw.txt", "secret\n")
    config = write(
        tmp_path / "conf" / "secscan.toml",
        'max-file-size = "2M"\nmax-expanded-size = 4096\ntimeout = 3\nexclude = "*.log"\n'
        'patterns = ["mypatterns"]\npassword-file = "pw.txt"\nbaseline = ".secscan-baseline.json"\n'
        "ocr = false\nredact = true\n",
    )
    settings = load_settings(["unused"], str(config))
    assert settings.source == config
    assert settings.get("max-file-size") == 2 * 1024 * 1024
    assert settings.get("max-expanded-size") == 4096
    assert settings.get("timeout") == 3.0
    assert settings.get("exclude") == ("*.log",)
    assert settings.get("patterns") == (str(tmp_path / "conf" / "mypatterns"),)
    assert settings.get("password-file") == str(tmp_path / "conf" / "pw.txt")
    assert settings.get("baseline") == str(tmp_path / "conf" / ".secscan-baseline.json")
    assert (settings.get("ocr"), settings.get("redact")) == (False, True)


def test_explicit_config_must_exist_and_pyproject_must_have_the_table(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="no such file"):
        load_settings([], str(tmp_path / "missing.toml"))
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(SettingsError, match=r"no \[tool.secscan\] table"):
        load_settings([], str(tmp_path / "pyproject.toml"))


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    config = write(tmp_path / ".secscan.toml", "fail-on = \n")
    with pytest.raises(SettingsError, match="not valid TOML") as error:
        load_settings([str(tmp_path)], None)
    assert str(config) in str(error.value)


def test_command_line_values_override_the_file() -> None:
    settings = Settings({"fail-on": "secret", "redact": True}, Path("x"))
    assert settings.merged({"fail-on": "top-secret"}) == {"fail-on": "top-secret", "redact": True}


def test_a_broken_pyproject_that_does_not_configure_secscan_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project\nname = \n")
    assert load_settings([str(tmp_path)], None).source is None
    write(tmp_path / "pyproject.toml", "[tool.secscan]\nfail-on = \n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings([str(tmp_path)], None)
