"""pywsitest 0.3.8 in a throwaway virtual environment, measured in the same run as everything else."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

# websockets < 14 because pywsitest 0.3.8 uses the legacy client API (its headers break on 14+).
REQUIREMENTS = ["pywsitest==0.3.8", "websockets<14"]
SCRIPT = Path(__file__).with_name("pywsitest_scenarios.py")


def measure(base_url: str, count: int, repeats: int, two_user_repeats: int) -> dict:
    """Per-scenario seconds for scenario 2 and per-run seconds for the two-user example.

    Raises RuntimeError, with pip's or the script's output, if either step fails.
    """
    with tempfile.TemporaryDirectory(prefix="pywsitest-venv-") as folder:
        venv = Path(folder) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
        python = venv / "bin" / "python"
        install = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
        )
        if install.returncode != 0:
            raise RuntimeError(f"installing {' '.join(REQUIREMENTS)} failed:\n{install.stdout[-2000:]}")
        versions = subprocess.run(
            [str(python), "-c", "import importlib.metadata as m; print(m.version('pywsitest'), m.version('websockets'))"],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
            timeout=60,
        ).stdout.split()
        run = subprocess.run(
            [str(python), str(SCRIPT), base_url, str(count), str(repeats), str(two_user_repeats)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=1200,
        )
        if run.returncode != 0:
            raise RuntimeError(f"pywsitest's scenarios failed:\n{run.stdout[-3000:]}")
        result = json.loads(run.stdout.strip().splitlines()[-1])
        result["versions"] = {"pywsitest": versions[0], "websockets": versions[1]}
        return result
