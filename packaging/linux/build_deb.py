"""Build the Homevisit .deb from the PyInstaller onedir bundle, reproducibly.

    python packaging/linux/build_deb.py --bundle dist/homevisit --out dist

Layout: the bundle in /opt/homevisit, /usr/bin/homevisit (symlink), the desktop
entry, icon, AppStream metainfo, man page, the IT policy as a conffile in
/etc/homevisit/policy.toml. Every file's time is SOURCE_DATE_EPOCH and owner root, so
two builds of one commit are byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from debian_files import normalise, version, write_gzip

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
APP_ID = "org.homevisit.Homevisit"
# Every shared library the bundle leaves to the system (the spec's BUNDLED_LIBRARIES says
# what it keeps): what its Python, Qt and extension modules link to directly. The t64
# alternatives are the same libraries under Ubuntu 24.04's names.
DEPENDS = (
    "libc6 (>= 2.34)", "libstdc++6", "libgcc-s1", "zlib1g", "libbz2-1.0", "liblzma5",
    "libzstd1", "libffi8", "libuuid1", "libexpat1", "libsqlite3-0", "libssl3 | libssl3t64",
    "libglib2.0-0 | libglib2.0-0t64", "libfontconfig1", "libfreetype6", "libpng16-16",
    "libdbus-1-3", "libegl1", "libgl1", "libwayland-client0", "libwayland-cursor0",
    "libx11-6", "libx11-xcb1", "libxau6", "libxdmcp6", "libxcb1", "libxcb-cursor0",
    "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0", "libxcb-render0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-shm0", "libxcb-sync1", "libxcb-util1",
    "libxcb-xfixes0", "libxcb-xkb1", "libxkbcommon0", "libxkbcommon-x11-0",
)
# Fonts for the scripts of England's community languages that DejaVu Sans (shipped) lacks,
# so a child's words print as typed: fonts-noto-core (12 MB download, 43 MB installed:
# Bengali, Gujarati, Gurmukhi, Tamil, Ethiopic for Tigrinya, Arabic script with Urdu's
# letters, Devanagari…) and fonts-noto-cjk (57 MB, 91 MB installed: Chinese, bigger than
# Homevisit itself). Recommends, not Depends: apt installs them by default, IT can leave
# them out of a slim image, and a PDF is still made without them, the worker told which
# characters could not be drawn (docs/it-deployment.md, "Fonts").
RECOMMENDS = ("fonts-noto-core", "fonts-noto-cjk")
DESCRIPTION = """\
Record children's social-work home visits offline, encrypted
 Social workers record each home visit on their laptop, with or without a
 signal. Records are kept in an encrypted SQLCipher vault and reach the
 council's central system when the laptop is back online. IT policy in
 /etc/homevisit/policy.toml locks settings for every worker on the laptop.
"""
COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: homevisit
Comment: The bundle under /opt/homevisit includes Python, Qt for Python (LGPL-3.0),
 SQLCipher (BSD-3-Clause) with OpenSSL (Apache-2.0), Typst (Apache-2.0), DejaVu
 Sans (Bitstream-Vera) and other components; the complete list with versions is
 /opt/homevisit/sbom.cdx.json when present.

Files: *
Copyright: 2026 Homevisit
License: LicenseRef-proprietary
 All rights reserved.
"""


def _is_the_program(path: Path) -> bool:
    return path.name == "homevisit" and path.parent.name == "homevisit"


def _is_elf(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(4) == b"\x7fELF"


def _installed_size_kib(staging: Path) -> int:
    total = 0
    for path in staging.rglob("*"):
        if "DEBIAN" in path.relative_to(staging).parts:
            continue
        total += 1 if path.is_symlink() or path.is_dir() else -(-path.stat().st_size // 1024)
    return total


def stage(bundle: Path, staging: Path, epoch: int, architecture: str) -> None:
    if staging.exists():
        shutil.rmtree(staging)
    opt = staging / "opt" / "homevisit"
    shutil.copytree(bundle, opt, symlinks=True)
    (staging / "usr" / "bin").mkdir(parents=True)
    (staging / "usr" / "bin" / "homevisit").symlink_to("/opt/homevisit/homevisit")
    share = staging / "usr" / "share"
    for folder, name in (("applications", f"{APP_ID}.desktop"),
                         ("icons/hicolor/scalable/apps", f"{APP_ID}.svg"),
                         ("metainfo", f"{APP_ID}.metainfo.xml")):
        (share / folder).mkdir(parents=True)
        shutil.copy2(HERE / name, share / folder / name)
    (share / "man" / "man1").mkdir(parents=True)
    write_gzip((HERE / "homevisit.1").read_bytes(), share / "man" / "man1" / "homevisit.1.gz")
    doc = share / "doc" / "homevisit"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")
    write_gzip((ROOT / "docs" / "it-deployment.md").read_bytes(), doc / "it-deployment.md.gz")
    date = subprocess.run(["date", "-u", "-R", "-d", f"@{epoch}"], capture_output=True,
                          text=True, check=True).stdout.strip()
    changelog = (f"homevisit ({version()}) stable; urgency=medium\n\n"
                 "  * Release built from the Homevisit repository.\n\n"
                 f" -- Homevisit IT <it@homevisit.invalid>  {date}\n")
    write_gzip(changelog.encode(), doc / "changelog.gz")
    overrides = share / "lintian" / "overrides"
    overrides.mkdir(parents=True)
    shutil.copy2(HERE / "lintian-overrides", overrides / "homevisit")
    (staging / "etc" / "homevisit").mkdir(parents=True)
    shutil.copy2(HERE / "policy.toml", staging / "etc" / "homevisit" / "policy.toml")

    control = staging / "DEBIAN"
    control.mkdir()
    sums = []
    for path in sorted(p for p in staging.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(staging)
        if relative.parts[0] in ("DEBIAN", "etc"):
            continue
        sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {relative}\n")  # noqa: S324 - dpkg's format
    (control / "md5sums").write_text("".join(sums), encoding="utf-8")
    (control / "conffiles").write_text("/etc/homevisit/policy.toml\n", encoding="utf-8")
    (control / "control").write_text(
        f"Package: homevisit\nVersion: {version()}\nArchitecture: {architecture}\n"
        "Maintainer: Homevisit IT <it@homevisit.invalid>\n"
        f"Installed-Size: {_installed_size_kib(staging)}\n"
        f"Depends: {', '.join(DEPENDS)}\nRecommends: {', '.join(RECOMMENDS)}\n"
        "Section: misc\nPriority: optional\n"
        f"Description: {DESCRIPTION}", encoding="utf-8")
    normalise(staging, epoch, _is_the_program)


def build(bundle: Path, out: Path, epoch: int, staging: Path) -> Path:
    architecture = subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                                  text=True, check=True).stdout.strip()
    stage(bundle, staging, epoch, architecture)
    out.mkdir(parents=True, exist_ok=True)
    package = out / f"homevisit_{version()}_{architecture}.deb"
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(staging),
                    str(package)], check=True, env=environment, stdout=subprocess.DEVNULL)
    return package


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "homevisit")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--staging", type=Path, default=ROOT / "build" / "deb" / "homevisit")
    parser.add_argument("--print-depends", action="store_true",
                        help="print the Debian packages the .deb depends on, and stop")
    parser.add_argument("--print-recommends", action="store_true",
                        help="print the Debian packages the .deb recommends, and stop")
    arguments = parser.parse_args()
    if arguments.print_depends:
        sys.stdout.write(" ".join(name.split()[0] for name in DEPENDS) + "\n")
        return 0
    if arguments.print_recommends:
        sys.stdout.write(" ".join(RECOMMENDS) + "\n")
        return 0
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    if not (arguments.bundle / "homevisit").exists():
        sys.stderr.write(f"no frozen program in {arguments.bundle}; run `make frozen` first\n")
        return 1
    package = build(arguments.bundle, arguments.out, epoch, arguments.staging)
    sys.stdout.write(f"{package}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
