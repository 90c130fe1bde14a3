"""Measure wsitest-steps beside its baselines, all in one run: ``python -m benchmarks``.

Starts the chat fixture once, in its own process, and measures against it:

1. pywsitest's scenario 2 per scenario: wsitest-steps in a real behave run, the same by hand
   with raw websocket-client, and pywsitest 0.3.8 (in a throwaway venv);
2. the two-user conversation: wsitest-steps vs pywsitest's published version (2 s sleep);
3. wake-up latency: an echo round trip through an actor's inbox vs a blocking ``recv()``;
4. scale: 10 to 1000 actors connecting and matching one broadcast, vs raw connections;
5. behave's own cost per scenario, empty and with four no-op steps.

Every figure is a median over repeated runs with min-max beside it. Library and baseline
runs alternate within each repeat, so machine noise falls on both alike. Nothing here ever
fails a test run: a missed target is reported, not raised.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from pathlib import Path

from . import behave_runs, latency, pywsitest_venv, raw
from .stats import Figure, ratio

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- results:start -->", "<!-- results:end -->"


def start_chat_server() -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "chat_server_fixture", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    banner = server.stdout.readline()
    if not banner.startswith("chat server listening on "):
        server.kill()
        raise SystemExit(f"the chat server did not start: {banner!r}")
    return server, banner.split(" on ", 1)[1].strip()


def scale_run(mode: str, actors: int, url: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale", mode, str(actors), url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        return {"error": result.stdout[-1500:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(args: argparse.Namespace, url: str, log) -> dict:
    figures: dict = {}
    runs: dict[str, list[float]] = {
        k: [] for k in ("lib", "api", "raw", "noop", "empty", "two_lib", "rt_lib", "rt_raw", "handoff")
    }
    for repeat in range(args.repeats):
        log(f"repeat {repeat + 1}/{args.repeats}: scenario 2, behave baselines, two users, round trips")
        runs["lib"].append(behave_runs.seconds_per_scenario("scenario two", args.scenarios, url))
        runs["raw"].append(raw.scenario_two(url, args.scenarios))
        runs["api"].append(latency.scenario_two(url, args.scenarios))
        runs["noop"].append(behave_runs.seconds_per_scenario("no-op steps", args.scenarios, url))
        runs["empty"].append(behave_runs.seconds_per_scenario("empty", args.scenarios, url))
        runs["two_lib"].append(behave_runs.seconds_per_scenario("two users", args.two_user_scenarios, url))
        round_trips, handoffs = latency.echo_round_trips(url, args.round_trips)
        runs["rt_lib"].append(statistics.median(round_trips))
        runs["handoff"].append(statistics.median(handoffs))
        runs["rt_raw"].append(statistics.median(raw.echo_round_trips(url, args.round_trips)))
    figures.update({k: Figure(tuple(v)) for k, v in runs.items()})

    if args.pywsitest:
        log("pywsitest 0.3.8: installing into a throwaway venv and running the same scenarios")
        try:
            measured = pywsitest_venv.measure(url.split("?")[0], args.scenarios, args.repeats, args.two_user_repeats)
            figures["pyws"] = Figure(tuple(measured["scenario_two"]))
            figures["two_pyws"] = Figure(tuple(measured["two_users"]))
            figures["pyws_versions"] = measured["versions"]
        except (RuntimeError, subprocess.SubprocessError) as exc:
            figures["pyws_error"] = str(exc).splitlines()[0]

    quiet_url = url + "&quiet=1"
    figures["scale"] = {}
    for actors in args.scale:
        log(f"scale: {actors} actors, {args.scale_repeats} repeats")
        rows: dict[str, list[dict]] = {"library": [], "raw": []}
        for repeat in range(args.scale_repeats):
            # Alternate which side goes first, so the server's state after a run favours neither.
            for mode in ("library", "raw") if repeat % 2 == 0 else ("raw", "library"):
                rows[mode].append(scale_run(mode, actors, quiet_url))
        figures["scale"][actors] = rows
    return figures


def versions() -> str:
    names = ["behave", "websocket-client", "PyHamcrest", "websockets"]
    return ", ".join(f"{n} {importlib.metadata.version(n)}" for n in names)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def table(f: dict, args: argparse.Namespace) -> str:
    lines = [
        "| Measure | wsitest-steps | Baseline (same run) | Comparison | Target | Met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lib, rawf, noop, empty = f["lib"], f["raw"], f["noop"], f["empty"]
    budget = rawf.median + noop.median
    lines.append(
        f"| Scenario 2, per scenario ({args.scenarios} in one behave run) | {lib.show()} | raw websocket-client by hand: "
        f"{rawf.show()}; behave with 4 no-op steps: {noop.show()} | {lib.median / budget:.2f} × (raw + behave) "
        f"| ≤ 1.5 × | {met(lib.median <= 1.5 * budget)} |"
    )
    strict = rawf.median + empty.median
    lines.append(
        f"| … same, against behave's empty scenario | {lib.show()} | raw + empty scenario: {(strict) * 1e3:.2f} ms "
        f"| {lib.median / strict:.2f} × | (stricter reading) | {met(lib.median <= 1.5 * strict)} |"
    )
    api = f["api"]
    lines.append(
        f"| Scenario 2 through the Python API (no behave) | {api.show()} | raw websocket-client by hand: {rawf.show()} "
        f"| {ratio(api, rawf):.2f} × | | |"
    )
    if "pyws" in f:
        version = f["pyws_versions"]["pywsitest"]
        lines.append(
            f"| Scenario 2 vs pywsitest {version}, both without behave | {api.show()} | pywsitest: {f['pyws'].show()} "
            f"| {ratio(f['pyws'], api):.2f} × as fast | faster | {met(api.median < f['pyws'].median)} |"
        )
        lines.append(
            f"| Scenario 2 vs pywsitest {version}, wsitest-steps in behave | {lib.show()} | pywsitest: {f['pyws'].show()} "
            f"| {ratio(f['pyws'], lib):.2f} × as fast | faster | {met(lib.median < f['pyws'].median)} |"
        )
        lines.append(
            f"| Two users talk (per scenario) | {f['two_lib'].show()} | pywsitest's published version: "
            f"{f['two_pyws'].show('s')} | {ratio(f['two_pyws'], f['two_lib']):.0f} × faster | ≥ 40 × | "
            f"{met(ratio(f['two_pyws'], f['two_lib']) >= 40)} |"
        )
    else:
        lines.append(
            f"| Scenario 2 and two users vs pywsitest | | not measured: {f.get('pyws_error', 'skipped (--no-pywsitest)')} | | | |"
        )
    diff = f["rt_lib"].median - f["rt_raw"].median
    lines.append(
        f"| Echo round trip, median of {args.round_trips} (wake-up latency) | {f['rt_lib'].show('us')} | blocking recv(): "
        f"{f['rt_raw'].show('us')} | {diff * 1e6:+.0f} µs | ≤ +50 µs | {met(diff <= 50e-6)} |"
    )
    lines.append(
        f"| … of which: reader thread hands the frame to the waiting step | {f['handoff'].show('us')} | (none: one thread) "
        f"| | | |"
    )
    for actors, rows in f["scale"].items():
        errors = [r["error"] for mode in rows.values() for r in mode if "error" in r]
        if errors:
            lines.append(f"| {actors} actors | failed | | {errors[0].splitlines()[-1][:200]} | | **no** |")
            continue
        pick = {
            m: {k: Figure(tuple(r[k] for r in rows[m])) for k in ("connect", "broadcast", "peak_mb", "grown_mb")} for m in rows
        }
        lib_s, raw_s = pick["library"], pick["raw"]
        target = "≤ 1.2 ×" if actors == max(f["scale"]) else ""
        verdict = met(ratio(lib_s["connect"], raw_s["connect"]) <= 1.2) if target else ""
        lines.append(
            f"| {actors} actors: connect all | {lib_s['connect'].show()} | raw: {raw_s['connect'].show()} "
            f"| {ratio(lib_s['connect'], raw_s['connect']):.2f} × | {target} | {verdict} |"
        )
        lines.append(
            f"| {actors} actors: one broadcast matched by all | {lib_s['broadcast'].show()} | raw: {raw_s['broadcast'].show()} "
            f"| {ratio(lib_s['broadcast'], raw_s['broadcast']):.2f} × | | |"
        )
        lines.append(
            f"| {actors} actors: peak RSS (growth) | {lib_s['peak_mb'].show('MB')} (+{lib_s['grown_mb'].median:.1f}) "
            f"| raw: {raw_s['peak_mb'].show('MB')} (+{raw_s['grown_mb'].median:.1f}) "
            f"| {ratio(lib_s['peak_mb'], raw_s['peak_mb']):.2f} × | | |"
        )
    lines.append(f"| behave alone: empty scenario | | {empty.show()} | | | |")
    lines.append(f"| behave alone: scenario of 4 no-op steps | | {noop.show()} | | | |")
    return "\n".join(lines)


def report(f: dict, args: argparse.Namespace, command: str) -> str:
    pyws = f.get("pyws_versions")
    pyws_text = f"; pywsitest {pyws['pywsitest']} with websockets {pyws['websockets']} in its own venv" if pyws else ""
    return "\n".join(
        [
            f"Produced by `{command}` on {datetime.date.today().isoformat()}.",
            "",
            f"Machine: {machine()}. Versions: {versions()}{pyws_text}.",
            f"Repeats: {args.repeats} (scale: {args.scale_repeats}); figures are medians with (min-max) over the repeats.",
            "",
            table(f, args),
        ]
    )


def write_section(path: Path, text: str) -> None:
    """Replace the generated section of ``path``, keeping any hand-written text around it."""
    block = f"{START}\n{text}\n{END}"
    old = path.read_text() if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START in old and END in old:
        new = old[: old.index(START)] + block + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    path.write_text(new)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="repeats of each measurement (default 5)")
    parser.add_argument("--scenarios", type=int, default=200, help="scenario-2 runs per behave run (default 200)")
    parser.add_argument("--two-user-scenarios", type=int, default=50, help="two-user scenarios per behave run (default 50)")
    parser.add_argument(
        "--two-user-repeats", type=int, default=3, help="runs of pywsitest's 2-second two-user example (default 3)"
    )
    parser.add_argument("--round-trips", type=int, default=2000, help="echo round trips per latency measurement (default 2000)")
    parser.add_argument(
        "--scale", type=int, nargs="+", default=[10, 100, 500, 1000], help="actor counts (default 10 100 500 1000)"
    )
    parser.add_argument("--scale-repeats", type=int, default=5, help="repeats of each scale measurement (default 5)")
    parser.add_argument("--no-pywsitest", dest="pywsitest", action="store_false", help="skip installing and measuring pywsitest")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check the benchmark itself runs")
    parser.add_argument("--write", type=Path, help="also write the results into this Markdown file (between markers)")
    args = parser.parse_args()
    if args.quick:
        args.repeats, args.scenarios, args.two_user_scenarios, args.two_user_repeats = 2, 10, 5, 1
        args.round_trips, args.scale, args.scale_repeats = 100, [10], 1
    # One socket per actor in the scale runs; the server process inherits this limit too.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    def log(message: str) -> None:
        print(f"[benchmarks] {message}", file=sys.stderr, flush=True)

    server, url = start_chat_server()
    try:
        figures = measure(args, url, log)
    finally:
        server.terminate()
        server.wait(30)
    command = "python -m benchmarks " + " ".join(sys.argv[1:])
    text = report(figures, args, command.strip())
    print(text)
    if args.write:
        write_section(args.write, text)


if __name__ == "__main__":
    main()
