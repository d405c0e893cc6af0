"""The IT guide's commands, run word for word as IT would type them.

Every shell block in docs/it-deployment.md, docs/deployment.md and README.md is listed
below: either RUN, and then the walk-through runs each of its commands exactly as printed
and checks what the guide says it prints, or NOT_RUN with why it cannot run here (root,
apt, systemd, Windows, a real central on the internet) and which test covers it instead.
A new block fails `test_every_shell_block_is_run_or_says_why_not` until it is listed.

The walk-through runs the laptop's part as the guide's worker, jokafor, in a throwaway
machine: a private mount namespace in which /home, /media and /srv are empty tmpfs and
/etc an overlay, so `/home/jokafor`, `/media/safe-usb` (the recovery key's stick),
`/srv/reports` and `/etc/homevisit/policy.toml` are the guide's own paths and nothing
reaches this machine's. `homevisit` and `homevisit-central` are this checkout's commands;
central's commands run on a fresh PostgreSQL database. What the guide takes as given
(the worker's vault, a CA file, central's teams and cases, the police's CSV) is set up
first, by steps marked "setup". About thirty commands, each a fresh Python process (the
process is the point), so the walk-through runs in `make package-check` (the `packaging`
marker); the listing check is cheap and runs in `make test`.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.central.conftest import empty_tables, postgres_url

__all__ = ["postgres_url"]

ROOT = Path(__file__).resolve().parents[2]
DOCS = ("docs/it-deployment.md", "docs/deployment.md", "README.md")
IT_GUIDE = "docs/it-deployment.md"

# Blocks the walk-through runs, by their guide and first line.
RUN = {
    (IT_GUIDE, "homevisit-central recovery-keygen --out /media/safe-usb/homevisit-recovery.pem"),
    (IT_GUIDE, "$ homevisit policy show"),
    (IT_GUIDE, "homevisit vault add-recovery-key --vault ~/.local/share/homevisit/vault"),
    (IT_GUIDE, "homevisit vault recover --vault ~/.local/share/homevisit/vault \\"),
    (IT_GUIDE, 'homevisit-central manager add hos --teams all --display-name "Head of Service"'),
    (IT_GUIDE, "homevisit-central report children --csv --team North > north.csv"),
    (IT_GUIDE, "homevisit-central children                      # every team, a table, "
               "most serious first"),
    (IT_GUIDE, "homevisit-central notification import police-2026-11-16.csv"),
    (IT_GUIDE, "rm -rf ~/.local/share/homevisit ~/.config/homevisit ~/.local/state/homevisit"),
}
_PACKAGE_CHECK = "make package-check"
NOT_RUN = {
    (IT_GUIDE, "sudo apt install ./homevisit_0.1.0_amd64.deb"):
        "root, apt and the built .deb: tests/packaging/test_deb_build.py installs it with dpkg "
        f"into a throwaway root ({_PACKAGE_CHECK})",
    (IT_GUIDE, "msiexec /i homevisit-0.1.0-x64.msi /qn ^"):
        "Windows only: the MSI's properties are compiled and read back by wixl/msiinfo in "
        "tests/packaging/test_packaging_files.py",
    (IT_GUIDE, "# /etc/cron.d/homevisit-central"):
        "a cron file for root's cron and the package's homevisit user: the command it runs, "
        "`homevisit-central oversight refresh`, is run as written in "
        "tests/central/test_figures_store.py",
    (IT_GUIDE, "systemctl enable --now homevisit-central-refresh.timer   # installed by the "
               ".deb, 00:05 daily"):
        "root and systemd: the timer and its service are checked with systemd-analyze in "
        "tests/packaging/test_packaging_files.py, installed by the .deb "
        f"({_PACKAGE_CHECK}), and the command they run is run as written in "
        "tests/central/test_figures_store.py",
    (IT_GUIDE, "$ homevisit self-test"):
        "needs central answering at central.council.example with the council's certificate, "
        "and an X display: tests/desktop_app/test_recovery_and_self_test.py runs each check",
    ("docs/deployment.md", "sudo apt install ./homevisit-central_0.1.0_amd64.deb"):
        "root, apt, systemd and PostgreSQL's postgres superuser: tests/packaging/"
        "test_central_deb.py installs the .deb into a throwaway root and starts it "
        f"({_PACKAGE_CHECK})",
    ("docs/deployment.md", "$ sudo ls -l /etc/homevisit-central/"):
        "the package installed as root: test_central_deb.py checks these owners and modes",
    ("docs/deployment.md", 'alias hc=\'sudo -u homevisit sh -c "set -a; . /etc/homevisit-central/'
                           'env; exec homevisit-central \\"\\$@\\"" hc\''):
        "the package's homevisit system user and PostgreSQL peer authentication; the same "
        "commands run here in the walk-through's setup and in tests/central",
    ("docs/deployment.md", "sudo cp /usr/share/doc/homevisit-central/examples/"
                           "homevisit-central.nginx.conf \\"):
        "root, nginx's site folders, a certificate and DNS: the example itself passes "
        "Debian's `nginx -t` in tests/packaging/test_packaging_files.py",
    ("docs/deployment.md", "sudo systemctl disable --now homevisit-central"):
        "root, systemd and PostgreSQL's superuser, and it erases the database",
    ("README.md", "make run     # starts the app on a demo vault"):
        "`make` itself: `make test` is this suite; `make run` opens a window",
    ("README.md", "homevisit --version"):
        "a list of commands with placeholders (DIR, FILE, URL), each tested in "
        "tests/desktop_app/test_cli.py",
}


@dataclass(frozen=True)
class Block:
    doc: str
    line: int
    language: str
    text: str

    @property
    def key(self) -> tuple[str, str]:
        return self.doc, self.text.splitlines()[0]


def blocks(doc: str) -> list[Block]:
    """The fenced blocks of a Markdown file (indented ones too, as in a numbered list)."""
    found, opened, body, indent = [], None, [], ""
    for number, line in enumerate((ROOT / doc).read_text(encoding="utf-8").splitlines(), 1):
        fence = re.fullmatch(r"(\s*)```(\w*)\s*", line)
        if fence and opened is None:
            opened, body, indent = (number, fence.group(2)), [], fence.group(1)
        elif fence and opened is not None:
            found.append(Block(doc, opened[0], opened[1],
                               textwrap.dedent("\n".join(part.removeprefix(indent)
                                                         for part in body))))
            opened = None
        elif opened is not None:
            body.append(line)
    return found


def shell_blocks() -> dict[tuple[str, str], Block]:
    return {block.key: block for doc in DOCS for block in blocks(doc)
            if block.language in ("sh", "bat")}


def commands(block: Block) -> list[str]:
    """Each command of a block as typed (continued lines kept whole, for bash to join),
    comment-only lines (the output the guide shows) left out; in a transcript, the lines
    after `$ `."""
    lines = block.text.splitlines()
    if any(line.startswith("$ ") for line in lines):  # a transcript: the rest is output
        return [line[2:] for line in lines if line.startswith("$ ")]
    said, current = [], ""
    for line in lines:
        current += line + "\n"
        if line.rstrip().endswith("\\"):
            continue
        if current.strip() and not current.lstrip().startswith("#"):
            said.append(current.rstrip("\n"))
        current = ""
    return said


def comments(block: Block) -> list[str]:
    """The output a block shows as comment lines (`# …`)."""
    return [line[2:] for line in block.text.splitlines() if line.startswith("# ")]


def test_every_shell_block_is_run_or_says_why_not() -> None:
    found = set(shell_blocks())
    assert found - RUN - set(NOT_RUN) == set(), "list each new block in RUN or NOT_RUN"
    assert (RUN | set(NOT_RUN)) - found == set(), "a listed block is no longer in the docs"
    assert RUN.isdisjoint(NOT_RUN)


# --- the walk-through -----------------------------------------------------------------

PASSPHRASE = "correct horse battery staple"
NEW_PASSPHRASE = "a brand new passphrase, typed twice"
MANAGER_PASSWORD = "a long manager password"
VAULT = "~/.local/share/homevisit/vault"


@dataclass(frozen=True)
class Step:
    name: str
    command: str
    stdin: str = ""


def _tool(folder: Path, name: str, module: str, function: str) -> None:
    """`homevisit` / `homevisit-central` as installed, running this checkout."""
    script = folder / name
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                      f"from {module} import {function}\nsys.argv[0] = {name!r}\n"
                      f"sys.exit({function}())\n", encoding="utf-8")
    script.chmod(0o755)


def _ca_certificate() -> bytes:
    """The council's CA certificate that the guide's policy names in ca_file."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Council CA")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(1)
                   .not_valid_before(now - timedelta(days=1))
                   .not_valid_after(now + timedelta(days=30))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None),
                                  critical=True)
                   .sign(key, hashes.SHA256()))
    return certificate.public_bytes(serialization.Encoding.PEM)


CASES_CSV = """\
case_reference,family_name,address,team,child_reference,given_name,plan_type,plan_start_date,worker
CP-1,Nowak,12 Elm Row,North,N1,Ana,child_protection,2026-09-01,jokafor
"""


def _police_csv() -> str:
    """Twelve notifications in the guide's columns, as the MASH's daily list would be."""
    rows = ["case_reference,child_ids,source,kind,received_on,summary,entered_by"]
    rows += [f"CP-1,N1,\"West Midlands Police, PC 4471 Shah\",police_domestic_abuse,2026-11-16,"
             f"Call-out {n}: raised voices reported by a neighbour,MASH (R. Khan)"
             for n in range(1, 13)]
    return "\n".join(rows) + "\n"


@pytest.mark.packaging
def test_the_it_guide_s_commands_run_as_written(tmp_path: Path, postgres_url: str) -> None:
    empty_tables(postgres_url)
    guide = shell_blocks()

    def block(first_line: str) -> Block:
        return guide[(IT_GUIDE, first_line)]

    keygen = block("homevisit-central recovery-keygen --out /media/safe-usb/"
                   "homevisit-recovery.pem")
    policy_show = block("$ homevisit policy show")
    policy_toml = next(b for b in blocks(IT_GUIDE) if b.language == "toml"
                       and b.text.startswith('server_url = "https://central.council.example"'))
    add_key = block(f"homevisit vault add-recovery-key --vault {VAULT}")
    recover = block(f"homevisit vault recover --vault {VAULT} \\")
    managers = block('homevisit-central manager add hos --teams all --display-name '
                     '"Head of Service"')
    report = block("homevisit-central report children --csv --team North > north.csv")
    children = block("homevisit-central children                      # every team, a "
                     "table, most serious first")
    notify = block("homevisit-central notification import police-2026-11-16.csv")
    erase = block("rm -rf ~/.local/share/homevisit ~/.config/homevisit "
                  "~/.local/state/homevisit")

    work = tmp_path / "work"
    (work / "bin").mkdir(parents=True)
    _tool(work / "bin", "homevisit", "desktop_app.cli", "run")
    _tool(work / "bin", "homevisit-central", "central.cli", "main")
    (work / "council-ca.pem").write_bytes(_ca_certificate())
    (work / "policy.toml").write_text(policy_toml.text + "\n", encoding="utf-8")
    (work / "cases.csv").write_text(CASES_CSV, encoding="utf-8")
    (work / "police.csv").write_text(_police_csv(), encoding="utf-8")
    twice = f"{PASSPHRASE}\n{PASSPHRASE}\n"
    password_twice = f"{MANAGER_PASSWORD}\n{MANAGER_PASSWORD}\n"

    def steps_of(name: str, doc: Block, *stdin: str) -> list[Step]:
        return [Step(f"{name}.{n}", command, stdin[n] if n < len(stdin) else "")
                for n, command in enumerate(commands(doc))]

    w = shlex.quote(str(work))
    steps = [
        Step("setup.vault", f"homevisit vault create --vault {VAULT}", twice),
        *steps_of("keygen", keygen),
        # The guide: "Put this line in the laptops' policy".
        Step("setup.policy", f"cp {w}/council-ca.pem /etc/homevisit/council-ca.pem && "
             f"sed \"s|^recovery_public_key = .*|$(tail -n 1 {w}/steps/keygen.0.out)|\" "
             f"{w}/policy.toml > /etc/homevisit/policy.toml"),
        Step("setup.own-setting", "homevisit policy set sync_interval_minutes 30"),
        *steps_of("policy-show", policy_show),
        *steps_of("add-key", add_key, f"{PASSPHRASE}\n"),
        *steps_of("recover", recover, f"{NEW_PASSPHRASE}\n{NEW_PASSPHRASE}\n"),
        Step("setup.new-passphrase-opens", f"homevisit vault check --vault {VAULT}",
             f"{NEW_PASSPHRASE}\n"),
        Step("setup.central", "homevisit-central migrate && homevisit-central team add North "
             "&& homevisit-central team add East && homevisit-central user add jokafor "
             f"--role worker --team North && homevisit-central case import {w}/cases.csv && "
             f"cp {w}/police.csv police-2026-11-16.csv"),
        # add hos, add nmgr, then `reset-password nmgr` (the eighth line) ask twice.
        *steps_of("managers", managers, password_twice, password_twice, "", "", "", "", "",
                  password_twice),
        *steps_of("report", report),
        *steps_of("children", children),
        *steps_of("notify", notify),
        Step("setup.folders-there", "ls -d ~/.local/share/homevisit ~/.config/homevisit "
             "~/.local/state/homevisit"),
        *steps_of("erase", erase),
        Step("setup.folders-gone", "ls -A ~ ~/.local ~/.local/share ~/.local/state; "
             "ls -d ~/.config/homevisit"),
    ]
    results = _run_in_a_throwaway_machine(work, steps, postgres_url)

    def out(name: str) -> str:
        return results[name][1]

    failed = {name: result for name, result in results.items()
              if result[0] != 0 and name != "setup.folders-gone"}
    assert failed == {}, json.dumps(failed, indent=1)

    # The recovery key pair: what it prints is what the guide shows, the key aside.
    shown = comments(keygen)
    printed = out("keygen.0").splitlines()
    assert printed[:-1] == shown[:-1]
    assert re.fullmatch(r'recovery_public_key = "[A-Za-z0-9+/]{43}="', printed[-1])
    assert re.fullmatch(r'recovery_public_key = "[A-Za-z0-9+/]{43}="', shown[-1])

    # `policy show` prints the guide's lines, in its order ("..." for lines left out).
    expected = [line for line in policy_show.text.splitlines()[1:]
                if not line.startswith("$ ")]
    printed = out("policy-show.0").splitlines()
    at = 0
    for line in expected:
        if line == "...":
            continue
        assert line in printed[at:], f"{line!r} not printed after line {at}:\n" + out(
            "policy-show.0")
        at = printed.index(line, at) + 1
    assert json.loads(out("policy-show.1"))["server_url"]["managed"] is True

    assert "Recovery slot added" in out("add-key.0")
    said = re.search(r'prints "([^"]+)"', " ".join(
        (ROOT / IT_GUIDE).read_text(encoding="utf-8").split()))
    assert said is not None and said.group(1) in " ".join(out("recover.0").split())

    assert [line.split("\t")[0] for line in out("managers.3").splitlines()] == [
        "hos", "nmgr", "svc"]
    assert out("report.0") == ""
    assert out("children.2").startswith(
        "Wrote 1 child to /srv/reports/children-2026-11-16.csv")
    assert json.loads(out("children.3"))[0]["case_reference"] == "CP-1"
    assert " ".join(out("notify.0").split()) == " ".join(comments(notify))

    assert results["setup.folders-gone"][0] != 0  # ~/.config/homevisit is gone
    assert "homevisit" not in out("setup.folders-gone")


def _run_in_a_throwaway_machine(work: Path, steps: list[Step], database_url: str,
                                ) -> dict[str, tuple[int, str, str]]:
    """Every step in order, each as `bash -c COMMAND` with its own standard input, in the
    worker's home, inside one private mount namespace (see the module's docstring)."""
    folder = work / "steps"
    folder.mkdir()
    for step in steps:
        (folder / f"{step.name}.sh").write_text(step.command + "\n", encoding="utf-8")
        (folder / f"{step.name}.in").write_text(step.stdin, encoding="utf-8")
    names = " ".join(shlex.quote(step.name) for step in steps)
    w = shlex.quote(str(work))
    driver = f"""
set -eu
mount -t tmpfs tmpfs /home; mount -t tmpfs tmpfs /media; mount -t tmpfs tmpfs /srv
mkdir -p {w}/etc-upper {w}/etc-work
mount -t overlay overlay -o lowerdir=/etc,upperdir={w}/etc-upper,workdir={w}/etc-work /etc
mkdir -p /home/jokafor /media/safe-usb /srv/reports /etc/homevisit
export HOME=/home/jokafor PATH={w}/bin:$PATH PASSWORD={shlex.quote(MANAGER_PASSWORD)}
export HOMEVISIT_CENTRAL_DATABASE_URL={shlex.quote(database_url)}
cd $HOME
for step in {names}; do
    set +e
    bash {w}/steps/$step.sh <{w}/steps/$step.in >{w}/steps/$step.out 2>{w}/steps/$step.err
    echo $? >{w}/steps/$step.rc
    set -e
done
"""
    as_root = [] if os.geteuid() == 0 else ["--map-root-user"]
    ran = subprocess.run(["unshare", "--mount", "--propagation", "private", *as_root,
                          "bash", "-c", driver], capture_output=True, text=True, timeout=600,
                         start_new_session=True,  # no terminal: passwords come from stdin
                         env={key: value for key, value in os.environ.items()
                              if not key.startswith("HOMEVISIT")})
    assert ran.returncode == 0, ran.stderr
    return {step.name: (int((folder / f"{step.name}.rc").read_text()),
                        (folder / f"{step.name}.out").read_text(encoding="utf-8"),
                        (folder / f"{step.name}.err").read_text(encoding="utf-8"))
            for step in steps}
