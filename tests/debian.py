"""Debian packages the tests need (chromium, rabbitmq-server), installed with apt-get when running as root."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable

INSTALL_TIMEOUT = 900


def find_or_install(package: str, found: Callable[[], str | None]) -> str | None:
    """What ``found`` finds, installing ``package`` first when it finds nothing and apt-get may run."""
    present = found()
    if present or os.geteuid() != 0 or not shutil.which("apt-get"):
        return present
    # Several tox environments run at once: one installs, the others wait for it.
    with open(os.path.join(tempfile.gettempdir(), f"wsitest-{package}-install.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not found():
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            install = ["apt-get", "install", "-y", "-q", package]
            if subprocess.run(install, env=env, check=False, capture_output=True, timeout=INSTALL_TIMEOUT).returncode:
                subprocess.run(["apt-get", "update", "-q"], env=env, check=False, capture_output=True, timeout=INSTALL_TIMEOUT)
                subprocess.run(install, env=env, check=False, capture_output=True, timeout=INSTALL_TIMEOUT)
    return found()
