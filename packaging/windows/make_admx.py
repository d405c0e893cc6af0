"""Write the Group Policy templates (ADMX and en-US ADML) from the policy schema itself.

    python packaging/windows/make_admx.py        # rewrites homevisit.admx, en-US/homevisit.adml

Every key of `desktop_app.policy.Policy` becomes a machine policy writing the value of the
same name under HKLM\\Software\\Policies\\Homevisit (each group of settings, such as
`visit_standards`, under a subkey of its name), with the schema's bounds. A test keeps
the files in step.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from annotated_types import Ge, Le  # noqa: E402
from pydantic import BaseModel  # noqa: E402
from pydantic.fields import FieldInfo  # noqa: E402

from desktop_app.policy import Policy  # noqa: E402

KEY = r"Software\Policies\Homevisit"
HEADER = '<?xml version="1.0" encoding="utf-8"?>\n'


def _bounds(info: FieldInfo) -> tuple[int, int]:
    low, high = 0, 2_000_000_000
    for rule in info.metadata:
        if isinstance(rule, Ge):
            low = int(rule.ge)  # type: ignore[call-overload]
        if isinstance(rule, Le):
            high = int(rule.le)  # type: ignore[call-overload]
    return low, high


def _kind(info: FieldInfo) -> str:
    annotation = str(info.annotation)
    if info.annotation is bool:
        return "bool"
    if "int" in annotation:
        return "int"
    return "text"


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _groups() -> dict[str, FieldInfo]:
    """The policy's groups of settings (visit standards, flag thresholds): one subkey each."""
    return {name: info for name, info in Policy.model_fields.items()
            if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)}


def _policies() -> list[dict[str, Any]]:
    found = []
    for name, info in Policy.model_fields.items():
        if name in _groups():
            continue
        found.append({"name": name, "key": KEY, "kind": _kind(info),
                      "bounds": _bounds(info), "explain": info.description or "",
                      "default": info.default})
    return found


def admx() -> str:
    rows = []
    for policy in _policies():
        name = policy["name"]
        head = (f'    <policy name="{name}" class="Machine" displayName="$(string.{name})" '
                f'explainText="$(string.{name}_Explain)" key="{policy["key"]}"')
        if policy["kind"] == "bool":
            rows.append(
                f'{head} valueName="{name}">\n'
                '      <parentCategory ref="Homevisit"/>\n'
                '      <supportedOn ref="SUPPORTED_Homevisit"/>\n'
                '      <enabledValue><decimal value="1"/></enabledValue>\n'
                '      <disabledValue><decimal value="0"/></disabledValue>\n'
                "    </policy>")
            continue
        if policy["kind"] == "int":
            low, high = policy["bounds"]
            element = (f'<decimal id="{name}" valueName="{name}" required="true" '
                       f'minValue="{low}" maxValue="{high}"/>')
        else:
            element = f'<text id="{name}" valueName="{name}" required="true" maxLength="1024"/>'
        rows.append(
            f'{head} presentation="$(presentation.{name})">\n'
            '      <parentCategory ref="Homevisit"/>\n'
            '      <supportedOn ref="SUPPORTED_Homevisit"/>\n'
            f"      <elements>\n        {element}\n      </elements>\n"
            "    </policy>")
    for group, group_info in _groups().items():
        model = group_info.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        elements = []
        for name, info in model.model_fields.items():
            low, high = _bounds(info)
            elements.append(f'        <decimal id="{name}" valueName="{name}" required="true" '
                            f'minValue="{low}" maxValue="{high}"/>')
        rows.append(
            f'    <policy name="{group}" class="Machine" displayName="$(string.{group})" '
            f'explainText="$(string.{group}_Explain)" key="{KEY}\\{group}" '
            f'presentation="$(presentation.{group})">\n'
            '      <parentCategory ref="Homevisit"/>\n'
            '      <supportedOn ref="SUPPORTED_Homevisit"/>\n'
            "      <elements>\n" + "\n".join(elements) + "\n      </elements>\n"
            "    </policy>")
    return (HEADER +
            '<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" '
            'schemaVersion="1.0" '
            'xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">\n'
            "  <policyNamespaces>\n"
            '    <target prefix="homevisit" namespace="Homevisit.Policies.Homevisit"/>\n'
            '    <using prefix="windows" namespace="Microsoft.Policies.Windows"/>\n'
            "  </policyNamespaces>\n"
            '  <resources minRequiredRevision="1.0"/>\n'
            "  <supportedOn>\n    <definitions>\n"
            '      <definition name="SUPPORTED_Homevisit" '
            'displayName="$(string.SUPPORTED_Homevisit)"/>\n'
            "    </definitions>\n  </supportedOn>\n"
            '  <categories>\n    <category name="Homevisit" displayName="$(string.Homevisit)"/>\n'
            "  </categories>\n  <policies>\n" + "\n".join(rows) + "\n  </policies>\n"
            "</policyDefinitions>\n")


def adml() -> str:
    strings = ['      <string id="Homevisit">Homevisit</string>',
               '      <string id="SUPPORTED_Homevisit">Homevisit 0.1 and later</string>']
    presentations = []
    locked = ("Set here, the value is locked: workers cannot change it in the app, and "
              "'homevisit policy show' lists it as managed.")
    for policy in _policies():
        name = policy["name"]
        default = policy["default"]
        shown = "not set" if default is None else str(default).lower()
        strings.append(f'      <string id="{name}">{escape(_title(name))}</string>')
        strings.append(f'      <string id="{name}_Explain">{escape(policy["explain"])} '
                       f"Default: {escape(shown)}. {escape(locked)}</string>")
        if policy["kind"] == "int":
            presentations.append(
                f'      <presentation id="{name}">\n'
                f'        <decimalTextBox refId="{name}" defaultValue="{default or 1}">'
                f"{escape(_title(name))}</decimalTextBox>\n      </presentation>")
        elif policy["kind"] == "text":
            presentations.append(
                f'      <presentation id="{name}">\n'
                f'        <textBox refId="{name}"><label>{escape(_title(name))}</label>'
                "</textBox>\n      </presentation>")
    for group, group_info in _groups().items():
        model = group_info.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        strings.append(f'      <string id="{group}">{escape(_title(group))}</string>')
        strings.append(f'      <string id="{group}_Explain">'
                       f"{escape(group_info.description or '')} All of the group is set "
                       f"together. {escape(locked)}</string>")
        boxes = []
        for name, info in model.model_fields.items():
            boxes.append(f'        <decimalTextBox refId="{name}" defaultValue="{info.default}">'
                         f"{escape(_title(name))}</decimalTextBox>")
        presentations.append(f'      <presentation id="{group}">\n' + "\n".join(boxes)
                             + "\n      </presentation>")
    return (HEADER +
            '<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" '
            'schemaVersion="1.0" '
            'xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">\n'
            "  <displayName>Homevisit</displayName>\n"
            "  <description>Homevisit IT policy</description>\n"
            "  <resources>\n    <stringTable>\n" + "\n".join(strings)
            + "\n    </stringTable>\n    <presentationTable>\n" + "\n".join(presentations)
            + "\n    </presentationTable>\n  </resources>\n</policyDefinitionResources>\n")


def main() -> int:
    (HERE / "homevisit.admx").write_text(admx(), encoding="utf-8")
    (HERE / "en-US").mkdir(exist_ok=True)
    (HERE / "en-US" / "homevisit.adml").write_text(adml(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
