"""Where each operating system keeps IT's policy, read behind one interface.

- Linux: a TOML file (`/etc/homevisit/policy.toml`, a conffile of the .deb).
- Windows: registry values under `HKLM\\Software\\Policies\\Homevisit` (written by Group
  Policy through the ADMX template, or by the MSI's properties); each group of settings
  (`visit_standards`, `flag_thresholds`) as a subkey. Only `WinregReader` touches
  `winreg`; everything else takes any `RegistryReader`.
- macOS: managed preferences for the domain `org.homevisit.Homevisit`, which an MDM
  profile (.mobileconfig) installs in `/Library/Managed Preferences/`.

A source reports the values that fit the schema, the keys that do not (each with where it
is), and whether the whole layer was unreadable. It never decides what that means for the
laptop: `desktop_app.policy.load_policy` does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

SYSTEM_POLICY_FILE = Path("/etc/homevisit/policy.toml")
USER_SETTINGS_ENV = "HOMEVISIT_SETTINGS_FILE"
MAC_DOMAIN = "org.homevisit.Homevisit"
MAC_MANAGED_PREFERENCES = Path("/Library/Managed Preferences")
REGISTRY_KEY = r"Software\Policies\Homevisit"
# The policy's groups of settings, each a subkey of REGISTRY_KEY (a test keeps this in step).
REGISTRY_SUBKEYS = ("visit_standards", "flag_thresholds")
SAFE_DEFAULT = "its safe default is used instead"

Validator = Callable[[Mapping[str, Any]], dict[str, str]]


@dataclass(frozen=True)
class LayerRead:
    """One layer as read: the values that fit, the keys that were refused, and why."""

    values: dict[str, Any] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    unreadable: bool = False


class PolicySource(Protocol):
    description: str

    def read(self, validate: Validator) -> LayerRead: ...


def _checked(raw: dict[str, Any], validate: Validator,
             where: Callable[[str], str]) -> LayerRead:
    refused = validate(raw)
    problems = [f"{where(key)}{reason}; {SAFE_DEFAULT}" for key, reason in refused.items()]
    values = {key: value for key, value in raw.items() if key not in refused}
    return LayerRead(values, refused, problems)


def _unreadable(description: str, reason: str) -> LayerRead:
    return LayerRead(problems=[f"{description}: {reason}; the whole of it was set aside and "
                               "safe defaults used"], unreadable=True)


class TomlPolicyFile:
    """A TOML file of policy keys: IT's on Linux, and everyone's own settings file."""

    def __init__(self, path: Path, role: str = "IT policy") -> None:
        self.path = path
        self.role = role
        self.description = str(path)

    def read(self, validate: Validator) -> LayerRead:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return LayerRead()
        except (OSError, UnicodeDecodeError) as error:
            return _unreadable(str(self.path), f"cannot be read ({error.__class__.__name__})")
        import tomllib  # its regular expressions cost ~5 ms: not before the first frame

        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            return _unreadable(str(self.path), f"is not valid TOML ({error})")

        def where(key: str) -> str:
            line = _toml_line_of(text, key)
            return f"{self.path}: line {line}, " if line else f"{self.path}: "

        return _checked(raw, validate, where)


def _toml_line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith((f"{key} ", f"{key}=", f"[{key}]", f'"{key}"')):
            return number
    return None


class RegistryReader(Protocol):
    """Reads one key's values under HKEY_LOCAL_MACHINE; None when the key does not exist."""

    def values(self, key_path: str) -> dict[str, object] | None: ...


class WinregReader:
    """The real registry, 64-bit view, through the standard library's winreg."""

    def values(self, key_path: str) -> dict[str, object] | None:
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        try:
            key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key_path, 0,
                                 winreg.KEY_READ | winreg.KEY_WOW64_64KEY)
        except FileNotFoundError:
            return None
        found: dict[str, object] = {}
        with key:
            index = 0
            while True:
                try:
                    name, data, _kind = winreg.EnumValue(key, index)
                except OSError:  # no more values
                    return found
                found[name] = data
                index += 1


class RegistryPolicy:
    r"""IT policy in HKLM\Software\Policies\Homevisit, as Group Policy and the MSI write it."""

    def __init__(self, reader: RegistryReader) -> None:
        self.reader = reader
        self.description = f"HKLM\\{REGISTRY_KEY}"

    def read(self, validate: Validator) -> LayerRead:
        try:
            top = self.reader.values(REGISTRY_KEY)
            nested = {name: self.reader.values(f"{REGISTRY_KEY}\\{name}")
                      for name in REGISTRY_SUBKEYS}
        except OSError as error:
            return _unreadable(self.description, f"cannot be read ({error})")
        raw: dict[str, Any] = {name: value for name, value in (top or {}).items()
                               if value != ""}  # a policy set to blank text is not set
        for name, values in nested.items():
            if values:
                raw[name] = dict(values)
        return _checked(raw, validate,
                        lambda key: f"{self.description}: value '{key}', ")


class MacManagedPreferences:
    """Managed preferences an MDM profile installs: the machine's, then the user's own."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.description = " and ".join(str(path) for path in paths)

    def read(self, validate: Validator) -> LayerRead:
        merged = LayerRead()
        for path in self.paths:
            layer = self._read_one(path, validate)
            if layer.unreadable:
                return layer
            merged = LayerRead({**merged.values, **layer.values},
                               {**merged.refused, **layer.refused},
                               merged.problems + layer.problems)
        return merged

    def _read_one(self, path: Path, validate: Validator) -> LayerRead:
        # Only macOS reads these, and not before the first frame (the high-contrast peek).
        import plistlib
        from xml.parsers.expat import ExpatError

        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return LayerRead()
        except OSError as error:
            return _unreadable(str(path), f"cannot be read ({error.__class__.__name__})")
        try:
            raw = plistlib.loads(data)
        except ExpatError as error:
            return _unreadable(str(path), f"is not a valid property list (line {error.lineno})")
        except (plistlib.InvalidFileException, ValueError) as error:
            return _unreadable(str(path), f"is not a valid property list ({error})")
        if not isinstance(raw, dict):
            return _unreadable(str(path), "does not hold a dictionary of keys")
        # What an MDM adds beside the payload's own keys.
        raw = {key: value for key, value in raw.items() if not key.startswith("Payload")}
        text = data.decode("utf-8", errors="replace")

        def where(key: str) -> str:
            line = next((number for number, line in enumerate(text.splitlines(), start=1)
                         if f"<key>{key}</key>" in line), None)
            return f"{path}: line {line}, " if line else f"{path}: "

        return _checked(raw, validate, where)


def mac_managed_paths(user: str | None) -> list[Path]:
    paths = [MAC_MANAGED_PREFERENCES / f"{MAC_DOMAIN}.plist"]
    if user:
        paths.append(MAC_MANAGED_PREFERENCES / user / f"{MAC_DOMAIN}.plist")
    return paths


def system_policy_source(platform: str, linux_file: Path) -> PolicySource:
    if platform == "win32":
        return RegistryPolicy(WinregReader())
    if platform == "darwin":
        import getpass

        return MacManagedPreferences(mac_managed_paths(getpass.getuser()))
    return TomlPolicyFile(linux_file)


def user_settings_file() -> Path:
    override = os.environ.get(USER_SETTINGS_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("homevisit") / "settings.toml"


def this_systems_source() -> PolicySource:
    """IT's layer on this operating system."""
    return system_policy_source(sys.platform, SYSTEM_POLICY_FILE)


def peek_yes_no(key: str, system: PolicySource | None = None,
                user_file: Path | None = None) -> tuple[bool, bool]:
    """(value, set by IT) of one yes/no key, read before the schema (pydantic) is loaded, so
    the first frame can already follow it (high contrast). A value pydantic would refuse
    reads as no here, as `load_policy` on the vault lane then locks it at its default."""
    it_layer = (system or this_systems_source()).read(lambda _values: {})
    if it_layer.unreadable:
        return False, True  # load_policy locks every key at its default
    if key in it_layer.values:
        return _is_yes(it_layer.values[key]), True
    user = TomlPolicyFile(user_file or user_settings_file(), "user settings").read(
        lambda _values: {})
    return _is_yes(user.values.get(key)), False


def _is_yes(value: object) -> bool:
    """What pydantic reads as true (a registry DWORD 1, an MSI's "1", TOML's true)."""
    if isinstance(value, bool | int):
        return value is True or value == 1
    return isinstance(value, str) and value.strip().lower() in {"1", "on", "t", "true", "y",
                                                                  "yes"}
