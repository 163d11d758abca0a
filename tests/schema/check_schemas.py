#!/usr/bin/env python3
"""The committed JSON Schemas (schemas/*.schema.json) against real files.

Every page's front matter in content/ must validate against
schemas/front-matter.schema.json, site.yaml and glossary.yaml against theirs,
and the cases in tests/schema/cases/ must be accepted (*-ok) or refused
(*-bad). With a pestle binary as the first argument, pestle must agree on
every case: it builds the ok ones without errors and refuses the bad ones,
so the schemas and the validator say the same thing.

    python3 tests/schema/check_schemas.py [PESTLE_BIN]

Needs jsonschema and PyYAML (`pip install jsonschema pyyaml`).

pestle reads YAML 1.2, where `2026-11-26` and `yes` are text; PyYAML reads
YAML 1.1, where they are a date and true. The loader below resolves plain
scalars as YAML 1.2's core schema does, so the schema sees what pestle sees.
"""

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema
import yaml

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema plain scalars."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$",
        "-+.0123456789",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))


def _int12(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text, 0)
    return int(text, 10)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int12)


def load(text):
    return yaml.load(text, Loader=Yaml12Loader)


def front_matter(path):
    """The front matter of a page, as pestle finds it: `---` on the first
    line, up to the next line that is `---`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{path}: no front matter")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return load("\n".join(lines[1:end])) or {}


def validator(name):
    schema = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(v, value):
    return [f"{'/'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in v.iter_errors(value)]


def pestle_errors(pestle, site_yaml, page=None):
    """The errors `pestle check` finds in a site of `site_yaml` and `page`."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "site.yaml").write_text(site_yaml, encoding="utf-8")
        (root / "content").mkdir()
        (root / "content" / "_index.md").write_text("---\ntitle: Home\n---\n", encoding="utf-8")
        if page is not None:
            shutil.copy(page, root / "content" / page.name)
        out = subprocess.run([pestle, "check", "--format", "json"], cwd=root, capture_output=True, text=True)
        if out.returncode == 2:
            return [out.stderr.strip()]
        report = json.loads(out.stdout)
        return [f"{f['path']}: {f['message']}" for f in report["findings"] if f["severity"] == "error"]


def main():
    pestle = str(Path(sys.argv[1]).resolve()) if len(sys.argv) > 1 else None
    passed, failed = 0, []

    def expect(ok, what):
        nonlocal passed
        if ok:
            passed += 1
        else:
            failed.append(what)

    pages_schema, site_schema, glossary_schema = validator("front-matter"), validator("site"), validator("glossary")
    pages = sorted((REPO / "content").rglob("*.md"))
    for page in pages:
        found = errors(pages_schema, front_matter(page))
        expect(not found, f"{page.relative_to(REPO)} is refused by the front-matter schema: {found}")
    found = errors(site_schema, load((REPO / "site.yaml").read_text(encoding="utf-8")))
    expect(not found, f"site.yaml is refused by its schema: {found}")
    found = errors(glossary_schema, load((REPO / "glossary.yaml").read_text(encoding="utf-8")))
    expect(not found, f"glossary.yaml is refused by its schema: {found}")

    site_yaml = (REPO / "site.yaml").read_text(encoding="utf-8")
    for case in sorted((CASES / "page-ok").glob("*.md")) + sorted((CASES / "page-bad").glob("*.md")):
        good = case.parent.name == "page-ok"
        found = errors(pages_schema, front_matter(case))
        expect(bool(found) != good, f"{case.name}: the schema {'refuses' if found else 'accepts'} it: {found}")
        if pestle:
            by_pestle = pestle_errors(pestle, site_yaml, case)
            expect(bool(by_pestle) != good, f"{case.name}: pestle {'refuses' if by_pestle else 'accepts'} it: {by_pestle}")
    for case in sorted((CASES / "site-ok").glob("*.yaml")) + sorted((CASES / "site-bad").glob("*.yaml")):
        good = case.parent.name == "site-ok"
        text = case.read_text(encoding="utf-8")
        found = errors(site_schema, load(text))
        expect(bool(found) != good, f"{case.name}: the schema {'refuses' if found else 'accepts'} it: {found}")
        if pestle:
            by_pestle = pestle_errors(pestle, text)
            expect(bool(by_pestle) != good, f"{case.name}: pestle {'refuses' if by_pestle else 'accepts'} it: {by_pestle}")

    for f in failed:
        print(f"FAIL {f}")
    print(f"schemas: {len(pages)} real pages, site.yaml, glossary.yaml and {len(list(CASES.rglob('*.*')))} cases checked")
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
