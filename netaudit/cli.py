"""Command line: argument parsing only; the work is in ``pipeline`` and the reporters.

Exit codes (product.md): 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 bad
input or usage, with one line naming the file and line — never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from netaudit import __version__, cli_collect, cli_review
from netaudit.cli_types import LANGS, as_of, positive, warn
from netaudit.errors import NetauditInputError
from netaudit.findings import SEVERITIES, SEVERITY_RANK

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"netaudit: error: {message}\n")


FORMATS = ("text", "json", "sarif", "junit", "markdown", "html")


def _audit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topology", metavar="FILE", help="topology file (zones, hosts); see topology.md")
    parser.add_argument("--policy", metavar="FILE", help="policy pack (default: policies/insurance-tw.yaml)")
    parser.add_argument("--waivers", metavar="FILE", help="accepted findings with reason, approver, ticket and expiry")
    parser.add_argument("--as-of", type=as_of, metavar="YYYY-MM-DD", help="audit date for expiry checks (default: today)")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", metavar="FILE", help="write the report here instead of standard output")
    parser.add_argument("--json", dest="json_output", metavar="FILE", help="also write the JSON document to FILE")
    parser.add_argument("--fail-on", choices=SEVERITIES, default="high", help="exit 1 when a finding at or above this severity is not waived (default: high)")
    parser.add_argument("--lang", choices=LANGS, default="zh-TW", help="report language (default: zh-TW)")
    parser.add_argument("--max-file-mb", type=int, default=50, metavar="N", help="refuse config files larger than N MB (default 50)")
    _load_options(parser)


def _load_options(parser: argparse.ArgumentParser) -> None:
    """How configs are loaded: the parsed-model cache and the parser processes (never the result)."""
    parser.add_argument("--no-cache", action="store_true", help="parse every file again; do not read or write the parsed-model cache")
    parser.add_argument("--jobs", type=positive, metavar="N", help="parser processes for large config sets (default: the CPUs available)")


def _cache(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The user's parsed-model cache (README: Performance), unless --no-cache."""
    from netaudit.model_cache import ModelCache

    return None if args.no_cache else ModelCache.default()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="netaudit", description="Network configuration auditor for Taiwan insurers (保險業資安自律規範).")
    parser.add_argument("--version", action="version", version=f"netaudit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    audit = commands.add_parser("audit", help="audit configurations against the regulation")
    audit.add_argument("configs", nargs="+", metavar="CONFIGS", help="config files, or folders searched recursively")
    _audit_options(audit)
    audit.add_argument("--baseline", metavar="FILE", help="a previous JSON report: show only findings not in it")
    audit.add_argument("--write-baseline", metavar="FILE", help="write the JSON findings document to FILE as the new baseline")
    audit.add_argument("--hits", metavar="DIR", help="`show access-list` outputs, one file per device: the hit counts unused-rule reads")

    diff = commands.add_parser("diff", help="what a change newly breaks or fixes: findings and zone-to-zone flows")
    diff.add_argument("base", metavar="BASE_CONFIGS", help="the configs before the change (folder or file)")
    diff.add_argument("head", metavar="HEAD_CONFIGS", help="the configs after the change")
    _audit_options(diff)

    query = commands.add_parser("query", help="can SRC reach DST on a service, along which paths, by which rules")
    query.add_argument("configs", nargs="+", metavar="CONFIGS")
    query.add_argument("--topology", metavar="FILE")
    query.add_argument("--src", required=True, metavar="ZONE|HOST|IP", help="a zone, a host of the topology, or an address/prefix")
    query.add_argument("--dst", required=True, metavar="ZONE|HOST|IP")
    query.add_argument("--service", metavar="SERVICE", help="e.g. tcp/443, udp/53, tcp/20-21 (comma-separated; default: any)")
    query.add_argument("--format", choices=("text", "json"), default="text")
    query.add_argument("--as-of", type=as_of, metavar="YYYY-MM-DD", help="date for time-range rules (default: today)")
    _load_options(query)

    topology = commands.add_parser("topology", help="draw the network architecture diagram (Art. 4(7)) from the configs")
    topology.add_argument("configs", nargs="+", metavar="CONFIGS")
    topology.add_argument("--topology", metavar="FILE")
    topology.add_argument("--format", choices=("svg", "png", "dot", "drawio", "mermaid"), default="svg")
    topology.add_argument("--output", metavar="FILE", help="write the diagram here (required for png)")
    topology.add_argument("--view", choices=("zones", "devices", "both"), default="zones")
    topology.add_argument("--findings", action="store_true", help="overlay the crossings that break the regulation, in red")
    topology.add_argument("--policy", metavar="FILE")
    topology.add_argument("--waivers", metavar="FILE")
    topology.add_argument("--title", metavar="TEXT", help="title on the sheet (default: the topology's name)")
    topology.add_argument("--as-of", type=as_of, metavar="YYYY-MM-DD", help="date printed on the sheet (default: today; give it for a diagram kept in git)")
    _load_options(topology)

    checks = commands.add_parser("checks", help="list the check catalog with articles and severities")
    checks.add_argument("--format", choices=("text", "json"), default="text")
    checks.add_argument("--policy", metavar="FILE")
    checks.add_argument("--lang", choices=LANGS, default="zh-TW")
    # review and collect keep their options and handlers in modules of their own (docs/review.md, docs/collect.md)
    cli_review.add_parser(commands)
    cli_collect.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    _quiet_libraries()
    args = build_parser().parse_args(argv)
    if argv is None:  # run as the command (not called from Python, e.g. by the tests): one load, then exit
        from netaudit.pipeline import one_shot_process

        one_shot_process()
    try:
        if args.command == "audit":
            return _audit(args)
        if args.command == "diff":
            return _diff(args)
        if args.command == "query":
            return _query(args)
        if args.command == "topology":
            return _topology(args)
        if args.command == "review":
            return cli_review.run(args)
        if args.command == "collect":
            return cli_collect.run(args)
        return _checks(args)
    except NetauditInputError as error:
        print(f"netaudit: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: one line, no traceback (NETAUDIT_DEBUG=1 shows it)
        if os.environ.get("NETAUDIT_DEBUG"):
            raise
        print(f"netaudit: internal error: {type(error).__name__}: {error} (set NETAUDIT_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL


def _quiet_libraries() -> None:
    """ciscoconfparse2 logs through loguru; the CLI speaks for itself."""
    from loguru import logger

    logger.remove()


def _write(text: str, path: str | None) -> None:
    if path is None:
        sys.stdout.write(text)
        return
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise NetauditInputError(path, None, f"cannot write report: {error.strerror or error}") from None


def _audit(args: argparse.Namespace) -> int:
    from netaudit.baseline import load_baseline, without_baseline
    from netaudit.pipeline import run_audit
    from netaudit.report import json_report
    from netaudit.waivers import apply_waivers, load_waivers

    waivers = load_waivers(args.waivers) if args.waivers else []
    baseline = load_baseline(args.baseline) if args.baseline else None
    result = run_audit(args.configs, args.topology, args.policy, args.as_of, args.max_file_mb * 1024 * 1024,
                       cache=_cache(args), jobs=args.jobs, hits_dir=args.hits)
    for warning in result.warnings:
        warn(warning)
    if waivers:
        result.findings = apply_waivers(result.findings, waivers, result.as_of, result.pack)
    if args.write_baseline:
        _write(json_report.render(result, args.lang), args.write_baseline)
    if baseline is not None:
        result.findings = without_baseline(result.findings, baseline)
    _write(_reporter(args.format).render(result, args.lang), args.output)
    if args.json_output:
        _write(json_report.render(result, args.lang), args.json_output)
    for failure in result.not_assessed:
        warn(f"not assessed: {failure}")
    return _exit_code(result.findings, args.fail_on)


def _reporter(name: str):  # type: ignore[no-untyped-def]
    """The report module for a format (imported on use: each format's dependencies load only when asked)."""
    import importlib

    module = {"text": "text_report", "json": "json_report", "sarif": "sarif_report", "junit": "junit_report",
              "markdown": "markdown_report", "html": "html_report"}[name]
    return importlib.import_module(f"netaudit.report.{module}")


def _exit_code(findings: list, fail_on: str) -> int:  # type: ignore[type-arg]
    threshold = SEVERITY_RANK[fail_on]
    failing = [f for f in findings if not f.waived and SEVERITY_RANK[f.severity] >= threshold]
    return EXIT_FINDINGS if failing else EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    """Exit code by --fail-on applied to the *new* findings only."""
    from netaudit.diff import run_diff
    from netaudit.report import diff_report
    from netaudit.waivers import load_waivers

    waivers = load_waivers(args.waivers) if args.waivers else []
    diff = run_diff([args.base], [args.head], args.topology, args.policy, args.as_of, waivers, args.max_file_mb * 1024 * 1024,
                    cache=_cache(args), jobs=args.jobs)
    if args.format in ("text", "json", "markdown"):
        render = {"text": diff_report.render_text, "json": diff_report.render_json, "markdown": diff_report.render_markdown}[args.format]
        _write(render(diff, args.lang), args.output)
    else:  # SARIF, JUnit, HTML: the HEAD report restricted to what the change introduces
        diff.head.findings = diff.new
        _write(_reporter(args.format).render(diff.head, args.lang), args.output)
    if args.json_output:
        _write(diff_report.render_json(diff, args.lang), args.json_output)
    for failure in diff.base.not_assessed + diff.head.not_assessed:
        warn(f"not assessed: {failure}")
    return _exit_code(diff.new, args.fail_on)


def _query(args: argparse.Namespace) -> int:
    """Exit 0 whether or not the flow is permitted: the answer is the output, not a verdict."""
    from netaudit.pipeline import prepare
    from netaudit.query import answer

    context, not_assessed = prepare(args.configs, args.topology, args.as_of, cache=_cache(args), jobs=args.jobs)
    for failure in not_assessed:
        warn(f"not assessed: {failure}")
    result = answer(context, args.src, args.dst, args.service)
    _write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n" if args.format == "json" else result.to_text(), None)
    return EXIT_OK


def _topology(args: argparse.Namespace) -> int:
    from netaudit.diagram import network_diagram, render

    if args.format == "png" and not args.output:
        raise NetauditInputError("--output", None, "a PNG diagram needs --output FILE")
    diagram, not_assessed = network_diagram(
        args.configs, args.topology, view=args.view, findings=args.findings, policy_path=args.policy,
        waivers_path=args.waivers, as_of=args.as_of, title=args.title or "", cache=_cache(args), jobs=args.jobs)
    data = render(diagram, args.format)
    if isinstance(data, bytes):
        try:
            with open(args.output, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise NetauditInputError(args.output, None, f"cannot write diagram: {error.strerror or error}") from None
    else:
        _write(data, args.output)
    for failure in not_assessed:
        warn(f"not assessed: {failure}")
    return EXIT_OK


def _checks(args: argparse.Namespace) -> int:
    from netaudit.checks.registry import REGISTRY, SPECIAL_IDS
    from netaudit.policy import load_policy

    pack = load_policy(args.policy)
    rows = [(spec.id, spec.articles) for spec in REGISTRY.values()] + list(SPECIAL_IDS.items())
    entries = [
        {"id": check_id, "articles": list(articles), "severity": pack.checks[check_id].severity,
         "enabled": pack.checks[check_id].enabled, "title": pack.checks[check_id].title.get(args.lang, "")}
        for check_id, articles in rows
    ]
    if args.format == "json":
        _write(json.dumps({"catalog": 1, "checks": entries}, ensure_ascii=False, indent=2) + "\n", None)
        return EXIT_OK
    for entry in entries:
        articles = ", ".join(pack.article_name(a, args.lang) for a in entry["articles"])
        _write(f"{entry['id']:<26} {entry['severity']:<8} {articles:<28} {entry['title']}\n", None)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
