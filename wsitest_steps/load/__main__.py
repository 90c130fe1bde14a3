"""``python -m wsitest_steps.load``: feature files as a Locust load test.

Everything after ``--`` goes to Locust as it is (``--headless``, ``-u``, ``--master``,
``--worker``, ``--csv`` ...); the master and each worker are started with the same command.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _weight(text: str) -> tuple[str, int]:
    tag, sep, number = text.partition("=")
    if not sep or not number.strip().isdigit() or int(number) < 1:
        raise argparse.ArgumentTypeError(f"--weight {text!r}: write a tag and a whole number of at least 1, e.g. @chat=3")
    return tag.strip(), int(number)


def _define(text: str) -> str:
    if not text.partition("=")[0].strip():
        raise argparse.ArgumentTypeError(f"-D {text!r}: write KEY=VALUE, as for behave")
    return text


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m wsitest_steps.load",
        description="Run the scenarios of feature files as a Locust load test; options after -- go to Locust.",
    )
    parser.add_argument("features", nargs="+", help="feature files, or directories of them")
    parser.add_argument("--tags", nargs="+", default=[], help="run only scenarios with one of these tags; ~@TAG excludes")
    parser.add_argument(
        "--weight", type=_weight, action="append", default=[], help="TAG=N: scenarios with the tag run N times as often"
    )
    parser.add_argument("-D", "--define", type=_define, action="append", default=[], help="KEY=VALUE userdata, as for behave")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    ours, locust_args = (args[: args.index("--")], args[args.index("--") + 1 :]) if "--" in args else (args, [])
    options = parser().parse_args(ours)
    if importlib.util.find_spec("locust") is None:
        parser().error(
            "the load test runs on Locust, which is not installed: pip install 'wsitest-steps[load]' "
            "(Locust needs Python 3.11 or newer)"
        )
    missing = [f for f in options.features if not Path(f).exists()]
    if missing:
        parser().error(f"no such feature file or directory: {', '.join(missing)}")
    asked = {
        "features": [str(Path(f).resolve()) for f in options.features],
        "tags": options.tags,
        "weights": dict(options.weight),
        "userdata": dict(d.split("=", 1) if "=" in d else (d, "true") for d in options.define),
    }
    env = {**os.environ, "WSITEST_LOAD": json.dumps(asked)}
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), *locust_args]
    if os.name == "posix":
        os.execve(sys.executable, command, env)  # the master or worker is this process: signals reach it
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
