"""Generates the full node's and the wallet's Python clients from docs/openapi/ and parses every
reply captured from those services in tests/fixtures/ with them: a success reply must become the
endpoint's response model, a failure reply the failure envelope, and both must turn back into
the same JSON (big integers exact).

Usage: python client_offline.py WORKSPACE_ROOT OUT_DIR
Ends with 'N passed, N failed'; exits 1 on any failure.
"""

import importlib
import json
import sys
from pathlib import Path

from clients import SERVICES, generate

root, out = Path(sys.argv[1]), Path(sys.argv[2])
failures = generate(root, out)
passed = 0


class Captured:
    """What the generated code reads of an httpx response."""

    status_code = 200

    def __init__(self, body):
        self.body = body

    def json(self):
        return self.body


def same(sent, parsed):
    """Whether `parsed` (from to_dict) says what `sent` said; keys the model does not name are
    kept by the generated models too."""
    return json.dumps(sent, sort_keys=True) == json.dumps(parsed, sort_keys=True)


for service in SERVICES if not failures else ():
    package = f"{service}_client"
    models = importlib.import_module(f"{package}.models")
    modules = {m.stem: m.parent.name for m in (out / package / "api").glob("*/*.py")}
    for path in sorted(root.glob(f"tests/fixtures/chia-*/{service}/*.json")):
        stem = path.name[: -len(".json")]
        if stem.endswith(".request"):
            continue
        route = stem.split(".")[0]
        body = json.loads(path.read_text())
        try:
            api = importlib.import_module(f"{package}.api.{modules[route]}.{route}")
            parsed = api._parse_response(client=None, response=Captured(body))
            name = "".join(word.capitalize() for word in route.split("_")) + "Response"
            want = models.RpcFailure if ".failure" in stem else getattr(models, name)
            assert isinstance(parsed, want), f"parsed as {type(parsed).__name__}, not {want.__name__}"
            assert same(body, parsed.to_dict()), "to_dict() does not give the reply back"
            passed += 1
        except Exception as err:  # noqa: BLE001 - every capture is reported
            failures.append(f"{path.relative_to(root)}: {type(err).__name__}: {str(err)[:300]}")
print(f"generated clients: {passed} captured replies parsed and written back")
for failure in failures:
    print(f"FAILED {failure}")
print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
