#!/usr/bin/env python3
"""Validate sample messages against the schemas in this folder.

Usage: python3 Schemas/validate.py DIR

Every file DIR/<schema>--<anything>.json is checked against the schema named
by the part before the first "--", with "__" standing for "/" and ".json"
added: messages__command-reply--001.json is checked against
messages/command-reply.json, cloudevent--17.json against cloudevent.json.

Relative "$ref"s between schema files resolve through a registry of every
schema under this folder, keyed by its "$id". "format": "date" is checked.

Prints one line per validation error, naming the file and the JSON path,
then "validated N files". Exit status: 0 when every file is valid, 1 when
some file is invalid (or is not valid JSON), 2 when a file names no existing
schema, DIR is missing or empty, or a schema itself is broken.

Needs the jsonschema (4.18 or later) and referencing packages.
"""

import json
import os
import sys

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError, best_match
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = os.path.dirname(os.path.abspath(__file__))
BASE_ID = "https://petition-followup.example/schemas/"
MAX_MESSAGE = 300


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def strict_json(path: str):
    """Parses a JSON file as the system would: UTF-8, no NaN or Infinity."""

    def refuse_constant(name):
        raise ValueError(f"{name} is not JSON")

    with open(path, "rb") as f:
        raw = f.read()
    return json.loads(raw.decode("utf-8"), parse_constant=refuse_constant)


def load_schemas():
    """Every *.json under SCHEMA_DIR but the OpenAPI document: {relative path: schema}, and a registry keyed by $id."""
    schemas = {}
    problems = []
    for root, dirs, files in os.walk(SCHEMA_DIR):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.endswith(".json") or name.startswith("."):
                continue
            if root == SCHEMA_DIR and name == "openapi.json":
                continue  # the HTTP API's OpenAPI document, not a JSON Schema
            path = os.path.join(root, name)
            rel = os.path.relpath(path, SCHEMA_DIR).replace(os.sep, "/")
            try:
                schema = strict_json(path)
                Draft202012Validator.check_schema(schema)
            except (ValueError, SchemaError) as e:
                problems.append(f"schema {rel} is broken: {short(str(e))}")
                continue
            expected = BASE_ID + rel
            if schema.get("$id") != expected:
                problems.append(f"schema {rel} has $id {schema.get('$id')!r}, expected {expected!r}")
                continue
            schemas[rel] = schema
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema in schemas.values()
    )
    return schemas, registry, problems


def schema_of(filename: str):
    """The schema path a sample file names, or None."""
    if not filename.endswith(".json") or "--" not in filename:
        return None
    prefix = filename.split("--", 1)[0]
    if not prefix:
        return None
    return prefix.replace("__", "/") + ".json"


def explain(error) -> str:
    """The error's message; for anyOf, oneOf and not (whose messages repeat the
    whole instance) the rule's own description, or the most relevant sub-error."""
    if error.validator in ("anyOf", "oneOf", "not"):
        description = error.schema.get("description") if isinstance(error.schema, dict) else None
        if description:
            return short(f"{description} [{error.validator}]")
        if error.context:
            return short(best_match(error.context).message)
        return short(f"fails the '{error.validator}' rule")
    return short(error.message)


def json_path(error) -> str:
    parts = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return "$" + parts


def main(argv) -> int:
    if len(argv) != 2:
        print("usage: python3 Schemas/validate.py DIR", file=sys.stderr)
        return 2
    folder = argv[1]
    if not os.path.isdir(folder):
        print(f"{folder}: not a folder", file=sys.stderr)
        return 2

    schemas, registry, problems = load_schemas()
    for problem in problems:
        print(problem)
    if problems:
        return 2

    files = sorted(
        name for name in os.listdir(folder)
        if not name.startswith(".") and os.path.isfile(os.path.join(folder, name))
    )
    if not files:
        print(f"{folder}: no files to validate")
        print("validated 0 files")
        return 2

    format_checker = FormatChecker(formats=["date"])
    validators = {}
    invalid = 0
    unnamed = 0
    validated = 0
    for name in files:
        rel = schema_of(name)
        if rel is None or rel not in schemas:
            why = "does not name a schema (expected <schema>--<anything>.json)" if rel is None else f"names schema {rel}, which does not exist"
            print(f"{name}: {why}")
            unnamed += 1
            continue
        try:
            instance = strict_json(os.path.join(folder, name))
        except (ValueError, UnicodeDecodeError) as e:
            print(f"{name}: not valid JSON: {short(str(e))}")
            invalid += 1
            validated += 1
            continue
        validator = validators.get(rel)
        if validator is None:
            validator = Draft202012Validator(schemas[rel], registry=registry, format_checker=format_checker)
            validators[rel] = validator
        try:
            errors = sorted(validator.iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message))
        except Unresolvable as e:
            print(f"{name}: schema {rel} has an unresolvable reference: {e}")
            return 2
        validated += 1
        if errors:
            invalid += 1
            for error in errors:
                print(f"{name}: {json_path(error)}: {explain(error)} (schema {rel}, {'/'.join(map(str, error.absolute_schema_path))})")

    print(f"validated {validated} files" + (f", {invalid} invalid" if invalid else "") + (f", {unnamed} naming no schema" if unnamed else ""))
    if unnamed:
        return 2
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
