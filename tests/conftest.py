"""Session-wide test set-up: Qt runs offscreen, and nothing waits on a real screen.

Within one test, a vault's key is derived from a passphrase once: Argon2id at the shipped
parameters (the vault accepts nothing cheaper) is a pure function, so a second unlock of
the same vault with the same passphrase reuses the key the first one derived, as if the
test had kept the vault open. What was derived is forgotten before each test, so every
vault's first unlock, every wrong passphrase and every new slot still runs the real
Argon2id; a test module that sets DERIVE_EVERY_TIME = True (the KDF's own tests) derives
every time. Processes a test starts derive for themselves. The one exception is a template
vault made once and copied for each test that wants one (made inside `kept_for_the_session`:
tests/vaults.py's empty vault, tests/ui/conftest.py's household, the chunked-refresh tests'
team lead): its key is remembered for the session, as each copy has its salt, so a copy
opens as if the template's maker had kept it open.

Central's manager passwords are kept the same way: Argon2id at RFC 9106's parameters (about
0.2 s of CPU a call). Within one test a password is hashed once (a second account given the
same password gets the same salted hash) and a (hash, password) pair is checked once (a pure
function); before each test both are forgotten, so each test's first hash and first check of
every password, right or wrong, run the real Argon2id.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from argon2.exceptions import VerifyMismatchError

from central import managers
from storage import keyslots
from storage.keyslots import KdfParams

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class _DerivedOnceATest:
    def __init__(self) -> None:
        self.derive = keyslots.derive_kek
        self.remembering = True
        self._derived: dict[tuple[str, bytes, KdfParams], bytes] = {}
        self._kept: dict[tuple[str, bytes, KdfParams], bytes] = {}
        self._keeping = False
        self._lock = threading.Lock()

    def forget(self, *, remember: bool) -> None:
        with self._lock:
            self._derived.clear()
            self.remembering = remember

    @contextmanager
    def kept_for_the_session(self) -> Iterator[None]:
        """Keys derived inside (making a template vault) are remembered all session."""
        self._keeping = True
        try:
            yield
        finally:
            self._keeping = False

    def __call__(self, passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
        inputs = (passphrase, bytes(salt), kdf)
        with self._lock:
            known = self._derived.get(inputs) if self.remembering else None
            known = self._kept.get(inputs, known) if self.remembering else None
        if known is None:
            known = self.derive(passphrase, salt, kdf)
            with self._lock:
                if self.remembering:
                    self._derived[inputs] = known
                if self._keeping:
                    self._kept[inputs] = known
        return known


_derived_once = _DerivedOnceATest()
keyslots.derive_kek = _derived_once
kept_for_the_session = _derived_once.kept_for_the_session


class _HashedOnceATest:
    """central.managers' PasswordHasher, each password hashed and each check made once a test."""

    def __init__(self) -> None:
        self.hasher = managers._hasher
        self._hashed: dict[str, str] = {}
        self._checked: dict[tuple[str, str], bool] = {}
        self._lock = threading.Lock()

    def forget(self) -> None:
        with self._lock:
            self._hashed.clear()
            self._checked.clear()

    def hash(self, password: str) -> str:
        with self._lock:
            known = self._hashed.get(password)
        if known is None:
            known = self.hasher.hash(password)
            with self._lock:
                self._hashed[password] = known
        return known

    def verify(self, password_hash: str, password: str) -> bool:
        """True, or the hasher's own exceptions (a mismatch, a malformed hash) as it raises
        them; only a mismatch is remembered."""
        with self._lock:
            known = self._checked.get((password_hash, password))
        if known is None:
            try:
                known = self.hasher.verify(password_hash, password)
            except VerifyMismatchError:
                known = False
            with self._lock:
                self._checked[(password_hash, password)] = known
        if not known:
            raise VerifyMismatchError("The password does not match the supplied hash")
        return known

    def check_needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)


_hashed_once = _HashedOnceATest()
managers._hasher = _hashed_once  # type: ignore[assignment]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the test's fixtures: nothing derived or hashed by an earlier test is reused."""
    module = getattr(item, "module", None)
    _derived_once.forget(remember=not getattr(module, "DERIVE_EVERY_TIME", False))
    _hashed_once.forget()


# The files that take longest (docs/benchmarks.md, "Test suite"), handed out first: under
# `--dist loadfile` a file runs whole on one worker, and a long one handed out last keeps
# the other worker idle at the end. Every other file follows in its usual order.
SLOWEST_FIRST = (  # by their summed durations, one file at a time (docs/benchmarks.md)
    "tests/desktop_app/test_demo.py",
    "tests/sync/test_faults.py",
    "tests/storage/test_vault_lifecycle.py",
    "tests/central/test_openapi_fuzz.py",
    "tests/desktop_app/test_cli.py",
    "tests/central/test_concurrency.py",
    "tests/central/test_manage_web.py",
    "tests/sync/test_end_to_end.py",
    "tests/central/test_devices.py",
    "tests/review/test_chunked_refresh.py",
    "tests/reliability/test_lost_commits.py",
    "tests/central/test_oversight.py",
    "tests/central/test_authorization.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: n for n, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


# After qutebrowser: a test fails if it logs a WARNING (or worse) it did not expect, which
# includes a lane failure nobody handled. A test that expects one says so:
# @pytest.mark.expect_log("pattern", ...) lets records whose message matches a pattern pass.
# Sync and central tests drive central's orders (erase, quarantine, readmit) and outages on
# purpose, so the product's deliberate warnings for those are expected there and nowhere
# else; anything else they log, a lane failure included, still fails them.
DELIBERATE_IN = ("tests/sync/", "tests/central/")
DELIBERATE = (
    r"^vault (key slots destroyed|erased) on central's instruction",
    r"^an erase order's file was found", r"^finishing an erase", r"erase",
    r"^sync: (op .* quarantined|\d+ pulled records did not match)",
    r"without central's signature", r"^central readmitted this laptop",
    r"^request\.failed$", r"^health\.database_unreachable$",
    r"^review index not brought up to date", r"^sync thread still running at quit",
    r"^sync: reported lost; \d+ records pushed before the erase",
    r"^sync: the push before the erase stopped short", r"wipe receipt",
)


# A wrong passphrase is logged as a warning by design, and many tests type one on purpose.
# So are the vault's refusals, recoveries and key-rotation repairs (storage.vault), a refused
# record at central (central.ingest's "push.stored" at warning), a lost laptop's erase, and
# the test server's own shutdown and fuzzed bad requests (uvicorn): each is what its test
# provokes, in tests across the suite.
EVERYWHERE = (
    r"^vault unlock failed: wrong passphrase", r"^vault unlocked after \d+ failed",
    r"^vault refused: ", r"^vault failed cipher_integrity_check", r"opened with the recovery key",
    r"^vault recovery failed", r"interrupted key rotation", r"rekey failed; the previous key",
    r"^passphrase slot disabled after", r"loss of saved changes accepted", r"^push\.stored$",
    r"^erasing the vault central reported lost", r"^Invalid HTTP request received",
)
UVICORN_SHUTDOWN = "asyncio.exceptions.CancelledError"
"""The test server's lifespan task cancelled as its thread stops: uvicorn logs it as an error
with the traceback in the message."""


def _traceback(record: logging.LogRecord) -> str:
    if record.exc_info and record.exc_info[0] is not None:
        return f"{record.exc_info[0].__module__}.{record.exc_info[0].__name__}"
    return record.getMessage()


@pytest.fixture(autouse=True)
def _unexpected_warnings_fail(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    yield
    allowed = [re.compile(pattern) for mark in request.node.iter_markers("expect_log")
               for pattern in mark.args]
    allowed += [re.compile(pattern) for pattern in EVERYWHERE]
    if request.node.nodeid.startswith(DELIBERATE_IN):
        allowed += [re.compile(pattern) for pattern in DELIBERATE]
    unexpected = [
        f"{record.levelname} {record.name}: {record.getMessage()}"
        for when in ("setup", "call")
        for record in caplog.get_records(when)
        if record.levelno >= logging.WARNING
        and not any(pattern.search(record.getMessage()) for pattern in allowed)
        and not (record.name == "uvicorn.error" and UVICORN_SHUTDOWN in _traceback(record))
    ]
    if unexpected:
        pytest.fail("logged without being expected (mark the test expect_log):\n"
                    + "\n".join(unexpected), pytrace=False)
