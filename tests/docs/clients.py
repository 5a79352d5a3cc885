"""Generates Python clients from docs/openapi/ with openapi-python-client (from PyPI)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

SERVICES = ("full_node", "wallet")


def generate(root: Path, out: Path) -> list:
    """Generates `<service>_client` packages under `out` (emptied first), puts `out` on the
    import path and returns the problems: a failed run, or any warning, which means an endpoint
    or a model the generator could not handle."""
    tools = Path(sys.executable).parent
    # The generator formats its output with ruff, installed in the same venv.
    env = dict(os.environ, PATH=f"{tools}{os.pathsep}{os.environ.get('PATH', '')}")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    problems = []
    for service in SERVICES:
        run = subprocess.run(
            [str(tools / "openapi-python-client"), "generate", "--meta", "none",
             "--path", str(root / "docs/openapi" / f"{service}.json"),
             "--output-path", str(out / f"{service}_client")],
            env=env, capture_output=True, text=True, check=False)
        print(run.stdout.strip())
        if run.returncode != 0 or "Warning" in run.stdout or "Error" in run.stdout:
            problems.append(f"generating the {service} client: {run.stdout} {run.stderr}")
        modules = list((out / f"{service}_client/api").glob("*/*.py"))
        print(f"{service}_client: {len([m for m in modules if m.name != '__init__.py'])} endpoint modules")
    sys.path.insert(0, str(out))
    return problems
