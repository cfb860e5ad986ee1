"""``netaudit collect``: its arguments and its handler (cli.py only wires them in).

Exit codes: 0 every device collected; 1 at least one failed (the summary says which and why);
2 bad input or usage (the inventory, the output folder, a missing library).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from pathlib import Path

from netaudit.cli_types import positive, positive_seconds, warn
from netaudit.collect.defaults import DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_WORKERS
from netaudit.errors import NetauditInputError


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    collect = commands.add_parser(
        "collect", help="pull the running configs (and neighbours, hit counters) from the devices with NAPALM",
        description="Credentials come from environment variables or the OS keyring named in the inventory, "
                    "never from the command line; see docs/collect.md.")
    collect.add_argument("--inventory", required=True, metavar="FILE", help="Nornir SimpleInventory: hosts.yaml (groups.yaml, defaults.yaml beside it) or one file with hosts/groups/defaults")
    collect.add_argument("--output", required=True, metavar="DIR", help="folder for <device>.cfg, <device>.facts.json and hits/ (created if missing)")
    collect.add_argument("--workers", type=positive, default=DEFAULT_WORKERS, metavar="N", help=f"devices fetched at once (default {DEFAULT_WORKERS})")
    collect.add_argument("--only", nargs="+", metavar="NAME", help="only these hosts or groups of the inventory")
    collect.add_argument("--timeout", type=positive_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS", help=f"give up on a device after this long, all commands included (default {DEFAULT_TIMEOUT:g})")
    collect.add_argument("--connect-timeout", type=positive_seconds, default=DEFAULT_CONNECT_TIMEOUT, metavar="SECONDS", help=f"TCP connect, SSH banner and login (default {DEFAULT_CONNECT_TIMEOUT:g})")
    collect.add_argument("--hits", action="store_true", help="also save the ACL hit counters into DIR/hits/ for netaudit review --hits")
    collect.add_argument("--redact", action="store_true", help="mask passwords, keys and communities in the saved configs")
    collect.add_argument("--known-hosts", metavar="FILE", help="SSH known-hosts file (default ~/.ssh/known_hosts)")
    collect.add_argument("--accept-new-host-keys", action="store_true", help="trust and record the key of a device not yet in the known-hosts file (a changed key always fails)")
    collect.add_argument("--no-progress", action="store_true", help="no progress bar (it is drawn only on a terminal anyway)")


def run(args: argparse.Namespace) -> int:
    from netaudit.collect.inventory import load_inventory, select

    for library in ("paramiko", "netmiko", "napalm", "ncclient"):
        # Their threads log tracebacks of connections we already report as failed, in one line.
        logging.getLogger(library).setLevel(logging.CRITICAL)

    targets = select(load_inventory(args.inventory), args.only, args.inventory)
    try:
        from netaudit.collect.drivers import FetchOptions
        from netaudit.collect.hostkeys import HostKeyPolicy, default_known_hosts
        from netaudit.collect.runner import check_unique_names
        for library in ("napalm", "netmiko", "rich"):  # the collect extra, asked for before any device is met
            importlib.import_module(library)
    except ImportError as error:
        raise NetauditInputError("netaudit collect", None, f"needs the collect extra ({error.name} is missing): pip install 'netaudit[collect]'") from None
    clash = check_unique_names(targets)
    if clash:
        raise NetauditInputError(args.inventory, None, clash)
    output = Path(args.output)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise NetauditInputError(args.output, None, f"cannot create the output folder: {error.strerror or error}") from None
    if not os.access(output, os.W_OK):
        raise NetauditInputError(args.output, None, "the output folder is not writable")
    options = FetchOptions(
        host_keys=HostKeyPolicy(os.path.expanduser(args.known_hosts) if args.known_hosts else default_known_hosts(), args.accept_new_host_keys),
        timeout=args.timeout, connect_timeout=min(args.connect_timeout, args.timeout), hits=args.hits)
    report = _run_with_progress(targets, output, options, args)
    _print_summary(report)
    return 1 if report.failed else 0


def _run_with_progress(targets, output, options, args):  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from netaudit.collect.runner import collect

    console = Console(stderr=True)
    if args.no_progress or not console.is_terminal:
        return collect(targets, output, options, workers=args.workers, redact=args.redact)
    with Progress(TextColumn("collecting"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[last]}"),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("collect", total=len(targets), last="")

        def done(outcome) -> None:  # type: ignore[no-untyped-def]
            progress.update(task, advance=1, last=f"{'✓' if outcome.ok else '✗'} {outcome.name}")

        return collect(targets, output, options, workers=args.workers, redact=args.redact, on_done=done)


def _print_summary(report) -> None:  # type: ignore[no-untyped-def]
    """A table on stdout (collected / failed with reason), warnings after it."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout, width=max(100, Console().width), highlight=False, soft_wrap=False)
    table = Table(title=f"netaudit collect: {len(report.collected)} collected, {len(report.failed)} failed", title_justify="left")
    for column in ("device", "address", "platform", "result", "seconds"):
        table.add_column(column, overflow="fold")
    for outcome in report.outcomes:
        result = "collected" if outcome.ok else f"FAILED: {outcome.reason}"
        table.add_row(outcome.name, outcome.hostname, outcome.platform, result, f"{outcome.seconds:.1f}",
                      style=None if outcome.ok else "red")
    console.print(table)
    for outcome in report.outcomes:
        for warning in outcome.warnings:
            warn(f"{outcome.name}: {warning}")
