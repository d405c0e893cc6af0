"""IT policy as IT writes it on each operating system, and as a user tries to get round it.

The Windows registry is the one thing replaced: `RegistryPolicy` takes any reader, and the
test's reader holds the values Group Policy would have written. Everything else is real:
TOML and plist files on disk, the CLI in-process.
"""

from __future__ import annotations

import json
import logging
import plistlib
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from desktop_app import cli
from desktop_app import policy_sources as sources_module
from desktop_app.policy import POLICY_KEYS, Policy, load_policy
from desktop_app.policy_sources import (
    REGISTRY_KEY,
    MacManagedPreferences,
    RegistryPolicy,
    TomlPolicyFile,
    system_policy_source,
)

RECOVERY_KEY = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="  # 32 bytes, base64


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_keys_it_sets_win_over_the_user_and_are_managed(tmp_path: Path) -> None:
    system = write(tmp_path / "policy.toml", 'server_url = "https://central.council.example"\n'
                   "photos_allowed = false\nidle_lock_minutes = 3\n")
    user = write(tmp_path / "settings.toml", "photos_allowed = true\nidle_lock_minutes = 30\n"
                 "sync_interval_minutes = 30\n")
    effective = load_policy(system, user)
    assert effective.problems == []
    assert effective.policy.photos_allowed is False
    assert effective.policy.idle_lock_minutes == 3
    assert effective.policy.sync_interval_minutes == 30  # not set by IT: the user's choice
    assert effective.is_locked("photos_allowed") and effective.is_locked("server_url")
    assert not effective.is_locked("sync_interval_minutes")
    assert effective.source_of("idle_lock_minutes") == f"IT policy {system}"
    assert effective.source_of("sync_interval_minutes") == f"user settings {user}"
    assert effective.source_of("days_on_device") == "built-in default"


def test_a_file_that_is_not_toml_locks_every_key_at_its_safe_default(tmp_path: Path) -> None:
    system = write(tmp_path / "policy.toml", "idle_lock_minutes = 3\nphotos_allowed = yes\n")
    user = write(tmp_path / "settings.toml", "photos_allowed = true\nexport_allowed = true\n")
    effective = load_policy(system, user)
    assert effective.policy == Policy()  # the user's looser choices are not taken either
    assert effective.locked == frozenset(POLICY_KEYS)
    [problem] = effective.problems
    assert str(system) in problem and "line 2" in problem
    assert "could not be read" in effective.source_of("photos_allowed")


def test_a_bad_value_is_named_and_locked_at_its_default_not_left_to_the_user(
        tmp_path: Path) -> None:
    system = write(tmp_path / "policy.toml", "# council policy\nexport_allowed = false\n"
                   "idle_lock_minutes = 600\n\n[visit_standards]\n"
                   "child_protection_working_days = 0\n")
    user = write(tmp_path / "settings.toml", "idle_lock_minutes = 45\n")
    effective = load_policy(system, user)
    assert effective.policy.idle_lock_minutes == 5  # the default, not the user's 45
    assert effective.policy.visit_standards == Policy().visit_standards
    assert effective.is_locked("idle_lock_minutes") and effective.is_locked("export_allowed")
    problems = "\n".join(effective.problems)
    assert f"{system}: line 3, key 'idle_lock_minutes'" in problems
    assert "line 5, key 'visit_standards.child_protection_working_days'" in problems
    assert "sets it wrongly" in effective.source_of("idle_lock_minutes")


def test_a_misspelled_key_is_named_with_the_nearest_and_locks_the_whole_policy(
        tmp_path: Path) -> None:
    # IT meant to lock export off; a typo must not leave it to the worker to turn on.
    system = write(tmp_path / "policy.toml", 'server_url = "https://central.council.example"\n'
                   "expor_allowed = false\n")
    user = write(tmp_path / "settings.toml", "export_allowed = true\n")
    effective = load_policy(system, user)
    assert effective.policy == Policy()
    assert effective.locked == frozenset(POLICY_KEYS)
    assert (f"{system}: line 2, key 'expor_allowed': is not a policy key (did you mean "
            "'export_allowed'?)") in effective.problems[0]
    assert "every key is locked" in effective.problems[1]
    assert "does not know" in effective.source_of("export_allowed")


def test_a_misspelled_key_in_a_group_names_the_groups_nearest_key(tmp_path: Path) -> None:
    system = write(tmp_path / "policy.toml",
                   "[visit_standards]\nchild_protection_workingdays = 15\n")
    effective = load_policy(system, tmp_path / "none.toml")
    assert effective.locked == frozenset(POLICY_KEYS)
    assert ("key 'visit_standards.child_protection_workingdays': is not a policy key (did you "
            "mean 'child_protection_working_days'?)") in effective.problems[0]


def test_a_malformed_user_file_costs_only_the_users_own_choices(tmp_path: Path) -> None:
    system = write(tmp_path / "policy.toml", "idle_lock_minutes = 2\n")
    user = write(tmp_path / "settings.toml", "sync_interval_minutes = 'often'\n")
    effective = load_policy(system, user)
    assert effective.policy.idle_lock_minutes == 2
    assert effective.policy.sync_interval_minutes == 15
    assert f"{user}: line 1, key 'sync_interval_minutes'" in effective.problems[0]


class GroupPolicyRegistry:
    """What `HKLM\\Software\\Policies\\Homevisit` holds after Group Policy or the MSI ran."""

    def __init__(self, keys: dict[str, dict[str, object]], fail: bool = False) -> None:
        self.keys = keys
        self.fail = fail
        self.asked: list[str] = []

    def values(self, key_path: str) -> dict[str, object] | None:
        self.asked.append(key_path)
        if self.fail:
            raise PermissionError(5, "Access is denied")
        return self.keys.get(key_path)


def test_windows_policy_comes_from_the_registry_with_dwords_and_a_subkey(
        tmp_path: Path) -> None:
    registry = GroupPolicyRegistry({
        REGISTRY_KEY: {"server_url": "https://central.council.example", "photos_allowed": 1,
                       "idle_lock_minutes": 4, "recovery_public_key": RECOVERY_KEY,
                       "ca_file": ""},
        REGISTRY_KEY + "\\visit_standards": {"child_protection_working_days": 7},
    })
    user = write(tmp_path / "settings.toml", "idle_lock_minutes = 30\n")
    effective = load_policy(RegistryPolicy(registry), user)
    assert effective.problems == []
    assert effective.policy.photos_allowed is True
    assert effective.policy.idle_lock_minutes == 4
    assert effective.policy.recovery_key_bytes is not None
    assert effective.policy.visit_standards.child_protection_working_days == 7
    assert effective.policy.ca_file is None  # blank text in a policy means "not set"
    assert effective.source_of("server_url") == r"IT policy HKLM\Software\Policies\Homevisit"
    assert effective.is_locked("visit_standards") and not effective.is_locked("ca_file")
    assert registry.asked == [REGISTRY_KEY, REGISTRY_KEY + "\\visit_standards",
                              REGISTRY_KEY + "\\flag_thresholds"]


def test_a_bad_registry_value_is_named_and_an_unreadable_key_locks_defaults(
        tmp_path: Path) -> None:
    bad = GroupPolicyRegistry({REGISTRY_KEY: {"failed_unlock_limit": 1000}})
    effective = load_policy(RegistryPolicy(bad), tmp_path / "none.toml")
    assert effective.policy.failed_unlock_limit == 10
    assert r"HKLM\Software\Policies\Homevisit: value 'failed_unlock_limit'" in (
        effective.problems[0])
    denied = GroupPolicyRegistry({}, fail=True)
    user = write(tmp_path / "settings.toml", "export_allowed = true\n")
    locked = load_policy(RegistryPolicy(denied), user)
    assert locked.policy == Policy() and locked.locked == frozenset(POLICY_KEYS)
    assert "Access is denied" in locked.problems[0]


def test_the_real_registry_reader_is_only_used_on_windows() -> None:
    assert type(system_policy_source("win32", Path("/x"))).__name__ == "RegistryPolicy"
    assert type(system_policy_source("darwin", Path("/x"))).__name__ == "MacManagedPreferences"
    linux = system_policy_source("linux", Path("/etc/homevisit/policy.toml"))
    assert isinstance(linux, TomlPolicyFile)
    from desktop_app.policy_sources import WinregReader

    with pytest.raises(OSError, match="only on Windows"):
        WinregReader().values(REGISTRY_KEY)


def test_macos_managed_preferences_machine_then_user(tmp_path: Path) -> None:
    machine = tmp_path / "org.homevisit.Homevisit.plist"
    machine.write_bytes(plistlib.dumps({"server_url": "https://central.council.example",
                                        "pdf_allowed": True, "idle_lock_minutes": 10,
                                        "PayloadUUID": "5B0B5C2A-0000-4000-8000-000000000001",
                                        "visit_standards": {"child_in_need_working_days": 15}}))
    person = tmp_path / "jokafor.plist"
    person.write_bytes(plistlib.dumps({"idle_lock_minutes": 2}))
    effective = load_policy(MacManagedPreferences([machine, person]), tmp_path / "none.toml")
    assert effective.problems == []
    assert effective.policy.pdf_allowed is True
    assert effective.policy.idle_lock_minutes == 2
    assert effective.policy.visit_standards.child_in_need_working_days == 15
    assert effective.is_locked("server_url")


def test_macos_broken_or_wrong_plist_names_file_and_line(tmp_path: Path) -> None:
    machine = tmp_path / "org.homevisit.Homevisit.plist"
    text = plistlib.dumps({"minimum_passphrase_length": 4}).decode()
    machine.write_text(text)
    effective = load_policy(MacManagedPreferences([machine]), tmp_path / "none.toml")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "minimum_pass" in row)
    assert f"{machine}: line {line}, key 'minimum_passphrase_length'" in effective.problems[0]
    assert effective.policy.minimum_passphrase_length == 12
    machine.write_text(text.replace("</dict>", ""))
    broken = load_policy(MacManagedPreferences([machine]), tmp_path / "none.toml")
    assert broken.locked == frozenset(POLICY_KEYS) and "line" in broken.problems[0]


@pytest.fixture
def laptop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    system = write(tmp_path / "policy.toml", 'server_url = "https://central.council.example"\n'
                   "idle_lock_minutes = 3\n")
    user = tmp_path / "config" / "settings.toml"
    monkeypatch.setattr(sources_module, "SYSTEM_POLICY_FILE", system)
    monkeypatch.setenv("HOMEVISIT_SETTINGS_FILE", str(user))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    yield system, user
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, RotatingFileHandler)]:
        root.removeHandler(handler)
        handler.close()


def test_after_a_misspelled_key_the_worker_cannot_set_the_key_it_meant(
        laptop: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    system, _ = laptop
    write(system, "expor_allowed = false\n")
    assert cli.main(["policy", "set", "export_allowed", "yes"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'export_allowed'?" in err
    assert "managed by your organisation's IT" in err


def test_policy_show_gives_each_value_and_its_source(
        laptop: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    system, _ = laptop
    assert cli.main(["policy", "show"]) == 0
    lines = capsys.readouterr().out.splitlines()
    idle = next(line for line in lines if line.startswith("idle_lock_minutes "))
    assert " 3  [managed by IT; IT policy " + str(system) + "]" in idle
    photos = next(line for line in lines if line.startswith("photos_allowed "))
    assert "no  [may be changed; built-in default]" in photos
    assert any(line.startswith("visit_standards.child_protection_working_days ")
               for line in lines)
    assert cli.main(["policy", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["server_url"] == {"value": "https://central.council.example",
                                   "source": f"IT policy {system}", "managed": True}


def test_a_user_cannot_change_a_managed_key_but_can_change_their_own(
        laptop: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, user = laptop
    assert cli.main(["policy", "set", "idle_lock_minutes", "30"]) == 2
    assert "managed by your organisation's IT" in capsys.readouterr().err
    assert not user.exists()
    assert cli.main(["policy", "set", "sync_interval_minutes", "45"]) == 0
    assert cli.main(["policy", "set", "sync_interval_minutes", "0"]) == 2
    assert "greater than or equal to 1" in capsys.readouterr().err
    assert cli.main(["policy", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["sync_interval_minutes"]["value"] == 45
    assert shown["sync_interval_minutes"]["source"] == f"user settings {user}"
    assert shown["idle_lock_minutes"]["value"] == 3


def test_the_settings_file_reads_back_as_written() -> None:
    """A value holding a control character (DEL) made a hand-written TOML file tomllib could
    not read; the settings are written by tomli-w and read back exactly."""
    import tomllib

    from desktop_app.cli.policy import _to_toml

    values = {"central_url": "https://central.example\x7f/", "idle_lock_minutes": 5,
              "flags": {"unsynced_hours": 48}}
    assert tomllib.loads(_to_toml(values)) == values
