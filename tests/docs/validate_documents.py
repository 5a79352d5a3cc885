"""Validates the published documents under docs/ with validators from PyPI, then every reply
captured in tests/fixtures/ against its endpoint's published OpenAPI response schema and every
captured request against its request schema; the daemon's replies, requests and pushes against
the AsyncAPI document.

Usage: python validate_documents.py WORKSPACE_ROOT
Prints one line per check and ends with 'N passed, N failed'; exits 1 on any failure.
"""

import copy
import json
import sys
from pathlib import Path

from jsonschema import Draft7Validator, Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7, DRAFT202012

root = Path(sys.argv[1])
docs = root / "docs"
passed = 0
failures = []


def check(name, run):
    global passed
    try:
        run()
        passed += 1
    except Exception as err:  # noqa: BLE001 - every failure is reported, none stops the run
        failures.append(f"{name}: {str(err)[:600]}")


def load(path):
    # Python's json keeps uint128 values exact.
    return json.loads(path.read_text())


# 1. Every OpenAPI document passes openapi-spec-validator (OpenAPI 3.1 with its JSON Schema
#    dialect); every JSON Schema document and every schema inside it passes the 2020-12 metaschema.
openapi = {path.stem: load(path) for path in sorted((docs / "openapi").glob("*.json"))}
for name, doc in openapi.items():
    check(f"openapi/{name}.json", lambda doc=doc: validate_openapi(doc))
json_schema = {path.stem: load(path) for path in sorted((docs / "json-schema").glob("*.json"))}
for name, doc in json_schema.items():
    check(f"json-schema/{name}.json", lambda doc=doc: Draft202012Validator.check_schema(doc))
print(f"documents: {len(openapi)} OpenAPI, {len(json_schema)} JSON Schema")


def strict(schema):
    """The schema refusing keys it does not name, as chia-rpc's strict decode does."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node.setdefault("additionalProperties", False)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def validator(doc, pointer):
    registry = Registry().with_resource("urn:doc", Resource(contents=doc, specification=DRAFT202012))
    return Draft202012Validator({"$ref": "urn:doc#" + pointer}, registry=registry)


validators = {}
for name, doc in openapi.items():
    for kind, document in (("lenient", doc), ("strict", strict(doc))):
        for path in document["paths"]:
            route = path[1:]
            post = f"/paths/~1{route}/post"
            validators[(name, route, kind, "reply")] = validator(
                document, post + "/responses/200/content/application~1json/schema")
            validators[(name, route, kind, "request")] = validator(
                document, post + "/requestBody/content/application~1json/schema")


def document_of(directory, stem):
    """The OpenAPI document and route a captured file belongs to."""
    route, _, served_by = stem.partition(".")
    if directory == "shared":
        # `get_connections.farmer`, `get_connections.wallet-peers`; a plain name is the simulator's.
        service = served_by.split("-")[0] if served_by and not served_by.startswith("failure") else "simulator"
        return service, route
    return directory, route


# The daemon's replies and the pushes are checked against the AsyncAPI document below.
fixtures = sorted(path for path in root.glob("tests/fixtures/chia-*/*/*.json")
                  if path.parent.name not in ("daemon", "events"))
counts = {"reply": 0, "request": 0, "failure": 0}
for path in fixtures:
    stem = path.name[: -len(".json")]
    is_request = stem.endswith(".request")
    if is_request:
        stem = stem[: -len(".request")]
    service, route = document_of(path.parent.name, stem)
    kind = "request" if is_request else "reply"
    lenient = validators.get((service, route, "lenient", kind))
    if lenient is None:
        failures.append(f"{path.relative_to(root)}: no endpoint {route} in docs/openapi/{service}.json")
        continue
    if is_request and ".failure" in stem:
        continue  # a request made to fail may break its schema on purpose
    body = load(path)
    if ".failure" in stem:
        counts["failure"] += 1
        if body.get("success") is not False:
            failures.append(f"{path.relative_to(root)}: a failure capture that does not fail")
    else:
        counts[kind] += 1

    def run(body=body, service=service, route=route, kind=kind):
        for mode in ("lenient", "strict"):
            errors = sorted(validators[(service, route, mode, kind)].iter_errors(body), key=str)
            if errors:
                where = "/".join(map(str, errors[0].absolute_path))
                raise AssertionError(f"{mode}: {len(errors)} errors, first at '{where}': {errors[0].message}")

    check(f"{path.relative_to(root)} against docs/openapi/{service}.json {route}", run)
print(f"captured: {counts['reply']} replies, {counts['failure']} failure replies, "
      f"{counts['request']} requests validated against their endpoints' schemas")

# 3. The daemon's captured replies and requests against the `data` of their AsyncAPI messages,
#    and every captured push, a whole message, against the message with its origin and command.
asyncapi = load(docs / "asyncapi" / "daemon.json")


def asyncapi_validator(document, pointer):
    registry = Registry().with_resource("urn:asyncapi", Resource(contents=document, specification=DRAFT7))
    return Draft7Validator({"$ref": "urn:asyncapi#" + pointer}, registry=registry)


def against_asyncapi(path, pointer, body):
    def run():
        for mode, document in (("lenient", asyncapi), ("strict", strict(asyncapi))):
            errors = sorted(asyncapi_validator(document, pointer).iter_errors(body), key=str)
            if errors:
                where = "/".join(map(str, errors[0].absolute_path))
                raise AssertionError(f"{mode}: {len(errors)} errors, first at '{where}': {errors[0].message}")

    check(f"{path.relative_to(root)} against docs/asyncapi/daemon.json {pointer}", run)


messages = asyncapi["components"]["messages"]
daemon_counts = {"reply": 0, "request": 0, "push": 0}
for path in sorted(root.glob("tests/fixtures/chia-*/daemon/*.json")):
    stem = path.name[: -len(".json")]
    kind = "request" if stem.endswith(".request") else "reply"
    command = stem.split(".")[0]
    if kind == "request" and ".failure" in stem:
        continue
    if f"{command}_{kind}" not in messages:
        failures.append(f"{path.relative_to(root)}: no message {command}_{kind} in docs/asyncapi/daemon.json")
        continue
    daemon_counts[kind] += 1
    against_asyncapi(path, f"/components/messages/{command}_{kind}/payload/properties/data", load(path))
for path in sorted(root.glob("tests/fixtures/chia-*/events/*.json")):
    body = load(path)
    named = [name for name, message in messages.items()
             if message["payload"]["properties"].get("origin", {}).get("const") == body.get("origin")
             and message["payload"]["properties"].get("command", {}).get("const") == body.get("command")
             and not name.endswith(("_reply", "_request"))]
    if not named:
        failures.append(f"{path.relative_to(root)}: no message for {body.get('origin')} {body.get('command')}")
        continue
    daemon_counts["push"] += 1
    against_asyncapi(path, f"/components/messages/{named[0]}/payload", body)
print(f"daemon: {daemon_counts['reply']} replies, {daemon_counts['request']} requests and "
      f"{daemon_counts['push']} pushes validated against the AsyncAPI document")
# The checks can fail: a captured reply with a key the schema does not name fails the strict
# check, and one with a mistyped amount fails both.
state = load(next(root.glob("tests/fixtures/chia-*/full_node/get_blockchain_state.json")))
unknown = dict(state, brand_new_key=1)
mistyped = copy.deepcopy(state)
mistyped["blockchain_state"]["space"] = str(mistyped["blockchain_state"]["space"])


def refuses():
    reply = ("full_node", "get_blockchain_state")
    assert validators[(*reply, "lenient", "reply")].is_valid(state), "the capture itself"
    assert validators[(*reply, "lenient", "reply")].is_valid(unknown), "lenient takes new keys"
    assert not validators[(*reply, "strict", "reply")].is_valid(unknown), "strict takes new keys"
    assert not validators[(*reply, "lenient", "reply")].is_valid(mistyped), "a string for a uint128"


check("altered replies are refused", refuses)
for failure in failures:
    print(f"FAILED {failure}")
print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
