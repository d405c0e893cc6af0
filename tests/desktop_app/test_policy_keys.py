"""The keys `unsynced_warning_hours` and `high_contrast` as IT and a worker set them: a
value that does not fit is named and locked at its default, a key IT sets cannot be changed
by the worker, and the yes/no peek the first frame uses agrees with the full read."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app import cli
from desktop_app import policy_sources as sources_module
from desktop_app.policy import Policy, load_policy
from desktop_app.policy_sources import (
    REGISTRY_KEY,
    RegistryPolicy,
    TomlPolicyFile,
    peek_yes_no,
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("written", ["0", "721", '"a day"', "24.5"])
def test_a_malformed_warning_threshold_is_named_and_locked_at_24_hours(
        tmp_path: Path, written: str) -> None:
    system = write(tmp_path / "policy.toml",
                   f"idle_lock_minutes = 3\nunsynced_warning_hours = {written}\n")
    user = write(tmp_path / "settings.toml", "unsynced_warning_hours = 2\n")
    effective = load_policy(system, user)
    assert effective.policy.unsynced_warning_hours == 24  # not the worker's 2 either
    assert effective.is_locked("unsynced_warning_hours")
    assert effective.policy.idle_lock_minutes == 3  # the rest of the file still applies
    [problem] = effective.problems
    assert problem.startswith(f"{system}: line 2, key 'unsynced_warning_hours': ")
    assert problem.endswith("its safe default is used instead")


def test_it_sets_the_warning_threshold_and_the_worker_cannot_change_it(
        tmp_path: Path) -> None:
    system = write(tmp_path / "policy.toml", "unsynced_warning_hours = 8\n")
    effective = load_policy(system, write(tmp_path / "settings.toml",
                                          "unsynced_warning_hours = 72\n"))
    assert effective.policy.unsynced_warning_hours == 8
    assert effective.problems == [] and effective.is_locked("unsynced_warning_hours")
    unset = load_policy(tmp_path / "none.toml", tmp_path / "settings.toml")
    assert unset.policy.unsynced_warning_hours == 72  # left to the worker, who chose 72


def test_a_malformed_high_contrast_is_locked_at_its_default(tmp_path: Path) -> None:
    system = write(tmp_path / "policy.toml", 'high_contrast = "sometimes"\n')
    user = write(tmp_path / "settings.toml", "high_contrast = true\n")
    effective = load_policy(system, user)
    assert effective.policy.high_contrast is False and effective.is_locked("high_contrast")
    assert "line 1, key 'high_contrast'" in effective.problems[0]


class GroupPolicy:
    """The registry values Group Policy writes for an enabled yes/no policy (a DWORD)."""

    def __init__(self, values: dict[str, object]) -> None:
        self._values = values

    def values(self, key_path: str) -> dict[str, object] | None:
        return dict(self._values) if key_path == REGISTRY_KEY else None


def test_high_contrast_from_group_policy_is_on_and_managed(tmp_path: Path) -> None:
    registry = RegistryPolicy(GroupPolicy({"high_contrast": 1, "unsynced_warning_hours": 12}))
    effective = load_policy(registry, tmp_path / "none.toml")
    assert effective.problems == []
    assert effective.policy.high_contrast is True and effective.is_locked("high_contrast")
    assert effective.policy.unsynced_warning_hours == 12
    assert peek_yes_no("high_contrast", registry, tmp_path / "none.toml") == (True, True)


@pytest.mark.parametrize(("it_text", "user_text", "expected"), [
    ("", "", (False, False)),
    ("", "high_contrast = true\n", (True, False)),
    ("high_contrast = true\n", "high_contrast = false\n", (True, True)),
    ("high_contrast = false\n", "high_contrast = true\n", (False, True)),
    ("high_contrast = [\n", "high_contrast = true\n", (False, True)),  # unreadable: all locked
])
def test_the_early_peek_agrees_with_the_full_read(
        tmp_path: Path, it_text: str, user_text: str, expected: tuple[bool, bool]) -> None:
    system = write(tmp_path / "policy.toml", it_text)
    user = write(tmp_path / "settings.toml", user_text)
    assert peek_yes_no("high_contrast", TomlPolicyFile(system), user) == expected
    effective = load_policy(system, user)
    assert (effective.policy.high_contrast, effective.is_locked("high_contrast")) == expected


def test_the_worker_may_set_high_contrast_unless_it_manages_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    system = write(tmp_path / "policy.toml", "")
    user = tmp_path / "config" / "settings.toml"
    monkeypatch.setattr(sources_module, "SYSTEM_POLICY_FILE", system)
    monkeypatch.setenv("HOMEVISIT_SETTINGS_FILE", str(user))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert cli.main(["policy", "set", "high_contrast", "true"]) == 0
    assert load_policy(system, user).policy.high_contrast is True

    write(system, "high_contrast = true\n")
    capsys.readouterr()
    assert cli.main(["policy", "set", "high_contrast", "false"]) != 0
    err = capsys.readouterr().err
    assert "'high_contrast' is managed by your organisation's IT" in err
    assert "Nothing was changed" in err and "Traceback" not in err
    assert cli.main(["policy", "show"]) == 0
    shown = next(line for line in capsys.readouterr().out.splitlines()
                 if line.startswith("high_contrast "))
    assert "yes  [managed by IT; IT policy" in shown


def test_the_defaults_are_the_documented_ones() -> None:
    assert Policy().unsynced_warning_hours == 24
    assert Policy().high_contrast is False
    assert Policy().offline_grace_days is None


@pytest.mark.parametrize("written", [1, 0, "1", "0", "yes", "True", "sometimes", 2])
def test_the_peek_reads_registry_values_as_the_schema_does(tmp_path: Path,
                                                           written: object) -> None:
    registry = RegistryPolicy(GroupPolicy({"high_contrast": written}))
    effective = load_policy(registry, tmp_path / "none.toml")
    assert peek_yes_no("high_contrast", registry, tmp_path / "none.toml") == (
        effective.policy.high_contrast, True)
