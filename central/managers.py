"""Manager accounts of the web view: password (Argon2id) and TOTP, teams granted, sessions.

A manager signs in with a username, a password and a six-digit code from an authenticator
app (one form, one answer for every failure, so it tells a guesser nothing). After
`max_failed` failures in a row the account is locked for `lockout`, whatever is typed. A
code is accepted once only. A session is a random cookie, kept here only as its SHA-256,
with its own CSRF token; it ends after `idle` without a request, at sign-out, and is
replaced by a new one at sign-in (a cookie planted before sign-in opens nothing).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from central.core.secret_box import SecretBox, SecretUnreadable, is_sealed
from central.db.manager_models import ManagerAccount, ManagerSession, ManagerTeam
from central.db.models import Team
from central.errors import CentralError
from central.services.audit import audit

ROLES = ("manager", "administrator")
MIN_PASSWORD_LENGTH = 12
TOTP_ISSUER = "Homevisit central"
_TOTP_STEP = 30

_hasher = PasswordHasher()  # Argon2id, RFC 9106's second recommended parameters (64 MiB, t=3)
# Checked against when the username is unknown, so that answer takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class LoginRefused(Exception):
    """Sign-in refused: `message` is what the page says."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


REFUSED = ("The username, password or code is not right. Nothing was changed; try again "
           "(after several failures the account is locked for a while).")


@dataclass(frozen=True)
class NewManager:
    username: str
    totp_secret: str

    @property
    def otpauth_uri(self) -> str:
        return pyotp.TOTP(self.totp_secret).provisioning_uri(name=self.username,
                                                             issuer_name=TOTP_ISSUER)


@dataclass(frozen=True)
class ManagerLine:
    username: str
    display_name: str
    role: str
    teams: str
    disabled: bool
    locked_until: datetime | None


@dataclass(frozen=True)
class SignedIn:
    """The manager of a live session, and what they may see."""

    account_id: int
    username: str
    display_name: str
    all_teams: bool
    teams: tuple[str, ...]
    """Every team the manager may see (all of them when `all_teams`), by name."""
    csrf_token: str

    def may_see(self, team: str) -> bool:
        return team in self.teams


def _teams_named(session: Session, names: list[str]) -> list[Team]:
    found = {t.name: t for t in session.scalars(select(Team).where(Team.name.in_(names)))}
    missing = [n for n in names if n not in found]
    if missing:
        known = ", ".join(session.scalars(select(Team.name).order_by(Team.name))) or "none yet"
        raise CentralError(404, "team_not_found",
                           f"There is no team called {missing[0]!r}: nothing was changed. "
                           f"Known teams: {known}.")
    return [found[n] for n in names]


def parse_teams(text: str) -> list[str] | None:
    """`all` (None: every team, present and future) or a comma-separated list of names."""
    if text.strip().lower() == "all":
        return None
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise ValueError("--teams needs 'all' or team names separated by commas: nothing "
                         "was changed.")
    return names


def _bound_to(username: str) -> str:
    return f"manager-totp:{username}"


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters: "
                         "nothing was changed. A short phrase of several words is easiest.")


def add_manager(session: Session, box: SecretBox, username: str, password: str, *,
                teams: list[str] | None, role: str = "manager",
                display_name: str = "") -> NewManager:
    """A new account with a fresh TOTP secret (shown once, by the CLI), sealed at rest."""
    if role not in ROLES:
        raise ValueError(f"The role must be one of {', '.join(ROLES)}: nothing was changed.")
    _check_password(password)
    if session.scalar(select(ManagerAccount.id).where(ManagerAccount.username == username)):
        raise CentralError(409, "manager_exists", f"A manager called {username!r} already "
                           "exists: nothing was changed.")
    granted = _teams_named(session, teams) if teams is not None else []
    secret = pyotp.random_base32()
    account = ManagerAccount(username=username, display_name=display_name or username,
                             role=role, all_teams=teams is None,
                             password_hash=_hasher.hash(password),
                             totp_secret=box.seal(secret, _bound_to(username)),
                             last_totp_step=0, failed_logins=0, disabled=False)
    session.add(account)
    session.flush()
    session.add_all(ManagerTeam(account_id=account.id, team_id=t.id) for t in granted)
    audit(session, "cli", "manager.added", f"manager:{username}", role=role,
          teams="all" if teams is None else ",".join(teams))
    return NewManager(username, secret)


def list_managers(session: Session) -> list[ManagerLine]:
    accounts = list(session.scalars(select(ManagerAccount).order_by(ManagerAccount.username)))
    granted: dict[int, list[str]] = {}
    for account_id, name in session.execute(
            select(ManagerTeam.account_id, Team.name).join(Team, Team.id == ManagerTeam.team_id)
            .order_by(Team.name)):
        granted.setdefault(account_id, []).append(name)
    return [ManagerLine(a.username, a.display_name, a.role,
                        "all" if a.all_teams else ",".join(granted.get(a.id, [])) or "-",
                        a.disabled, a.locked_until) for a in accounts]


def _account(session: Session, username: str) -> ManagerAccount:
    account = session.scalar(select(ManagerAccount).where(ManagerAccount.username == username))
    if account is None:
        raise CentralError(404, "manager_not_found",
                           f"There is no manager called {username!r}: nothing was changed. "
                           "'homevisit-central manager list' shows them.")
    return account


def disable_manager(session: Session, username: str) -> None:
    """The account can no longer sign in, and its open sessions end now."""
    account = _account(session, username)
    account.disabled = True
    session.execute(delete(ManagerSession).where(ManagerSession.account_id == account.id))
    audit(session, "cli", "manager.disabled", f"manager:{username}")


def reset_totp(session: Session, box: SecretBox, username: str) -> NewManager:
    """A fresh TOTP secret for a lost or exposed authenticator: the old codes stop working
    and the account's open sessions end. Audited as `manager.totp_reset`."""
    account = _account(session, username)
    secret = pyotp.random_base32()
    account.totp_secret = box.seal(secret, _bound_to(username))
    account.last_totp_step = 0
    session.execute(delete(ManagerSession).where(ManagerSession.account_id == account.id))
    audit(session, "cli", "manager.totp_reset", f"manager:{username}")
    return NewManager(username, secret)


def reset_password(session: Session, username: str, password: str) -> None:
    """A new password; open sessions end and a lock after failures is lifted. Audited as
    `manager.password_reset` (never the password)."""
    _check_password(password)
    account = _account(session, username)
    account.password_hash = _hasher.hash(password)
    account.failed_logins = 0
    account.locked_until = None
    session.execute(delete(ManagerSession).where(ManagerSession.account_id == account.id))
    audit(session, "cli", "manager.password_reset", f"manager:{username}")


def seal_plain_secrets(session: Session, box: SecretBox) -> int:
    """Seal every TOTP secret still kept in the clear (accounts made before secrets were
    sealed): run by `homevisit-central migrate` and at start. Returns how many."""
    sealed = 0
    for account in session.scalars(select(ManagerAccount)):
        if not is_sealed(account.totp_secret):
            account.totp_secret = box.seal(account.totp_secret, _bound_to(account.username))
            sealed += 1
    if sealed:
        audit(session, "cli", "manager.secrets_sealed", "manager_accounts", accounts=sealed)
    return sealed


def reseal_under_file_key(session: Session, box: SecretBox, earlier: SecretBox | None) -> int:
    """Seal again under `box` (the key file's) every secret that does not open with it but
    does with `earlier` (the database's key, used before IT named a key file), so adding
    the key file locks no manager out. A secret that opens with neither is left as it is
    (refused at sign-in). Audited as `manager.secrets_resealed`; returns how many."""
    if earlier is None:
        return 0
    moved = []
    for account in session.scalars(select(ManagerAccount).order_by(ManagerAccount.username)):
        bound = _bound_to(account.username)
        if not is_sealed(account.totp_secret):
            continue
        try:
            box.open(account.totp_secret, bound)
            continue
        except SecretUnreadable:
            pass
        try:
            secret = earlier.open(account.totp_secret, bound)
        except SecretUnreadable:
            continue
        account.totp_secret = box.seal(secret, bound)
        moved.append(account.username)
    if moved:
        audit(session, "cli", "manager.secrets_resealed", "manager_accounts",
              accounts=len(moved), managers=moved)
    return len(moved)


def unlock_manager(session: Session, username: str) -> None:
    account = _account(session, username)
    account.failed_logins = 0
    account.locked_until = None
    audit(session, "cli", "manager.unlocked", f"manager:{username}")


# --- signing in -------------------------------------------------------------------------


def _totp_step(secret: str, code: str, now: datetime, after: int) -> int | None:
    """The time step (one either side of now) whose code this is, if later than `after`."""
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // _TOTP_STEP
    for step in (current - 1, current, current + 1):
        if step > after and hmac.compare_digest(totp.at(step * _TOTP_STEP), code):
            return step
    return None


def _totp_secret(box: SecretBox, account: ManagerAccount) -> str | None:
    """The account's TOTP secret, or None when it does not open (another key, altered):
    then no code is accepted until `manager reset-totp`."""
    try:
        return box.open(account.totp_secret, _bound_to(account.username))
    except SecretUnreadable:
        return None


# complexity: each way a login is refused (unknown, locked, disabled, wrong) audited
def authenticate(session: Session, box: SecretBox, username: str, password: str, code: str, *,
                 now: datetime, max_failed: int, lockout: timedelta) -> ManagerAccount:
    """The account, or `LoginRefused`. Every attempt is audited; failures count to a lock."""
    account = session.scalar(select(ManagerAccount).where(ManagerAccount.username == username))
    if account is None:
        _verify(_DUMMY_HASH, password)
        audit(session, "web", "manage.login_refused", "manager:?", reason="unknown_user")
        raise LoginRefused(REFUSED)
    if account.locked_until is not None and account.locked_until > now:
        audit(session, "web", "manage.login_refused", f"manager:{username}", reason="locked")
        raise LoginRefused("This account is locked after repeated failed sign-ins. Try again "
                           "later, or ask an administrator to unlock it "
                           "(homevisit-central manager unlock).")
    password_ok = _verify(account.password_hash, password)
    secret = _totp_secret(box, account) if password_ok else None
    step = (_totp_step(secret, code.strip(), now, account.last_totp_step)
            if secret is not None else None)
    if account.disabled or step is None:
        account.failed_logins += 1
        reason = ("disabled" if account.disabled else "password" if not password_ok
                  else "secret_unreadable" if secret is None else "code")
        if account.failed_logins >= max_failed:
            account.locked_until = now + lockout
            account.failed_logins = 0
            reason += ",locked"
        audit(session, "web", "manage.login_refused", f"manager:{username}", reason=reason)
        raise LoginRefused(REFUSED)
    account.last_totp_step = step
    account.failed_logins = 0
    account.locked_until = None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    audit(session, "web", "manage.signed_in", f"manager:{username}")
    return account


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- sessions ---------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, account_id: int | None, now: datetime) -> tuple[str, str]:
    """A new session (anonymous when `account_id` is None): its cookie and its CSRF token."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    session.add(ManagerSession(token_hash=_digest(token), account_id=account_id,
                               csrf_token=csrf, created_at=now, last_seen_at=now))
    return token, csrf


def end_session(session: Session, token: str) -> None:
    session.execute(delete(ManagerSession).where(ManagerSession.token_hash == _digest(token)))


def forget_idle(session: Session, now: datetime, idle: timedelta) -> None:
    """Sessions idle for longer than `idle` are gone (also those of anonymous visitors)."""
    session.execute(delete(ManagerSession).where(ManagerSession.last_seen_at < now - idle))


@dataclass(frozen=True)
class Anonymous:
    csrf_token: str


def session_for(session: Session, token: str, now: datetime,
                idle: timedelta) -> SignedIn | Anonymous | None:
    """The live session of a cookie (its idle clock restarted), or None when there is none,
    it has been idle too long, or its account was disabled."""
    row = session.get(ManagerSession, _digest(token))
    if row is None:
        return None
    if row.last_seen_at < now - idle:
        session.delete(row)
        return None
    row.last_seen_at = now
    if row.account_id is None:
        return Anonymous(row.csrf_token)
    account = session.get(ManagerAccount, row.account_id)
    if account is None or account.disabled:
        session.delete(row)
        return None
    if account.all_teams:
        teams = tuple(session.scalars(select(Team.name).order_by(Team.name)))
    else:
        teams = tuple(session.scalars(
            select(Team.name).join(ManagerTeam, ManagerTeam.team_id == Team.id)
            .where(ManagerTeam.account_id == account.id).order_by(Team.name)))
    return SignedIn(account.id, account.username, account.display_name, account.all_teams,
                    teams, row.csrf_token)


def csrf_matches(expected: str, given: str) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), given.encode())
