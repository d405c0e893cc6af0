"""`homevisit policy show` and `homevisit policy set`: the effective policy, and the user's
own choices for the keys IT has not locked."""

from __future__ import annotations

import argparse
import json
import tomllib
from pathlib import Path
from typing import Any, Protocol

import tomli_w
from pydantic import BaseModel

from desktop_app.failures import UserFacingError
from desktop_app.policy import (
    POLICY_KEYS,
    EffectivePolicy,
    ManagedByIT,
    user_settings_file,
    validate_values,
)
from storage.files import atomic_write

EXIT_OK = 0
EXIT_REFUSED = 2


class _Reader(Protocol):
    def line(self, prompt: str) -> str: ...


def _say(text: str) -> None:
    print(text)  # noqa: T201 - what this command prints is its purpose


def _display(value: Any) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def rows(effective: EffectivePolicy) -> list[tuple[str, Any, str, bool]]:
    """(key, value, source, managed) for every key, nested keys spelled out with a dot."""
    found: list[tuple[str, Any, str, bool]] = []
    for key in POLICY_KEYS:
        value = getattr(effective.policy, key)
        source, managed = effective.source_of(key), effective.is_locked(key)
        if isinstance(value, BaseModel):
            for inner, inner_value in value.model_dump().items():
                found.append((f"{key}.{inner}", inner_value, source, managed))
        else:
            found.append((key, value, source, managed))
    return found


def show(args: argparse.Namespace, effective: EffectivePolicy, reader: _Reader) -> int:
    table = rows(effective)
    if args.json:
        _say(json.dumps(
            {key: {"value": value if not isinstance(value, Path) else str(value),
                   "source": source, "managed": managed}
             for key, value, source, managed in table},
            indent=2, sort_keys=True))
        return EXIT_OK
    width = max(len(key) for key, *_ in table)
    for key, value, source, managed in table:
        state = "managed by IT" if managed else "may be changed"
        _say(f"{key:<{width}}  {_display(value)}  [{state}; {source}]")
    for problem in effective.problems:
        _say(f"problem: {problem}")
    return EXIT_OK


def set_value(args: argparse.Namespace, effective: EffectivePolicy, reader: _Reader) -> int:
    """Write one key to the user's own settings file, unless IT manages it."""
    key: str = args.key
    value = _parse(args.value)
    path = save_user_setting(effective, key, value)
    _say(f"{key} = {_display(value)} saved in {path}.")
    return EXIT_OK


def save_user_setting(effective: EffectivePolicy, key: str, value: Any) -> Path:
    """Keep the worker's own choice (`policy set`, the window's View menu); refused, with a
    sentence, for a key IT manages or a value that does not fit. Returns the file."""
    try:
        effective.check_user_may_set(key)
    except KeyError:
        raise UserFacingError(f"'{key}' is not a setting. `homevisit policy show` lists them."
                              ) from None
    except ManagedByIT as managed:
        raise UserFacingError(managed.user_message) from None
    if isinstance(value, dict):
        raise UserFacingError(f"'{key}' is a group of settings; only IT can set it.")
    path = user_settings_file()
    current = _read_user_settings(path)
    current[key] = value
    refused = validate_values(current)
    if key in refused:
        raise UserFacingError(f"{refused[key]}. Nothing was changed.")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, _to_toml(current).encode("utf-8"))
    return path


def _parse(text: str) -> Any:
    """A TOML value (10, true, "text"), or else the words as they are."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def _read_user_settings(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UserFacingError(
            f"Your settings file {path} cannot be read ({error.__class__.__name__}); fix or "
            "remove it first. Nothing was changed."
        ) from error


def _to_toml(values: dict[str, Any]) -> str:
    """The worker's settings as TOML that tomllib reads back as written (tomli-w escapes
    what a hand-made writer got wrong, such as control characters)."""
    header = "# Your own Homevisit settings. Keys your IT department sets are ignored here.\n"
    return header + tomli_w.dumps(values)
