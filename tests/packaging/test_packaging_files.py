"""The packaging files, checked cheaply in every `make test` by the tools that consume them:
wixl compiles the MSI source, desktop-file-validate and appstreamcli check the Linux
metadata, the Group Policy templates and the macOS profile are read back as policy, and
the PyInstaller spec keeps every Qt module the app imports."""

from __future__ import annotations

import ast
import importlib.util
import plistlib
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import yaml

from desktop_app.policy import POLICY_KEYS, load_policy, validate_values
from desktop_app.policy_sources import (
    REGISTRY_KEY,
    REGISTRY_SUBKEYS,
    MacManagedPreferences,
    RegistryPolicy,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
# Groups of settings (visit standards, flag thresholds) are set through Group Policy only.
GROUPS = set(REGISTRY_SUBKEYS)
ADMX_NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}


def load(path: Path) -> ModuleType:
    """A packaging script as a module (packaging/ is not a Python package)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert shutil.which(command[0]), f"{command[0]} is missing: `make test` installs it"
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=120)


def msi_table(msi: Path, table: str) -> list[list[str]]:
    exported = run("msiinfo", "export", str(msi), table)
    assert exported.returncode == 0, exported.stderr
    return [line.split("\t") for line in exported.stdout.splitlines()[3:]]


def test_wixl_compiles_a_per_machine_msi_that_writes_every_policy_key(tmp_path: Path) -> None:
    payload = tmp_path / "bundle"
    (payload / "_internal").mkdir(parents=True)
    for name in ("homevisit.exe", "homevisit-cli.exe", "_internal/python311.dll"):
        (payload / name).write_bytes(b"stand-in for the program built on Windows CI\n")
    files = sorted(p.relative_to(payload).as_posix() for p in payload.rglob("*") if p.is_file())
    heat = subprocess.run(["wixl-heat", "--var", "var.BundleDir", "--directory-ref",
                           "INSTALLDIR", "--component-group", "ProgramFiles", "-p", "", "--win64"],
                          input="\n".join(files) + "\n", capture_output=True, text=True,
                          check=True, cwd=payload)
    (tmp_path / "files.wxs").write_text(heat.stdout)
    msi = tmp_path / "homevisit.msi"
    built = run("wixl", "-a", "x64", "-D", "Version=0.1.0", "-D", "Win64=yes", "-D",
                "BundleDir=bundle", "-o", str(msi), str(PACKAGING / "windows" / "homevisit.wxs"),
                "files.wxs", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    properties = dict(row[:2] for row in msi_table(msi, "Property"))
    assert properties["ALLUSERS"] == "1"  # per machine
    upgrade = msi_table(msi, "Upgrade")
    assert {row[0] for row in upgrade} == {properties["UpgradeCode"]}
    assert {row[-1] for row in upgrade} == {"WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"}
    sequence = {row[0] for row in msi_table(msi, "InstallExecuteSequence")}
    assert "RemoveExistingProducts" in sequence  # MajorUpgrade replaces the old version
    written = {row[3]: row[4] for row in msi_table(msi, "Registry")
               if row[1] == "2" and row[2] == REGISTRY_KEY}
    assert set(written) == set(POLICY_KEYS) - GROUPS
    for name, value in written.items():
        assert value == f"[{name.upper()}]"
    file_names = {row[2].split("|")[-1] for row in msi_table(msi, "File")}
    assert {"homevisit.exe", "homevisit-cli.exe", "python311.dll"} <= file_names


class MsiWrittenRegistry:
    """The values a silent install with two properties leaves (the rest written blank)."""

    def values(self, key_path: str) -> dict[str, object] | None:
        if key_path != REGISTRY_KEY:
            return None
        written: dict[str, object] = dict.fromkeys(POLICY_KEYS, "")
        for group in GROUPS:
            written.pop(group)
        written.update({"server_url": "https://central.council.example",
                        "idle_lock_minutes": "3", "photos_allowed": "0"})
        return written


def test_what_the_msi_writes_is_read_as_locked_policy(tmp_path: Path) -> None:
    effective = load_policy(RegistryPolicy(MsiWrittenRegistry()), tmp_path / "none.toml")
    assert effective.problems == []
    assert effective.policy.idle_lock_minutes == 3
    assert effective.locked == {"server_url", "idle_lock_minutes", "photos_allowed"}


def test_every_group_of_settings_has_its_registry_subkey() -> None:
    from pydantic import BaseModel

    from desktop_app.policy import Policy

    groups = {name for name, info in Policy.model_fields.items()
              if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)}
    assert groups == GROUPS


def test_the_group_policy_templates_match_the_schema() -> None:
    make_admx = load(PACKAGING / "windows" / "make_admx.py")
    admx_file = PACKAGING / "windows" / "homevisit.admx"
    adml_file = PACKAGING / "windows" / "en-US" / "homevisit.adml"
    assert admx_file.read_text() == make_admx.admx(), "run packaging/windows/make_admx.py"
    assert adml_file.read_text() == make_admx.adml(), "run packaging/windows/make_admx.py"
    admx, adml = ET.parse(admx_file).getroot(), ET.parse(adml_file).getroot()
    policies = admx.findall("p:policies/p:policy", ADMX_NS)
    assert {p.get("name") for p in policies} == set(POLICY_KEYS)
    strings = {s.get("id") for s in adml.iter(f"{{{ADMX_NS['p']}}}string")}
    presentations = {p.get("id") for p in adml.iter(f"{{{ADMX_NS['p']}}}presentation")}
    for policy in policies:
        name = policy.get("name")
        assert policy.get("class") == "Machine"
        assert policy.get("key", "").startswith(REGISTRY_KEY)
        assert {name, f"{name}_Explain"} <= strings
        if policy.get("presentation"):
            assert name in presentations
        for element in policy.iter():
            if element.get("valueName"):
                assert element.get("valueName") == name or name in GROUPS


def test_desktop_entry_and_appstream_metadata_validate() -> None:
    desktop = run("desktop-file-validate",
                  str(PACKAGING / "linux" / "org.homevisit.Homevisit.desktop"))
    assert desktop.returncode == 0 and desktop.stdout.strip() == "", desktop.stdout
    metainfo = run("appstreamcli", "validate", "--no-net",
                   str(PACKAGING / "linux" / "org.homevisit.Homevisit.metainfo.xml"))
    assert metainfo.returncode == 0, metainfo.stdout
    assert not re.search(r"^[EW]: ", metainfo.stdout, re.MULTILINE), metainfo.stdout


def test_the_policy_conffile_documents_every_key_and_its_examples_are_valid() -> None:
    text = (PACKAGING / "linux" / "policy.toml").read_text()
    assert tomllib.loads(text) == {}  # as shipped, it sets nothing: the defaults hold
    uncommented = "\n".join(re.sub(r"^# ?", "", line) for line in text.splitlines()
                            if re.match(r"^# ?(\w+ = |\[)", line))
    uncommented = uncommented.replace("…base64 from homevisit-central recovery-keygen…",
                                      "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")
    values = tomllib.loads(uncommented)
    assert set(values) == set(POLICY_KEYS)
    assert validate_values(values) == {}


def test_the_macos_profile_payload_is_valid_managed_policy(tmp_path: Path) -> None:
    profile = plistlib.loads((PACKAGING / "macos" / "org.homevisit.Homevisit.mobileconfig"
                              ).read_bytes())
    [payload] = profile["PayloadContent"]
    assert payload["PayloadType"] == "org.homevisit.Homevisit"
    managed = tmp_path / "org.homevisit.Homevisit.plist"
    managed.write_bytes(plistlib.dumps(payload))
    effective = load_policy(MacManagedPreferences([managed]), tmp_path / "none.toml")
    assert effective.problems == []
    assert effective.is_locked("server_url") and effective.is_locked("visit_standards")


DEVELOPER_TOOLS = {"desktop_app/screenshots.py"}
"""Run from source only; the spec excludes them from the bundle (checked below)."""


def _qt_modules_imported() -> set[str]:
    found = set()
    for folder in ("ui", "desktop_app"):
        for source in (ROOT / folder).rglob("*.py"):
            if str(source.relative_to(ROOT)) in DEVELOPER_TOOLS:
                continue
            for node in ast.walk(ast.parse(source.read_text())):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                        "PySide6."):
                    found.add(str(node.module).split(".")[1])
                elif isinstance(node, ast.Import):
                    found |= {a.name.split(".")[1] for a in node.names
                              if a.name.startswith("PySide6.")}
    return found


def _spec_constant(tree: ast.Module, name: str) -> object:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not in the spec")


def test_the_spec_keeps_every_qt_module_the_app_imports_and_builds_onedir() -> None:
    text = (PACKAGING / "homevisit.spec").read_text()
    tree = ast.parse(text)
    used = _spec_constant(tree, "QT_USED")
    everything = _spec_constant(tree, "QT_ALL")
    assert isinstance(used, set) and isinstance(everything, set)
    imported = _qt_modules_imported()
    assert imported, "the app imports Qt"
    assert imported <= used, f"add {imported - used} to QT_USED"
    assert all(f'"{tool[:-3].replace("/", ".")}"' in text for tool in DEVELOPER_TOOLS)
    assert not used & everything, "a used module would be excluded"
    assert "COLLECT(" in text and "upx=False" in text and "upx=True" not in text
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= calls


def test_the_deb_depends_on_the_x_libraries_the_bundle_leaves_out() -> None:
    depends = subprocess.run([sys.executable, str(PACKAGING / "linux" / "build_deb.py"),
                              "--print-depends"], capture_output=True, text=True,
                             check=True).stdout.split()
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0",
                    "libegl1", "libdbus-1-3"):
        assert package in depends


def test_the_sbom_names_the_libraries_compiled_into_sqlcipher3(tmp_path: Path) -> None:
    import sqlcipher3

    sbom = load(PACKAGING / "sbom.py")
    internal = tmp_path / "homevisit" / "_internal"
    shutil.copytree(Path(sqlcipher3.__file__).parent, internal / "sqlcipher3")
    info = next(Path(sqlcipher3.__file__).parents[1].glob("sqlcipher3-*.dist-info"))
    shutil.copytree(info, internal / info.name)
    document = sbom.make_sbom(tmp_path / "homevisit", 1_700_000_000)
    assert document == sbom.make_sbom(tmp_path / "homevisit", 1_700_000_000)  # reproducible
    import json

    parsed = json.loads(document)
    [component] = [c for c in parsed["components"] if c["name"] == "sqlcipher3"]
    inside = {c["name"]: c["version"] for c in component["components"]}
    connection = sqlcipher3.connect(":memory:")
    try:
        cipher_version = connection.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        connection.close()
    assert inside["sqlcipher"] == cipher_version.split()[0]
    assert inside["sqlite"] == sqlcipher3.sqlite_version
    assert re.fullmatch(r"3\.\d+\.\d+[a-z]?", inside["openssl"])
    assert parsed["metadata"]["timestamp"].startswith("2023-11-14")


def test_the_ci_workflows_build_what_the_issue_asks() -> None:
    workflows = {path.stem: yaml.safe_load(path.read_text())
                 for path in (ROOT / ".github" / "workflows").glob("*.yml")}
    assert set(workflows) >= {"windows", "macos", "linux"}
    text = {name: (ROOT / ".github" / "workflows" / f"{name}.yml").read_text()
            for name in workflows}
    assert "packaging/homevisit.spec" in text["windows"] and "light.exe" in text["windows"]
    assert "SERVER_URL=" in text["windows"] and "policy show" in text["windows"]
    assert "build_pkg.sh" in text["macos"] and "self-test" in text["macos"]
    assert "make package-check" in text["linux"]
    for referenced in re.findall(r"packaging/[\w./-]+", "\n".join(text.values())):
        assert (ROOT / referenced).exists(), referenced


def test_central_systemd_unit_verifies(tmp_path: Path) -> None:
    unit = (PACKAGING / "central" / "homevisit-central.service").read_text()
    assert "--host 127.0.0.1" in unit  # only nginx, on the same host, reaches it
    # The unit as installed, with the program and settings file this machine does not have.
    local = unit.replace("/opt/homevisit-central/venv/bin/homevisit-central", "/bin/true")
    local = local.replace("EnvironmentFile=/etc/homevisit-central/env",
                          "EnvironmentFile=-/nonexistent")
    (tmp_path / "homevisit-central.service").write_text(local)
    verified = run("systemd-analyze", "verify", str(tmp_path / "homevisit-central.service"))
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.strip() == "", verified.stderr
    nginx = (PACKAGING / "central" / "homevisit-central.nginx.conf").read_text()
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in nginx
    assert "proxy_pass http://homevisit_central;" in nginx and "127.0.0.1:8443" in nginx


def test_central_refresh_timer_verifies_and_runs_the_guides_command(tmp_path: Path) -> None:
    """The nightly `oversight refresh` (docs/it-deployment.md, "Kept figures") as packaged:
    a oneshot under the service's user and settings, daily after midnight, caught up after
    a night the server was off; installed by the .deb with the service."""
    service = (PACKAGING / "central" / "homevisit-central-refresh.service").read_text()
    timer = (PACKAGING / "central" / "homevisit-central-refresh.timer").read_text()
    assert "homevisit-central oversight refresh" in service and "Type=oneshot" in service
    assert "User=homevisit" in service and "EnvironmentFile=/etc/homevisit-central/env" in service
    assert "OnCalendar=*-*-* 00:05:00 Europe/London" in timer and "Persistent=true" in timer
    guide = (ROOT / "docs" / "it-deployment.md").read_text()
    assert "systemctl enable --now homevisit-central-refresh.timer" in guide
    build = (PACKAGING / "central" / "build_deb.py").read_text()
    assert all(name in build for name in ("homevisit-central-refresh.service",
                                          "homevisit-central-refresh.timer"))
    local = service.replace("/opt/homevisit-central/venv/bin/homevisit-central", "/bin/true")
    local = local.replace("EnvironmentFile=/etc/homevisit-central/env",
                          "EnvironmentFile=-/nonexistent")
    (tmp_path / "homevisit-central-refresh.service").write_text(local)
    (tmp_path / "homevisit-central-refresh.timer").write_text(timer)
    verified = run("systemd-analyze", "verify", str(tmp_path / "homevisit-central-refresh.timer"),
                   str(tmp_path / "homevisit-central-refresh.service"))
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.strip() == "", verified.stderr
    next_run = run("systemd-analyze", "calendar", "*-*-* 00:05:00 Europe/London")
    assert next_run.returncode == 0 and "Next elapse" in next_run.stdout, next_run.stderr


def test_the_it_guide_lists_every_policy_key_and_msi_property() -> None:
    from pydantic import BaseModel

    from desktop_app.policy import Policy

    guide = (ROOT / "docs" / "it-deployment.md").read_text()
    for name, info in Policy.model_fields.items():
        model = info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            for inner in model.model_fields:
                assert f"| `{name}.{inner}` |" in guide, f"{name}.{inner} is not in the guide"
        else:
            assert f"| `{name}` |" in guide, f"{name} is not in the guide"
    wxs = (PACKAGING / "windows" / "homevisit.wxs").read_text()
    for prop in re.findall(r'<Property Id="(\w+)"', wxs):
        assert f"`{prop}`" in guide, f"the MSI property {prop} is not in the guide"


def test_the_nginx_example_passes_nginx_t_and_admits_the_largest_photo(tmp_path: Path) -> None:
    """Debian's own nginx reads the shipped example, as IT would install it: only the
    certificate and log paths are pointed at throwaway files."""
    from central.core.config import Settings

    example = (PACKAGING / "central" / "homevisit-central.nginx.conf").read_text()
    body = re.search(r"client_max_body_size (\d+)m;", example)
    assert body is not None
    assert int(body.group(1)) * 1_000_000 > Settings().max_blob_bytes  # a photo fits, headers too
    key, cert = tmp_path / "central.key", tmp_path / "central.fullchain.pem"
    made = run("openssl", "req", "-x509", "-newkey", "ed25519", "-nodes", "-days", "1",
               "-subj", "/CN=central.council.example", "-keyout", str(key), "-out", str(cert))
    assert made.returncode == 0, made.stderr
    site = (example.replace("/etc/ssl/homevisit/central.fullchain.pem", str(cert))
            .replace("/etc/ssl/homevisit/central.key", str(key))
            .replace("/var/log/nginx/", f"{tmp_path}/"))
    assert site.count(str(tmp_path)) == 3, "the example's certificate or log paths changed"
    (tmp_path / "homevisit-central").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path}/homevisit-central;\n}}\n")
    checked = run("nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"))
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
    # A self-signed certificate has no issuer to staple; a council's CA-issued one has.
    complaints = [line for line in checked.stderr.splitlines()
                  if ("[warn]" in line or "[emerg]" in line) and '"ssl_stapling"' not in line]
    assert complaints == []


def test_installed_records_are_rewritten_to_match_the_shipped_files(tmp_path: Path) -> None:
    """Central's virtualenv: pip's RECORD hashes each script as it was written, naming the
    build's own folder; after the builder points the scripts at /opt and deletes
    direct_url.json, RECORD must say what is shipped, or two builds in two folders differ."""
    debian_files = load(PACKAGING / "debian_files.py")

    def install(build_folder: str) -> Path:
        site = tmp_path / build_folder / "lib" / "python3.11" / "site-packages"
        info = site / "demo-1.0.dist-info"
        info.mkdir(parents=True)
        (site / "demo.py").write_text("x = 1\n")
        script = tmp_path / build_folder / "bin" / "demo"
        script.parent.mkdir()
        script.write_text(f"#!{tmp_path / build_folder}/bin/python\n")
        (info / "RECORD").write_text(
            "../../../bin/demo,sha256=made-in-the-build-folder,40\n"
            "demo.py,sha256=aXgEsKlTzGjM0H0i0Kk0WNMnjRFCAb6mVo9QiXfnW1E,6\n"
            "demo-1.0.dist-info/direct_url.json,sha256=gone,99\n"
            "demo-1.0.dist-info/RECORD,,\n")
        script.write_text("#!/opt/homevisit-central/venv/bin/python\n")  # as the builder does
        debian_files.refresh_records(site)
        return info / "RECORD"

    first, second = install("build-one"), install("build-two-in-a-longer-folder")
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text().splitlines() == [
        "../../../bin/demo,sha256=z7sfEwLXkSwvERT_3hyLZNC-3r8A2IsGW1-yAxJeJAU,41",
        "demo.py,sha256=nia_NpkRxFwkPGhBR7I_yeHc_PJX0pmhxjIBam_NM_Q,6",
        "demo-1.0.dist-info/RECORD,,"]


def test_the_deb_recommends_the_fonts_a_childs_words_need_and_make_test_installs_them(
        tmp_path: Path) -> None:
    """The control file says `Recommends: fonts-noto-core, fonts-noto-cjk` (Bengali, Tigrinya,
    Urdu, Chinese… print as typed; apt installs Recommends by default), and `make test`
    installs them, since tests/ui/test_pdf_scripts.py and the self-test's PDF line use them."""
    build_deb = load(PACKAGING / "linux" / "build_deb.py")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "homevisit").write_bytes(b"#!/bin/sh\n")
    build_deb.stage(bundle, tmp_path / "staging", 1_700_000_000, "amd64")
    control = (tmp_path / "staging" / "DEBIAN" / "control").read_text()
    assert re.search(r"^Recommends: fonts-noto-core, fonts-noto-cjk$", control, re.MULTILINE)
    printed = subprocess.run([sys.executable, str(PACKAGING / "linux" / "build_deb.py"),
                              "--print-recommends"], capture_output=True, text=True,
                             check=True).stdout.split()
    assert printed == ["fonts-noto-core", "fonts-noto-cjk"]
    pdf_tools = re.search(r"^PDF_TOOLS := (.*)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert pdf_tools is not None and set(printed) <= set(pdf_tools.group(1).split())
    assert "$(PDF_TOOLS)" in (ROOT / "Makefile").read_text().split("\ntest:")[1].split("\n\n")[0]
