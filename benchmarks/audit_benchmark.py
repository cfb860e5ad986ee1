"""Benchmark: a whole audit of the generated estate (benchmarks/estate.py), against ciscoconfparse2 alone.

In one run, on the same files, in the same order:

(a) ciscoconfparse2 alone: every file read and parsed with ``CiscoConfParse(lines, syntax=...,
    loguru=False, ignore_blank_lines=False)`` in one process (a subprocess of this one that imports
    nothing of netaudit), as a library user would call it: the floor the acceptance compares the
    audit with; and, for comparison, the same without ciscoconfparse2's logging wrappers, as
    netaudit runs it (parsers/ccp_unwrap.py);
(b) ``netaudit audit`` as the CLI runs it (every registered check, JSON report to a file), with an
    empty model cache: wall time, and peak memory of the whole process tree (the audit and its
    parser processes, sampled every 20 ms from /proc) beside the largest single process (rusage);
(c) the same command again on the unchanged files: the parsed models come from the cache;
(d) ``netaudit query``: the ``answer()`` call timed in this process after ``prepare()`` (models
    from the cache; each question on a fresh header space, as one CLI invocation has), for a few
    source / destination / service combinations, and the whole ``netaudit query`` command.

Each measurement is repeated (``--repeat``, default 3) and the median is printed, with the
ratio audit / ciscoconfparse2. No assertion: the figures go to benchmarks/README.md.

    .venv/bin/python benchmarks/audit_benchmark.py                       # estate in /tmp/estate
    .venv/bin/python benchmarks/audit_benchmark.py --estate /tmp/e2 --devices 60 --lines 200000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = "2026-11-24"
QUERIES = (  # (src, dst, service): zones, a topology host, addresses
    ("khh-oa", "tpe-prod-web", "tcp/443"),
    ("hq-oa", "tpe-prod-db", "tcp/1521"),
    ("internet", "tpe-dmz", "tcp/443"),
    ("tpe-jump01", "tch-prod-ap", "tcp/22"),
    ("10.30.5.20", "10.10.64.0/24", "tcp/8443"),
)


# --------------------------------------------------------------------------- measuring


class TreeMemory:
    """Peak resident memory of a process and all its descendants, sampled from /proc."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self._stop.wait(self.interval)


def _tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and its descendants now (0 once it is gone)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields[21]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


@dataclass(slots=True)
class Run:
    seconds: float
    tree_peak: int  # bytes
    process_peak: int  # bytes: the largest single process (rusage)
    returncode: int
    stderr: str = ""


def run_command(argv: list[str], env: dict[str, str]) -> Run:
    """Wall time, peak tree memory and the largest process's peak (``wait4`` rusage) of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with TreeMemory(process.pid) as memory:
        assert process.stderr is not None
        stderr = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # waited here: Popen must not wait again
    process.stderr.close()
    return Run(seconds, memory.peak, usage.ru_maxrss * 1024, process.returncode, stderr)


@dataclass(slots=True)
class Figures:
    devices: int = 0
    lines: int = 0
    rules: int = 0
    findings: int = 0
    paths: int = 0
    ccp: list[float] = field(default_factory=list)
    ccp_unwrapped: list[float] = field(default_factory=list)
    cold: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    answers: dict[str, list[float]] = field(default_factory=dict)
    query_command: list[float] = field(default_factory=list)


# --------------------------------------------------------------------------- (a) ciscoconfparse2 alone


def ciscoconfparse_alone(plan_file: str, unwrapped: bool) -> dict[str, float | int]:
    """Run in a child process that imports ciscoconfparse2 and nothing of netaudit (netaudit's
    parsers unwrap ciscoconfparse2's logging wrappers, see parsers/ccp_unwrap.py): read and parse
    every file, in netaudit's file order, with the syntax netaudit would use."""
    from ciscoconfparse2 import CiscoConfParse

    if unwrapped:  # the same library as netaudit runs it, for comparison
        from netaudit.parsers import ccp_unwrap

        ccp_unwrap.unwrap()
    with open(plan_file, encoding="utf-8") as handle:
        plan = json.load(handle)
    lines = 0
    start = time.perf_counter()
    for path, syntax in plan:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", errors="replace")
        source = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if source and source[-1] == "":
            source.pop()
        CiscoConfParse(source, syntax=syntax, loguru=False, ignore_blank_lines=False)
        lines += len(source)
    return {"seconds": time.perf_counter() - start, "files": len(plan), "lines": lines}


def parse_plan(configs: str, topology: str, folder: Path) -> str:
    """The files in netaudit's order with the ciscoconfparse2 syntax of each (topology override, else
    netaudit's detection), written for the child process."""
    from netaudit.parsers.detect import detect_platform
    from netaudit.sources import config_paths
    from netaudit.topology import load_topology

    hints = load_topology(topology).devices
    plan = []
    for path in config_paths([configs]):
        hint = hints.get(Path(path).stem)
        syntax = (hint.platform if hint and hint.platform else None) or detect_platform(Path(path).read_text(encoding="utf-8", errors="replace"))
        plan.append((path, syntax))
    target = folder / "ccp-plan.json"
    target.write_text(json.dumps(plan), encoding="utf-8")
    return str(target)


def measure_ciscoconfparse(plan_file: str, unwrapped: bool) -> float:
    argv = [sys.executable, __file__, "--ccp-child", plan_file] + (["--unwrapped"] if unwrapped else [])
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True)
    return float(json.loads(result.stdout.splitlines()[-1])["seconds"])


# --------------------------------------------------------------------------- (d) queries in process


def measure_answers(configs: str, topology: str, cache_dir: str) -> dict[str, float]:
    """Seconds of each ``answer()`` after ``prepare()``, each on a fresh header space, with the loaded
    models out of the cycle collector's reach as the ``netaudit`` command has them (``one_shot_process``)."""
    from loguru import logger

    from netaudit.context import AuditContext
    from netaudit.model_cache import ModelCache
    from netaudit.pipeline import one_shot_process, prepare
    from netaudit.query import answer

    logger.remove()
    one_shot_process()
    loaded, _ = prepare([configs], topology, date.fromisoformat(AS_OF), cache=ModelCache(cache_dir))
    timings = {}
    for src, dst, service in QUERIES:
        context = AuditContext(loaded.devices, loaded.topology, loaded.graph, loaded.as_of)
        start = time.perf_counter()
        result = answer(context, src, dst, service)
        timings[f"{src} → {dst} {service} ({len(result.paths)} paths)"] = time.perf_counter() - start
    return timings


def count_estate(configs: str, topology: str, cache_dir: str) -> tuple[int, int, int]:
    from netaudit.model_cache import ModelCache
    from netaudit.pipeline import load_devices
    from netaudit.topology import load_topology

    devices, _ = load_devices([configs], load_topology(topology), cache=ModelCache(cache_dir))
    return len(devices), sum(d.lines for d in devices), sum(len(f.rules) for d in devices for f in d.filters.values())


def count_paths(configs: str, topology: str, cache_dir: str) -> int:
    """Paths of every zone (what the flow checks ask), and whether any search was cut short."""
    from netaudit.model_cache import ModelCache
    from netaudit.pipeline import prepare

    context, _ = prepare([configs], topology, date.fromisoformat(AS_OF), cache=ModelCache(cache_dir))
    reach = context.reachability()
    total = sum(len(reach.paths_from(zone)) for zone in context.topology.zones)
    if reach.truncated:
        print(f"warning: the path search was cut at {len(reach.truncated)} source segments (MAX_PATHS_PER_SOURCE)")
    return total


# --------------------------------------------------------------------------- the run


def ensure_estate(args: argparse.Namespace) -> tuple[str, str]:
    estate = Path(args.estate)
    configs, topology = estate / "configs", estate / "network.yaml"
    if args.regenerate or not configs.is_dir() or not topology.is_file():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "estate.py"), "--devices", str(args.devices),
                        "--lines", str(args.lines), "--seed", str(args.seed), "--out", str(estate)], check=True)
    return str(configs), str(topology)


def audit_argv(configs: str, topology: str, report: str, extra: list[str]) -> list[str]:
    # ``-m`` from ROOT: the netaudit of this tree, whatever the venv's editable install points at
    return [sys.executable, "-m", "netaudit.cli", "audit", configs, "--topology", topology, "--as-of", AS_OF,
            "--format", "json", "--output", report, *extra]


def benchmark(args: argparse.Namespace) -> Figures:
    configs, topology = ensure_estate(args)
    figures = Figures()
    work = Path(tempfile.mkdtemp(prefix="netaudit-bench-"))
    report = str(work / "report.json")
    plan_file = parse_plan(configs, topology, work)
    for repeat in range(args.repeat):
        cache_dir = work / f"cache-{repeat}"
        env = dict(os.environ, NETAUDIT_CACHE_DIR=str(cache_dir))
        figures.ccp.append(measure_ciscoconfparse(plan_file, unwrapped=False))
        figures.ccp_unwrapped.append(measure_ciscoconfparse(plan_file, unwrapped=True))
        for label, runs in (("cold", figures.cold), ("warm", figures.warm)):
            run = run_command(audit_argv(configs, topology, report, []), env)
            if run.returncode not in (0, 1):
                raise SystemExit(f"audit failed ({run.returncode}): {run.stderr}")
            runs.append(run)
            print(f"  run {repeat + 1} {label}: {run.seconds:.1f} s, tree peak {run.tree_peak / 2**20:.0f} MiB", flush=True)
        for name, seconds in measure_answers(configs, topology, str(cache_dir)).items():
            figures.answers.setdefault(name, []).append(seconds)
        query = [sys.executable, "-m", "netaudit.cli", "query", configs, "--topology", topology, "--as-of", AS_OF,
                 "--src", QUERIES[0][0], "--dst", QUERIES[0][1], "--service", QUERIES[0][2]]
        figures.query_command.append(run_command(query, env).seconds)
        print(f"  run {repeat + 1}: ciscoconfparse2 {figures.ccp[-1]:.1f} s; query command {figures.query_command[-1]:.2f} s", flush=True)
    with open(report, encoding="utf-8") as handle:
        figures.findings = len(json.load(handle)["findings"])
    figures.devices, figures.lines, figures.rules = count_estate(configs, topology, str(work / "cache-0"))
    figures.paths = count_paths(configs, topology, str(work / "cache-0"))
    return figures


def median(values: list[float]) -> float:
    return statistics.median(values)


def print_table(figures: Figures, repeat: int) -> None:
    ccp = median(figures.ccp)
    cold = median([r.seconds for r in figures.cold])
    warm = median([r.seconds for r in figures.warm])
    row: Callable[[str, str], None] = lambda name, value: print(f"| {name:<58} | {value:>22} |")  # noqa: E731
    print(f"\nMedians of {repeat} runs, {os.cpu_count()} CPUs\n")
    print(f"| {'':<58} | {'':>22} |\n|{'-' * 60}|{'-' * 24}:|")
    row("devices / config lines / rules", f"{figures.devices} / {figures.lines:,} / {figures.rules:,}")
    row("findings (JSON report) / flow paths", f"{figures.findings:,} / {figures.paths:,}")
    row("(a) ciscoconfparse2 alone, every file", f"{ccp:.1f} s ({figures.lines / ccp:,.0f} lines/s)")
    row("    the same without its logging wrappers (as netaudit runs it)", f"{median(figures.ccp_unwrapped):.1f} s")
    row("(b) netaudit audit, every check, empty cache: wall", f"{cold:.1f} s")
    row("    peak memory, process tree / largest process", f"{median([r.tree_peak for r in figures.cold]) / 2**30:.2f} / "
        f"{median([r.process_peak for r in figures.cold]) / 2**30:.2f} GiB")
    row("    ratio audit / ciscoconfparse2 alone", f"{cold / ccp:.2f}")
    row("(c) second audit, unchanged files (model cache): wall", f"{warm:.1f} s")
    row("    peak memory, process tree", f"{median([r.tree_peak for r in figures.warm]) / 2**30:.2f} GiB")
    for name, values in figures.answers.items():
        row(f"(d) answer() {name}"[:58], f"{median(values):.2f} s")
    row("(d) netaudit query command, cached models (whole process)", f"{median(figures.query_command):.2f} s")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--ccp-child":
        print(json.dumps(ciscoconfparse_alone(sys.argv[2], "--unwrapped" in sys.argv)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estate", default="/tmp/estate", help="folder with configs/ and network.yaml (generated if missing)")
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--regenerate", action="store_true", help="write the estate again even if it exists")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print_table(benchmark(args), args.repeat)


if __name__ == "__main__":
    main()
