"""load → parse → model → graph → analyse → check → findings. The CLI only calls this."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import netaudit.checks  # noqa: F401  (registers the checks)
from netaudit.checks.anomalies import rule_facts
from netaudit.checks.registry import Params, missing_input
from netaudit.checks.runner import run_checks
from netaudit.context import AuditContext
from netaudit.errors import NetauditInputError
from netaudit.findings import Finding
from netaudit.graph import build_graph
from netaudit.model import Device
from netaudit.model_cache import ModelCache, content_digest, dumps
from netaudit.parsers import ParseError, parse_source
from netaudit.policy import PolicyPack, effective_params, load_policy
from netaudit.sources import DEFAULT_MAX_BYTES, config_paths, read_bytes, source_from_bytes
from netaudit.topology import Topology, load_topology

# Below this much config text, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class NotAssessed:
    """A file that could not be audited, and why (the others are audited all the same)."""

    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}" if self.line else f"{self.file}: {self.reason}"


@dataclass(slots=True)
class AuditResult:
    devices: list[Device]
    not_assessed: list[NotAssessed]
    findings: list[Finding]
    topology: Topology
    pack: PolicyPack
    params: Params
    as_of: date
    warnings: list[str] = field(default_factory=list)
    rule_facts: list[dict[str, object]] = field(default_factory=list)  # partial shadowing etc.: facts, not findings
    hits: Any = None  # hits.HitCounts when hit counts were given (--hits)

    def missing_input(self, check_id: str) -> str | None:
        """What ``check_id`` needed and this audit was not given ('topology', 'hits'): the reports
        then say 'not assessed', never 'passed'."""
        return missing_input(check_id, topology=bool(self.topology.zones), hits=self.hits is not None)


def load_devices(inputs: list[str], topology: Topology, max_bytes: int = DEFAULT_MAX_BYTES, *,
                 cache: ModelCache | None = None, jobs: int | None = None) -> tuple[list[Device], list[NotAssessed]]:
    """Parse every config; a bad file is listed as not assessed and never stops the others.

    Files are parsed in worker processes when there is enough text for it to pay (``jobs``: how
    many; default: the CPUs this process may use), and read from ``cache`` when an unchanged file
    was parsed before. Neither changes the result: devices and failures come in file order, with
    the same reasons, whichever way each file was read.
    """
    paths = config_paths(inputs)
    platforms = [_platform_hint(topology, path) for path in paths]
    outcomes: list[Device | NotAssessed | None] = [None] * len(paths)
    if cache is not None:
        with _paused_gc():
            for index, (path, platform) in enumerate(zip(paths, platforms, strict=True)):
                outcomes[index] = _cached(cache, path, platform, max_bytes)
    pending = [index for index, outcome in enumerate(outcomes) if outcome is None]
    for index, outcome, payload in _parse_pending(paths, platforms, pending, max_bytes, jobs, cache is not None):
        outcomes[index] = outcome
        if cache is not None and payload is not None:
            cache.store(cache.key(paths[index], platforms[index], payload[0]), payload[1])
    devices = [outcome for outcome in outcomes if isinstance(outcome, Device)]
    failures = [outcome for outcome in outcomes if isinstance(outcome, NotAssessed)]
    _make_names_unique(devices)
    return devices, failures


def _platform_hint(topology: Topology, path: str) -> str | None:
    hint = topology.devices.get(Path(path).stem)
    return hint.platform if hint else None


def _cached(cache: ModelCache, path: str, platform: str | None, max_bytes: int) -> Device | NotAssessed | None:
    """The cached model of the file as it is now; None to parse it (a file that cannot be read is parsed,
    and so reported, exactly as without a cache)."""
    try:
        data = read_bytes(path, max_bytes)
    except NetauditInputError:
        return None
    return cache.load(cache.key(path, platform, content_digest(data)))


# One parsed file: the device or why not, and (digest, pickled device) when the device should be cached.
Parsed = tuple[int, "Device | NotAssessed", "tuple[str, bytes] | None"]


def _parse_pending(paths: list[str], platforms: list[str | None], pending: list[int], max_bytes: int,
                   jobs: int | None, to_cache: bool) -> Iterator[Parsed]:
    """Parse the files at ``pending``, in worker processes when it pays; any order of results."""
    workers = min(jobs or _usable_cpus(), len(pending))
    if workers >= 2 and sum(_size(paths[i]) for i in pending) >= PARALLEL_MIN_BYTES:
        yield from _parse_in_pool(paths, platforms, pending, max_bytes, workers)
        return
    for index in pending:
        yield _parse_here(index, paths[index], platforms[index], max_bytes, to_cache)


def _parse_here(index: int, path: str, platform: str | None, max_bytes: int, to_cache: bool) -> Parsed:
    outcome, digest = parse_file(path, platform, max_bytes)
    payload = (digest, dumps(outcome)) if to_cache and isinstance(outcome, Device) and digest else None
    return index, outcome, payload


def _parse_in_pool(paths: list[str], platforms: list[str | None], pending: list[int], max_bytes: int,
                   workers: int) -> Iterator[Parsed]:
    """Largest files first, so that the last file to finish is a small one; results are pickled once
    in the worker and the same bytes feed the cache. If the pool breaks (a worker killed), the files
    it did not finish are parsed here."""
    order = sorted(pending, key=lambda i: -_size(paths[i]))
    done: set[int] = set()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context()) as pool:
            futures: dict[Future[tuple[NotAssessed | bytes, str | None]], int] = {
                pool.submit(_parse_file_pickled, paths[i], platforms[i], max_bytes): i for i in order}
            for future in futures:  # in submission order: results are consumed as the big ones finish
                index = futures[future]
                outcome, digest = future.result()
                done.add(index)
                if isinstance(outcome, bytes):
                    with _paused_gc():
                        device = pickle.loads(outcome)
                    yield index, device, (digest, outcome) if digest else None
                else:
                    yield index, outcome, None
    except BrokenProcessPool:
        for index in order:
            if index not in done:
                yield _parse_here(index, paths[index], platforms[index], max_bytes, True)


def parse_file(path: str, platform: str | None, max_bytes: int) -> tuple[Device | NotAssessed, str | None]:
    """One file: its device (and the digest of the bytes parsed), or why it is not assessed."""
    try:
        data = read_bytes(path, max_bytes)
        return parse_source(source_from_bytes(path, data), platform), content_digest(data)
    except NetauditInputError as error:
        return NotAssessed(error.file, error.line, error.reason), None
    except ParseError as error:
        return NotAssessed(path, error.line, error.reason), None
    except Exception as error:  # a parser bug must not lose the other devices' findings
        return NotAssessed(path, None, f"internal parser error ({type(error).__name__}: {error}); please report it"), None


def _parse_file_pickled(path: str, platform: str | None, max_bytes: int) -> tuple[NotAssessed | bytes, str | None]:
    """In a worker: the device comes back pickled (its bytes are what the cache stores)."""
    outcome, digest = parse_file(path, platform, max_bytes)
    if isinstance(outcome, NotAssessed):
        return outcome, None
    try:
        return dumps(outcome), digest
    except Exception as error:  # an unpicklable model is a bug: say so like any parser bug
        return NotAssessed(path, None, f"internal parser error ({type(error).__name__}: {error}); please report it"), None


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _fork_context() -> multiprocessing.context.BaseContext | None:
    """Fork where there is fork: workers start at once with the parsers already imported."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None  # pragma: no cover - Windows, macOS default


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Unpickling a model creates hundreds of thousands of objects and no garbage; the cyclic
    collector would scan them over and over while they are made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _make_names_unique(devices: list[Device]) -> None:
    counts = Counter(d.name for d in devices)
    for device in devices:
        if counts[device.name] > 1:
            device.warnings.append(f"hostname {device.name} is used by several files; named by file here")
            device.name = f"{device.name}@{Path(device.file).stem}"


def prepare(inputs: list[str], topology_path: str | None = None, as_of: date | None = None, max_bytes: int = DEFAULT_MAX_BYTES, *,
            cache: ModelCache | None = None, jobs: int | None = None) -> tuple[AuditContext, list[NotAssessed]]:
    """Parse the configs and build the zone graph: what both an audit and a query start from."""
    topology = load_topology(topology_path) if topology_path else Topology()
    devices, not_assessed = load_devices(inputs, topology, max_bytes, cache=cache, jobs=jobs)
    if not devices:
        first = not_assessed[0] if not_assessed else NotAssessed(" ".join(inputs), None, "no configuration files found")
        raise NetauditInputError(first.file, first.line, first.reason)
    graph = build_graph(devices, topology)
    if _one_shot:
        gc.freeze()  # the models live as long as the process: the cycle collector need not scan them again
    return AuditContext(devices, topology, graph, as_of or date.today()), not_assessed


_one_shot = False


def one_shot_process() -> None:
    """Say that this process loads one set of configs and ends (the CLI): the loaded models are then
    moved out of the cycle collector's reach (``gc.freeze``). A million-line estate is millions of
    objects, and each full collection during the analysis rescanned them all: 0.6 s a time, a query
    twice as slow at random, the checks 10 % slower. Not for library callers that load many times in
    one process: frozen objects that later become cyclic garbage would never be collected."""
    global _one_shot
    _one_shot = True


def run_audit(
    inputs: list[str],
    topology_path: str | None = None,
    policy_path: str | None = None,
    as_of: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    cache: ModelCache | None = None,
    jobs: int | None = None,
    hits_dir: str | None = None,
) -> AuditResult:
    """Parse, build the graph and run every enabled check. ``cache``: parsed models to reuse (the
    CLI passes the user's cache; library callers opt in). ``jobs``: parser processes (default: CPUs)."""
    pack = load_policy(policy_path)  # bad policy input is reported before any parsing
    context, not_assessed = prepare(inputs, topology_path, as_of, max_bytes, cache=cache, jobs=jobs)
    params = effective_params(pack, context.topology.policy, context.topology.file, context.topology.policy_lines)
    params["allowed_flows"] = context.topology.allowed_flows
    if hits_dir:  # hit counters (`show access-list`) for unused-rule and the review
        from netaudit.hits import load_hits

        context.hits = load_hits(hits_dir, context.devices, context.as_of, max_bytes)
    findings = run_checks(context, pack, params)
    facts = rule_facts(context) if context.anomalies is not None else []
    cut_short = truncated_searches(context)
    context.release_analysis()  # the reports need the findings only: free the paths and diagrams first
    result = AuditResult(context.devices, not_assessed, findings, context.topology, pack, params, context.as_of, rule_facts=facts)
    result.warnings.extend(cut_short)
    if context.hits is not None:
        result.hits = context.hits
        result.warnings.extend(context.hits.warnings)
    return result


def truncated_searches(context: AuditContext) -> list[str]:
    """Where the path search stopped at its bound: flows beyond it may be missing, and the report says so."""
    reach = context.built_reachability()
    if reach is None or not reach.truncated:
        return []
    from netaudit.analysis.reachability import MAX_PATHS_PER_SOURCE

    return [f"reachability: more than {MAX_PATHS_PER_SOURCE} paths start in segment {segment}; the search stopped "
            "there, so flows along further paths from it are not assessed" for segment in sorted(set(reach.truncated))]
