"""CycloneDX SBOM of a frozen Homevisit bundle: what is actually inside the folder.

    python packaging/sbom.py dist/homevisit --out dist/homevisit/sbom.cdx.json

- Python distributions: from the `*.dist-info` folders the spec copies into the bundle.
- Libraries linked statically into a Python extension, found from the version strings in
  the binary itself: the OpenSSL, SQLCipher and SQLite inside sqlcipher3, the OpenSSL
  inside cryptography's Rust bindings. Listed as components nested in their package.
- The fonts shipped for the PDFs (DejaVu Sans, under ui/widgets/pdf_fonts), with their
  licence and SHA-256; the Typst compiler's own fonts are inside the `typst` distribution.
- Every other shared library in the bundle, with its SHA-256 and, where the build machine
  is Debian, the package and version it was copied from.

Reproducible: the serial number is derived from the content and the timestamp is
SOURCE_DATE_EPOCH, so the same bundle gives the same file.
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import os
import re
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from cyclonedx.model import HashAlgorithm, HashType, Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.license import DisjunctiveLicense
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packageurl import PackageURL

SERIAL_NAMESPACE = uuid.UUID("2f0f7d0e-5a3c-4f55-8a0b-0d8e3c2b9a17")
# Version strings the libraries compile into themselves.
STATIC_LIBRARIES = (
    ("openssl", rb"OpenSSL (\d+\.\d+\.\d+[a-z]?)\s+\d{1,2} \w{3} \d{4}", "pkg:generic/openssl"),
    ("sqlcipher", rb"community\x00(4\.\d+\.\d+)\x00", "pkg:github/sqlcipher/sqlcipher"),
    ("sqlite", rb"\x01(3\.\d+\.\d+)\x00", "pkg:generic/sqlite"),
)
LIBRARY_FILE = re.compile(r"\.(so(\.\d+)*|dylib|dll|pyd)$")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def static_libraries(binary: Path) -> list[tuple[str, str, str]]:
    """(name, version, purl base) of each known library compiled into `binary`."""
    data = binary.read_bytes()
    found = []
    for name, pattern, purl in STATIC_LIBRARIES:
        match = re.search(pattern, data)
        if match:
            found.append((name, match.group(1).decode("ascii"), purl))
    return found


def _nested(binary: Path, internal: Path) -> list[Component]:
    nested = []
    for name, version, purl in static_libraries(binary):
        nested.append(Component(
            name=name, version=version, type=ComponentType.LIBRARY,
            bom_ref=f"{name}@{version} in {binary.relative_to(internal).as_posix()}",
            purl=PackageURL.from_string(f"{purl}@{version}"),
            properties=[Property(name="homevisit:linked", value="statically"),
                        Property(name="homevisit:file",
                                 value=binary.relative_to(internal).as_posix())]))
    return nested


def python_distributions(internal: Path) -> list[Component]:
    components = []
    for info in sorted(internal.glob("*.dist-info")):
        metadata = email.parser.Parser().parsestr(
            (info / "METADATA").read_text(encoding="utf-8", errors="replace"), headersonly=True)
        name, version = metadata["Name"], metadata["Version"]
        licence = metadata.get("License-Expression") or metadata.get("License") or ""
        top_level = (info / "top_level.txt").read_text().split() if (
            info / "top_level.txt").exists() else [name.lower().replace("-", "_")]
        inside: list[Component] = []
        for package in top_level:
            folder = internal / package
            if folder.is_dir():
                for binary in sorted(p for p in folder.rglob("*") if LIBRARY_FILE.search(p.name)):
                    inside += _nested(binary, internal)
        components.append(Component(
            name=name, version=version, type=ComponentType.LIBRARY,
            bom_ref=f"pypi:{name}@{version}",
            purl=PackageURL(type="pypi", name=name.lower(), version=version),
            licenses=[DisjunctiveLicense(name=licence[:200])] if licence and len(
                licence) < 200 else None,
            components=inside or None))
    return components


def debian_packages(filenames: list[str]) -> dict[str, tuple[str, str]]:
    """The Debian package and version each library file came from, where dpkg knows it."""
    if not filenames:
        return {}
    try:
        owners = subprocess.run(["dpkg", "-S", *(f"*/{name}" for name in filenames)],
                                capture_output=True, text=True, check=False).stdout
        versions = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${Version}\n"],
                                  capture_output=True, text=True, check=False).stdout
    except FileNotFoundError:
        return {}
    version_of = dict(line.split("\t", 1) for line in versions.splitlines() if "\t" in line)
    found: dict[str, tuple[str, str]] = {}
    for line in owners.splitlines():
        packages, _, path = line.partition(": ")
        package = packages.split(",")[0].strip().split(":")[0]
        name = Path(path.strip()).name
        if name in filenames and package in version_of and name not in found:
            found[name] = (package, version_of[package])
    return found


def shared_libraries(internal: Path, claimed: set[Path]) -> list[Component]:
    components = []
    paths = [path for path in sorted(internal.rglob("*"))
             if path.is_file() and not path.is_symlink() and path not in claimed
             and LIBRARY_FILE.search(path.name)]
    # Only plain shared libraries at the top came from the system; a module named like a
    # Debian file (_cffi_backend) came from its wheel.
    origin = debian_packages([path.name for path in paths if path.parent == internal
                              and path.name.startswith("lib")])
    for path in paths:
        relative = path.relative_to(internal).as_posix()
        debian = origin.get(path.name)
        components.append(Component(
            name=debian[0] if debian else path.name,
            version=debian[1] if debian else None,
            type=ComponentType.LIBRARY, bom_ref=f"file:{relative}",
            purl=PackageURL(type="deb", namespace="debian", name=debian[0],
                            version=debian[1]) if debian else None,
            hashes=[HashType(alg=HashAlgorithm.SHA_256, content=_sha256(path))],
            properties=[Property(name="homevisit:file", value=relative)],
            components=_nested(path, internal) or None))
    return components


def fonts(internal: Path) -> list[Component]:
    """The font files the PDFs are set in, as shipped (ui/widgets/pdf_fonts/LICENSE)."""
    return [Component(
        name=path.stem, version="2.37", type=ComponentType.FILE,
        bom_ref=f"file:{path.relative_to(internal).as_posix()}",
        licenses=[DisjunctiveLicense(id="Bitstream-Vera")],
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content=_sha256(path))],
        properties=[Property(name="homevisit:file", value=path.relative_to(internal).as_posix()),
                    Property(name="homevisit:note", value="DejaVu fonts, dejavu-fonts.github.io")])
        for path in sorted(internal.glob("ui/widgets/pdf_fonts/*.ttf"))]


def make_sbom(bundle: Path, epoch: int) -> str:
    internal = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    distributions = python_distributions(internal)
    claimed = {internal / prop.value for dist in distributions for inner in dist.components
               for prop in inner.properties if prop.name == "homevisit:file"}
    # Each distribution owns its top-level packages and modules (charset_normalizer's
    # compiled helpers included: its metadata is not copied, so they are listed as files).
    for info in internal.glob("*.dist-info"):
        top = info / "top_level.txt"
        for name in top.read_text().split() if top.exists() else []:
            claimed |= set((internal / name).rglob("*")) | set(internal.glob(f"{name}.*"))
    claimed |= {p for p in internal.glob("PySide6/**/*") if p.is_file()}
    claimed |= {p for p in internal.glob("shiboken6/**/*") if p.is_file()}
    interpreter = {p for p in internal.glob("python3*/**/*") if p.is_file()}
    interpreter |= set(internal.glob("libpython3*"))
    claimed |= interpreter
    for dist in distributions:
        if dist.name.lower().replace("_", "-") == "pyside6-essentials":
            # Qt for Python wheels carry the Qt release of the same number.
            dist.components.add(Component(
                name="qt", version=dist.version, type=ComponentType.FRAMEWORK,
                bom_ref=f"qt@{dist.version}", purl=PackageURL(type="generic", name="qt",
                                                             version=dist.version),
                properties=[Property(name="homevisit:file", value="PySide6/Qt/lib")]))
    bom = Bom()
    version = next((d.version for d in distributions if d.name == "homevisit"), "0")
    bom.metadata.component = Component(name="homevisit", version=version,
                                       type=ComponentType.APPLICATION, bom_ref="homevisit")
    bom.metadata.timestamp = datetime.fromtimestamp(epoch, UTC)
    python = Component(
        name="python", version=".".join(map(str, sys.version_info[:3])),
        type=ComponentType.LIBRARY, bom_ref="python",
        purl=PackageURL(type="generic", name="cpython",
                        version=".".join(map(str, sys.version_info[:3]))),
        properties=[Property(name="homevisit:note", value="the interpreter that froze it"),
                    Property(name="homevisit:files",
                             value=f"{len(interpreter)} files: libpython and lib-dynload")])
    everything = [python, *distributions, *fonts(internal), *shared_libraries(internal, claimed)]
    for component in everything:
        bom.components.add(component)
    bom.register_dependency(bom.metadata.component, everything)
    bom.serial_number = uuid.UUID(int=0)  # then one derived from everything else
    draft = JsonV1Dot6(bom).output_as_string(indent=2)
    bom.serial_number = uuid.uuid5(SERIAL_NAMESPACE, draft)
    document = JsonV1Dot6(bom).output_as_string(indent=2)
    problem = JsonStrictValidator(SchemaVersion.V1_6).validate_str(document)
    if problem is not None:
        raise ValueError(f"the SBOM does not fit CycloneDX 1.6: {problem}")
    return document + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="CycloneDX SBOM of a frozen bundle")
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args()
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    arguments.out.write_text(make_sbom(arguments.bundle, epoch), encoding="utf-8")
    sys.stdout.write(f"{arguments.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
