"""Build central's .deb (and the wheel it installs) from this checkout.

    python packaging/central/build_deb.py --out dist

IT installs central from this one file, without the package index: `apt install
./homevisit-central_VERSION_ARCH.deb`. Layout:

- /opt/homevisit-central/venv: a virtualenv on Debian's own Python 3.11 holding central and
  only what central imports (no Qt, no SQLCipher), byte-compiled, with its scripts pointing
  at /opt/homevisit-central/venv/bin/python;
- /usr/bin/homevisit-central: the administrator's command (a link into the virtualenv);
- /lib/systemd/system/homevisit-central-refresh.{service,timer}: the nightly refresh of the
  managers' kept figures (not enabled by the package: IT enables it once the database is
  set, as for the service);
- /lib/systemd/system/homevisit-central.service: the unit, reading its settings from
- /etc/homevisit-central/env: a conffile (upgrades keep IT's edits), 0640 root:homevisit;
- the maintainer scripts make the `homevisit` system user and central's two signing keys
  (/etc/homevisit-central/receipt.pem and token.pem, 0600, owned by homevisit) and the key
  that seals managers' TOTP secrets (secrets.key, the same) when absent;
- /usr/share/doc/homevisit-central: deployment.md (the guide the unit's Documentation= names),
  the nginx example, copyright, changelog.

The wheel (`homevisit-VERSION-py3-none-any.whl`) is left in --out as well, for those who
install with pip from that file.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from debian_files import normalise, project, refresh_records, version, write_gzip

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PACKAGE = "homevisit-central"
PREFIX = Path("/opt/homevisit-central")
VENV = PREFIX / "venv"
# Debian 12's Python: the virtualenv links to it, so the .deb depends on it.
SYSTEM_PYTHON = Path("/usr/bin/python3.11")
# The laptop's parts that central never imports: left out of its virtualenv.
LAPTOP_ONLY = {"pyside6-essentials", "shiboken6", "sqlcipher3", "httpx", "truststore", "typst"}
DEPENDS = ("python3.11", "libc6 (>= 2.34)", "adduser", "openssl")
DESCRIPTION = """\
Homevisit central: the sync API the social workers' laptops sync to
 Receives the visit records each laptop pushes (signed, hashed, receipted),
 sends laptops the changes they need, and gives IT its command line
 (homevisit-central: teams, users, cases, enrollment codes, devices). Runs as
 the homevisit system user under systemd, behind nginx, on PostgreSQL.
"""
COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: homevisit-central
Comment: /opt/homevisit-central/venv holds central and the Python packages it uses
 (FastAPI, Uvicorn, SQLAlchemy, Alembic, psycopg, cryptography, PyNaCl and their
 dependencies), each under its own licence, listed in its .dist-info folder.

Files: *
Copyright: 2026 Homevisit
License: LicenseRef-proprietary
 All rights reserved.
"""
ENV_FILE = """\
# Central's settings, one HOMEVISIT_CENTRAL_NAME=value a line, read by the systemd unit
# (not a shell script: no `export`, no quotes needed). Every setting is described in
# /usr/share/doc/homevisit-central/deployment.md.gz ("Configuration").
# This file is 0640 root:homevisit; restart after a change:
#   systemctl restart homevisit-central

# PostgreSQL, over its local socket as the homevisit user (see "PostgreSQL"); or
# postgresql://homevisit@db.internal/homevisit for a database on another host.
HOMEVISIT_CENTRAL_DATABASE_URL=postgresql:///homevisit

# The keys that sign receipts and access tokens, made by the package at install (0600,
# owned by homevisit). Copy the same two files to every host serving this database.
HOMEVISIT_CENTRAL_RECEIPT_KEY_FILE=/etc/homevisit-central/receipt.pem
HOMEVISIT_CENTRAL_TOKEN_KEY_FILE=/etc/homevisit-central/token.pem
# The key that seals managers' TOTP secrets in the database (32 bytes, base64, 0600), made
# at install too. Copy it with the two above; losing it means `manager reset-totp` for all.
HOMEVISIT_CENTRAL_MANAGER_SECRETS_KEY_FILE=/etc/homevisit-central/secrets.key

# Larger photos than the laptops' limit (20 MiB) need nginx's client_max_body_size raised too.
#HOMEVISIT_CENTRAL_MAX_BLOB_BYTES=20971520
#HOMEVISIT_CENTRAL_LOG_LEVEL=INFO
"""
POSTINST = """\
#!/bin/sh
# Make central's system user, give it its settings and its two signing keys.
set -e
if [ "$1" = configure ]; then
    if ! getent passwd homevisit >/dev/null; then
        adduser --system --group --home /nonexistent --no-create-home --quiet homevisit
    fi
    chown root:homevisit /etc/homevisit-central /etc/homevisit-central/env
    chmod 0750 /etc/homevisit-central
    chmod 0640 /etc/homevisit-central/env
    for key in receipt token; do
        if [ ! -e /etc/homevisit-central/$key.pem ]; then
            (umask 077 && openssl genpkey -algorithm ed25519 \\
                -out /etc/homevisit-central/$key.pem)
            chown homevisit:homevisit /etc/homevisit-central/$key.pem
        fi
    done
    if [ ! -e /etc/homevisit-central/secrets.key ]; then
        (umask 077 && openssl rand -base64 32 >/etc/homevisit-central/secrets.key)
        chown homevisit:homevisit /etc/homevisit-central/secrets.key
    fi
    if [ -d /run/systemd/system ]; then
        systemctl --system daemon-reload >/dev/null || true
        if systemctl is-active --quiet homevisit-central.service; then
            systemctl restart homevisit-central.service || true
        fi
    fi
fi
exit 0
"""
UNITS = ("homevisit-central.service", "homevisit-central-refresh.service",
         "homevisit-central-refresh.timer")
PRERM = """\
#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
    systemctl stop homevisit-central-refresh.timer >/dev/null 2>&1 || true
    systemctl stop homevisit-central.service >/dev/null 2>&1 || true
fi
exit 0
"""
POSTRM = """\
#!/bin/sh
# The signing keys stay on purge: earlier receipts are checked against the receipt key.
set -e
if [ -d /run/systemd/system ]; then
    systemctl --system daemon-reload >/dev/null || true
fi
exit 0
"""


def requirements() -> list[str]:
    """What central's virtualenv holds: the shared dependencies central imports, and its own."""
    base = [line for line in project()["dependencies"]  # type: ignore[attr-defined]
            if _name(line) not in LAPTOP_ONLY]
    central = project()["optional-dependencies"]["central"]  # type: ignore[index]
    return sorted({*base, *central})


def _name(requirement: str) -> str:
    for stop in "=<>!~[; ":
        requirement = requirement.split(stop)[0]
    return requirement.strip().lower()


def build_wheel(out: Path, epoch: int) -> Path:
    """This checkout as a wheel (built from a copy, so the checkout gains no build files),
    its zip entries dated `epoch`, so the same checkout gives the same bytes."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "source"
        shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
            ".venv", ".git", "build", "dist", "__pycache__", "*.egg-info", ".*_cache"))
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                        "--wheel-dir", str(out), str(source)],
                       check=True, env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)})
    return out / f"homevisit-{version()}-py3-none-any.whl"


def _virtualenv(staging: Path, wheel: Path) -> None:
    venv = staging / VENV.relative_to("/")
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(venv)], check=True)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
           "--quiet", "--no-compile", "--disable-pip-version-check"]
    subprocess.run([*pip, *requirements()], check=True)
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True)
    # The scripts name the interpreter by the folder they were made in: point them at /opt.
    made_in = str(venv)
    for script in (venv / "bin").iterdir():
        if script.is_file() and not script.is_symlink():
            text = script.read_bytes()
            if made_in.encode() in text:
                script.write_bytes(text.replace(made_in.encode(), str(VENV).encode()))
    config = venv / "pyvenv.cfg"
    config.write_text(config.read_text().replace(made_in, str(VENV)))
    for leftover in venv.rglob("direct_url.json"):  # names the build folder; nothing needs it
        leftover.unlink()
    # pip's RECORD still has the scripts as they were, naming the build folder.
    refresh_records(venv / "lib" / f"python{_python_version()}" / "site-packages")
    # Compiled once here, with the installed paths; never rewritten (the system is read-only
    # to the service).
    subprocess.run([str(SYSTEM_PYTHON), "-m", "compileall", "-q", "-j", "0",
                    "--invalidation-mode", "unchecked-hash", "-s", str(staging), "-p", "/",
                    str(venv / "lib")], check=True,
                   env={**os.environ, "PYTHONHASHSEED": "0"})  # sets' order in constants


def _python_version() -> str:
    return subprocess.run([str(SYSTEM_PYTHON), "-c",
                           "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"],
                          capture_output=True, text=True, check=True).stdout.strip()


def stage(staging: Path, wheel: Path, epoch: int, architecture: str) -> None:
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    _virtualenv(staging, wheel)
    (staging / "usr" / "bin").mkdir(parents=True)
    (staging / "usr" / "bin" / PACKAGE).symlink_to(VENV / "bin" / PACKAGE)
    units = staging / "lib" / "systemd" / "system"
    units.mkdir(parents=True)
    for unit in UNITS:
        shutil.copy2(HERE / unit, units / unit)
    etc = staging / "etc" / "homevisit-central"
    etc.mkdir(parents=True)
    (etc / "env").write_text(ENV_FILE, encoding="utf-8")
    doc = staging / "usr" / "share" / "doc" / PACKAGE
    (doc / "examples").mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")
    write_gzip((ROOT / "docs" / "deployment.md").read_bytes(), doc / "deployment.md.gz")
    shutil.copy2(HERE / "homevisit-central.nginx.conf",
                 doc / "examples" / "homevisit-central.nginx.conf")
    date = subprocess.run(["date", "-u", "-R", "-d", f"@{epoch}"], capture_output=True,
                          text=True, check=True).stdout.strip()
    write_gzip((f"{PACKAGE} ({version()}) stable; urgency=medium\n\n"
           "  * Release built from the Homevisit repository.\n\n"
           f" -- Homevisit IT <it@homevisit.invalid>  {date}\n").encode(), doc / "changelog.gz")
    overrides = staging / "usr" / "share" / "lintian" / "overrides"
    overrides.mkdir(parents=True)
    shutil.copy2(HERE / "lintian-overrides", overrides / PACKAGE)

    control = staging / "DEBIAN"
    control.mkdir()
    for name, text in (("postinst", POSTINST), ("prerm", PRERM), ("postrm", POSTRM)):
        (control / name).write_text(text, encoding="utf-8")
    sums = []
    for path in sorted(p for p in staging.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(staging)
        if relative.parts[0] in ("DEBIAN", "etc"):
            continue
        sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {relative}\n")  # noqa: S324 - dpkg's format
    (control / "md5sums").write_text("".join(sums), encoding="utf-8")
    (control / "conffiles").write_text("/etc/homevisit-central/env\n", encoding="utf-8")
    size = sum(-(-p.stat().st_size // 1024) for p in staging.rglob("*")
               if p.is_file() and not p.is_symlink() and "DEBIAN" not in p.parts)
    (control / "control").write_text(
        f"Package: {PACKAGE}\nVersion: {version()}\nArchitecture: {architecture}\n"
        "Maintainer: Homevisit IT <it@homevisit.invalid>\n"
        f"Installed-Size: {size}\nDepends: {', '.join(DEPENDS)}\n"
        "Section: web\nPriority: optional\n"
        f"Description: {DESCRIPTION}", encoding="utf-8")
    normalise(staging, epoch, lambda path: path.parent.name == "bin")


def build(out: Path, epoch: int, staging: Path) -> tuple[Path, Path]:
    architecture = subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                                  text=True, check=True).stdout.strip()
    wheel = build_wheel(out, epoch)
    stage(staging, wheel, epoch, architecture)
    package = out / f"{PACKAGE}_{version()}_{architecture}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(staging),
                    str(package)], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)})
    return package, wheel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--staging", type=Path, default=ROOT / "build" / "deb" / PACKAGE)
    arguments = parser.parse_args()
    if not SYSTEM_PYTHON.exists():
        sys.stderr.write(f"{SYSTEM_PYTHON} is missing: central's .deb is built on Debian 12 "
                         "(apt install python3.11 python3.11-venv)\n")
        return 1
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True,
        check=False).stdout.strip() or "0")  # lintian: a 1970 file is an error
    package, wheel = build(arguments.out, epoch, arguments.staging)
    sys.stdout.write(f"{package}\n{wheel}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
