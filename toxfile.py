"""tox's inline plugin for this project: every installed Python 3.10-3.13 is found, or named as missing.

tox finds interpreters on PATH. Under pyenv, PATH holds only shims, which run the one global
version, so tox skipped the other versions without a word. At start-up this puts the bin folder
of each pyenv-installed 3.10-3.13 on PATH (as .ci/run used to do by hand) and says which of the
four versions it could not find at all, so a skipped environment is never a surprise.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tox.plugin import impl

VERSIONS = ("3.10", "3.11", "3.12", "3.13")


def _pyenv_versions() -> dict[str, Path]:
    """The newest pyenv-installed patch release of each version, by its bin folder."""
    root = os.environ.get("PYENV_ROOT") or (
        subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip() if shutil.which("pyenv") else ""
    )
    found: dict[str, Path] = {}
    if not root:
        return found
    for folder in sorted(Path(root, "versions").glob("3.1[0-3].*"), key=lambda p: [int(x) for x in re.findall(r"\d+", p.name)]):
        minor = ".".join(folder.name.split(".")[:2])
        if re.fullmatch(r"3\.1[0-3]\.\d+", folder.name) and (folder / "bin" / "python3").exists():
            found[minor] = folder / "bin"
    return found


@impl
def tox_add_core_config(core_conf: Any, state: Any) -> None:
    pyenv = _pyenv_versions()
    if pyenv:
        os.environ["PATH"] = os.pathsep.join([*(str(path) for path in pyenv.values()), os.environ.get("PATH", "")])
    missing = [version for version in VERSIONS if version not in pyenv and shutil.which(f"python{version}") is None]
    if missing:
        names = ", ".join(f"py{version.replace('.', '')}" for version in missing)
        print(
            f"tox: Python {', '.join(missing)} not found (on PATH or in pyenv), so {names} will be skipped; "
            "install them (e.g. pyenv install 3.12) to run every environment.",
            file=sys.stderr,
        )
