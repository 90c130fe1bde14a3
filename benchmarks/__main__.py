"""Measure wsitest-steps beside its baselines, all in one run: ``python -m benchmarks``.

Starts the chat fixture once, in its own process, and measures against it:

1. pywsitest's scenario 2: whole behave processes as a user runs them (start-up included) beside
   raw websocket-client by hand and behave alone, each in a process of its own; the same per
   scenario inside one behave run; through the Python API; and pywsitest 0.3.8 (throwaway venv);
2. the two-user conversation: wsitest-steps vs pywsitest's published version (2 s sleep);
3. wake-up latency: an echo round trip through an actor's inbox vs a blocking ``recv()``;
4. behave's own work around the steps, with actors and without, and the reader threads' CPU;
5. large text frames (8 and 64 MiB) met by expectations of the vocabulary, vs the ``websockets``
   sync client, and a flood of 200,000 small frames vs websocket-client alone (their own server);
6. scale: 10 to 1000 actors connecting and matching one broadcast, vs raw connections read by one
   thread and by a thread per connection written by hand; resident memory an actor;
7. the import time of ``wsitest_steps.steps``, alone and in a behave process;
8. behave's own cost per scenario, empty and with four no-op steps;
9. Locust (the load extra), one process: how many simulated users running a feature file it holds
   connected, and the delivery of one broadcast to all of them, beside plain Locust users written
   by hand with websocket-client.

Every figure is a median over repeated runs with min-max beside it. Library and baseline
runs alternate within each repeat, so machine noise falls on both alike. Nothing here ever
fails a test run: a missed target is reported, not raised.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import behave_runs, frames, imports, latency, load, pywsitest_venv, raw
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


def raw_process(url: str, count: int) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "benchmarks.raw", url, str(count)],
        cwd=ROOT,
        check=True,
        timeout=600,
        env=behave_runs.bytecode_written(),
    )
    return time.perf_counter() - started


def measure(args: argparse.Namespace, url: str, log) -> dict:
    figures: dict = {}
    runs: dict[str, list[float]] = {
        k: []
        for k in (
            "lib",
            "api",
            "raw",
            "noop",
            "empty",
            "two_lib",
            "rt_lib",
            "rt_raw",
            "handoff",
            "proc_lib",
            "proc_raw",
            "proc_behave",
            "share_steps",
            "share_behave",
            "share_readers",
            "share_noop",
        )
    }
    for repeat in range(args.repeats):
        log(f"repeat {repeat + 1}/{args.repeats}: whole processes, scenario 2, behave baselines, two users, round trips")
        # Whole processes first, in alternating order, so that noise falls on both sides alike.
        runs["proc_lib"].append(behave_runs.whole_process("scenario two", args.process_scenarios, url))
        runs["proc_raw"].append(raw_process(url, args.process_scenarios))
        runs["proc_behave"].append(behave_runs.whole_process("one step", args.process_scenarios, url, library=False))
        share = behave_runs.behave_share("scenario two", args.scenarios, url)
        runs["share_steps"].append(share["steps"])
        runs["share_behave"].append(share["behave"])
        runs["share_readers"].append(share["readers"])
        runs["share_noop"].append(behave_runs.behave_share("no-op steps", args.scenarios, url)["behave"])
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

    log(f"large frames {', '.join(mib(s) for s in args.big)} and a flood of {args.flood:,} frames, against their own server")
    figures["big"], figures["flood"] = measure_frames(args)

    quiet_url = url + "&quiet=1"
    figures["scale"] = {}
    for actors in args.scale:
        log(f"scale: {actors} actors, {args.scale_repeats} repeats")
        rows: dict[str, list[dict]] = {"library": [], "raw": [], "threads": []}
        for repeat in range(args.scale_repeats):
            # Rotate which side goes first, so the server's state after a run favours none.
            modes = ("library", "raw", "threads")
            for mode in modes[repeat % 3 :] + modes[: repeat % 3]:
                rows[mode].append(scale_run(mode, actors, quiet_url))
        figures["scale"][actors] = rows

    figures["load"] = {}
    if importlib.util.find_spec("locust") is None:
        figures["load_error"] = "Locust is not installed (pip install 'wsitest-steps[load]', Python 3.11 or newer)"
    for users in args.load_users if "load_error" not in figures else []:
        log(f"Locust: {users} users in one process, feature file and by hand")
        figures["load"][users] = {mode: load.run(mode, users, quiet_url) for mode in ("library", "hand")}

    log(f"import time, {args.import_readings} readings of each kind")
    readings = [imports.measure() for _ in range(args.import_readings)]
    figures["imports"] = {
        kind: {module: Figure(tuple(r[kind][module] for r in readings)) for module in readings[0][kind]} for kind in readings[0]
    }
    return figures


def mib(size: int) -> str:
    return f"{size / 2**20:g} MiB"


def measure_frames(args: argparse.Namespace) -> tuple[dict, dict]:
    server, url = frames.start_server()
    try:
        big: dict = {}
        for size in args.big:
            rows = {"websockets": frames.big_frame_websockets(url, size, args.big_repeats)}
            for expectation in frames.BIG_FRAME_EXPECTATIONS:
                rows[expectation] = frames.big_frame_library(url, size, expectation, args.big_repeats)
            big[size] = {name: Figure(tuple(times)) for name, times in rows.items()}
        flood: dict[str, list[float]] = {"library": [], "websocket-client": []}
        for _ in range(args.flood_repeats):
            flood["library"].append(frames.flood_library(url, args.flood))
            flood["websocket-client"].append(frames.flood_websocket_client(url, args.flood))
        return big, {name: Figure(tuple(times)) for name, times in flood.items()}
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(30)


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
    add = lines.append
    proc_lib, proc_raw, proc_behave = f["proc_lib"], f["proc_raw"], f["proc_behave"]
    proc_budget = proc_raw.median + proc_behave.median
    add(
        f"| Scenario 2, whole behave process ({args.process_scenarios} scenarios, start-up included) | {proc_lib.show()} "
        f"| raw websocket-client by hand, its own process: {proc_raw.show()}; behave alone with one no-op step a scenario: "
        f"{proc_behave.show()} | {proc_lib.median / proc_budget:.2f} × (raw + behave) | ≤ 1.3 × (1.5 the least acceptable) "
        f"| {met(proc_lib.median <= 1.3 * proc_budget)} |"
    )
    lib, rawf, noop, empty = f["lib"], f["raw"], f["noop"], f["empty"]
    budget = rawf.median + noop.median
    add(
        f"| … softer reading: per scenario inside one behave run ({args.scenarios}, between before_all and after_all) "
        f"| {lib.show()} | raw websocket-client by hand: {rawf.show()}; behave with 4 no-op steps: {noop.show()} "
        f"| {lib.median / budget:.2f} × (raw + behave) | | |"
    )
    strict = rawf.median + empty.median
    add(
        f"| … same, against behave's empty scenario | {lib.show()} | raw + empty scenario: {strict * 1e3:.2f} ms "
        f"| {lib.median / strict:.2f} × | | |"
    )
    api = f["api"]
    add(
        f"| Scenario 2 through the Python API (no behave) | {api.show()} | raw websocket-client by hand: {rawf.show()} "
        f"| {ratio(api, rawf):.2f} × | | |"
    )
    if "pyws" in f:
        version = f["pyws_versions"]["pywsitest"]
        add(
            f"| Scenario 2 vs pywsitest {version}, both without behave | {api.show()} | pywsitest: {f['pyws'].show()} "
            f"| {ratio(api, f['pyws']):.2f} × pywsitest's time | ≤ 0.9 × | {met(ratio(api, f['pyws']) <= 0.9)} |"
        )
        add(
            f"| Scenario 2 vs pywsitest {version}, wsitest-steps in behave | {lib.show()} | pywsitest: {f['pyws'].show()} "
            f"| {ratio(lib, f['pyws']):.2f} × pywsitest's time | | |"
        )
        add(
            f"| Two users talk (per scenario) | {f['two_lib'].show()} | pywsitest's published version: "
            f"{f['two_pyws'].show('s')} | {ratio(f['two_pyws'], f['two_lib']):.0f} × faster | ≥ 40 × | "
            f"{met(ratio(f['two_pyws'], f['two_lib']) >= 40)} |"
        )
    else:
        add(
            f"| Scenario 2 and two users vs pywsitest | | not measured: {f.get('pyws_error', 'skipped (--no-pywsitest)')} | | | |"
        )
    diff = f["rt_lib"].median - f["rt_raw"].median
    add(
        f"| Echo round trip, median of {args.round_trips} (wake-up latency) | {f['rt_lib'].show('us')} | blocking recv(): "
        f"{f['rt_raw'].show('us')} | {diff * 1e6:+.0f} µs | ≤ +50 µs | {met(diff <= 50e-6)} |"
    )
    add(
        f"| … of which: reader thread hands the frame to the waiting step | {f['handoff'].show('us')} | (none: one thread) | | | |"
    )
    add(
        f"| behave's own work a scenario, around the steps of scenario 2 | {f['share_behave'].show()} "
        f"| around 4 no-op steps: {f['share_noop'].show()} | {ratio(f['share_behave'], f['share_noop']):.2f} × | | |"
    )
    add(
        f"| … CPU time of the actors' reader threads a scenario, meanwhile | {f['share_readers'].show()} "
        f"| (in the steps: {f['share_steps'].show()}) | | | |"
    )
    for size, rows in f["big"].items():
        base = rows["websockets"]
        for name, figure in rows.items():
            if name == "websockets":
                continue
            add(
                f"| {mib(size)} text frame, then `receives {name}` | {figure.show()} | websockets sync client receiving it: "
                f"{base.show()} | {ratio(figure, base):.2f} × | ≤ 2 × | {met(ratio(figure, base) <= 2)} |"
            )
    flood = f["flood"]
    add(
        f"| {args.flood:,} small frames, then the expected one | {flood['library'].show('s')} | websocket-client by hand, "
        f"each parsed: {flood['websocket-client'].show('s')} | {ratio(flood['library'], flood['websocket-client']):.2f} × "
        f"| ≤ 1.3 × | {met(ratio(flood['library'], flood['websocket-client']) <= 1.3)} |"
    )
    largest = max(f["scale"])
    for actors, rows in f["scale"].items():
        errors = [r["error"] for mode in rows.values() for r in mode if "error" in r]
        if errors:
            add(f"| {actors} actors | failed | | {errors[0].splitlines()[-1][:200]} | | **no** |")
            continue
        pick = {m: {k: Figure(tuple(r[k] for r in rows[m])) for k in ("connect", "broadcast", "grown_mb")} for m in rows}
        lib_s, raw_s, thr_s = pick["library"], pick["raw"], pick["threads"]
        at_largest = actors == largest
        add(
            f"| {actors} actors: connect all | {lib_s['connect'].show()} | raw: {raw_s['connect'].show()} "
            f"| {ratio(lib_s['connect'], raw_s['connect']):.2f} × | {'≤ 1.2 ×' if at_largest else ''} "
            f"| {met(ratio(lib_s['connect'], raw_s['connect']) <= 1.2) if at_largest else ''} |"
        )
        add(
            f"| {actors} actors: one broadcast matched by all | {lib_s['broadcast'].show()} | raw, read by one thread: "
            f"{raw_s['broadcast'].show()}; a thread per connection by hand: {thr_s['broadcast'].show()} "
            f"| {ratio(lib_s['broadcast'], raw_s['broadcast']):.2f} × raw; {ratio(lib_s['broadcast'], thr_s['broadcast']):.2f} × "
            f"threads by hand | {'≤ 2 × raw' if at_largest else ''} "
            f"| {met(ratio(lib_s['broadcast'], raw_s['broadcast']) <= 2) if at_largest else ''} |"
        )
        per = {m: pick[m]["grown_mb"].median * 2**20 / 1000 / actors for m in pick}
        add(
            f"| {actors} actors: resident memory an actor | {per['library']:.1f} KB (+{lib_s['grown_mb'].median:.1f} MB) "
            f"| raw: {per['raw']:.1f} KB; a thread per connection by hand: {per['threads']:.1f} KB "
            f"| {per['library'] / max(per['raw'], 0.001):.2f} × raw | {'≤ 12 KB' if at_largest else ''} "
            f"| {met(per['library'] <= 12) if at_largest else ''} |"
        )
    for kind, label in (("alone", "in a fresh interpreter"), ("in_behave", "added to a behave process")):
        reading = f["imports"][kind]
        own = reading[imports.TARGET]
        shares = "; ".join(
            f"{name}: {reading[module].show()}"
            for module, name in (("hamcrest", "PyHamcrest"), ("websocket", "websocket-client"), ("behave", "behave"))
            if kind == "alone" or module != "behave"  # in a behave process, behave is there before
        )
        add(
            f"| import wsitest_steps.steps, {label} | {own.show()} | of which {shares} | | ≤ 40 ms | {met(own.median <= 0.040)} |"
        )
    if "load_error" in f:
        add(f"| Locust, one process | | not measured: {f['load_error']} | | | |")
    for users, modes in f["load"].items():
        lib_l, hand_l = modes["library"], modes["hand"]
        add(
            f"| Locust, {users:,} users in one process: one broadcast delivered to all (p50 / p95 / p99) "
            f"| {_delivery(lib_l)} | plain Locust users with websocket-client: {_delivery(hand_l)} "
            f"| {_p50_ratio(lib_l, hand_l)} | | |"
        )
    add(f"| behave alone: empty scenario | | {empty.show()} | | | |")
    add(f"| behave alone: scenario of 4 no-op steps | | {noop.show()} | | | |")
    return "\n".join(lines)


def _delivery(result: dict) -> str:
    if "error" in result:
        return "failed: " + result["error"].strip().splitlines()[-1][:150]
    held = "held" if result["connected"] == result["heard"] == result["users"] else "**not held**"
    times = " / ".join(f"{result[p] * 1e3:.1f}" for p in ("p50", "p95", "p99")) if "p50" in result else "none heard"
    return f"{times} ms ({result['heard']:,} of {result['users']:,} heard it: {held})"


def _p50_ratio(library: dict, hand: dict) -> str:
    if "p50" not in library or "p50" not in hand:
        return ""
    return f"{library['p50'] / hand['p50']:.2f} × at p50"


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
    parser.add_argument(
        "--process-scenarios", type=int, default=300, help="scenario-2 runs in each whole behave process (default 300)"
    )
    parser.add_argument(
        "--big", type=int, nargs="+", default=[8 * 2**20, 64 * 2**20], help="large frame sizes in bytes (default 8 and 64 MiB)"
    )
    parser.add_argument("--big-repeats", type=int, default=3, help="frames of each size per expectation (default 3)")
    parser.add_argument("--flood", type=int, default=200_000, help="frames in the flood (default 200000)")
    parser.add_argument("--flood-repeats", type=int, default=3, help="floods on each side (default 3)")
    parser.add_argument("--import-readings", type=int, default=5, help="readings of the import time (default 5)")
    parser.add_argument(
        "--load-users",
        type=int,
        nargs="*",
        default=[1000, 4000, 8000],
        help="Locust users in one process (default 1000 4000 8000)",
    )
    parser.add_argument("--no-pywsitest", dest="pywsitest", action="store_false", help="skip installing and measuring pywsitest")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check the benchmark itself runs")
    parser.add_argument("--write", type=Path, help="also write the results into this Markdown file (between markers)")
    args = parser.parse_args()
    if args.quick:
        args.repeats, args.scenarios, args.two_user_scenarios, args.two_user_repeats = 2, 10, 5, 1
        args.round_trips, args.scale, args.scale_repeats = 100, [10], 1
        args.process_scenarios, args.big, args.big_repeats, args.flood, args.flood_repeats = 10, [2**20], 1, 2000, 1
        args.import_readings, args.load_users = 1, [20]
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
