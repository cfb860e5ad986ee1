"""`netaudit review`: the quarterly firewall rule review (Art. 15.4) as a workbook, CSV or HTML.

Its own module so that cli.py only registers it (``add_parser``) and dispatches to it (``run``).
The review runs the audit pipeline itself, so every flag in the workbook is an audit finding.
"""

from __future__ import annotations

import argparse
import sys

from netaudit.cli_types import LANGS, as_of, positive, warn


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    review = commands.add_parser("review", help="the quarterly firewall rule review (Art. 15.4): every rule, its flags, the reviewer's columns")
    review.add_argument("configs", nargs="+", metavar="CONFIGS", help="config files, or folders searched recursively")
    review.add_argument("--hits", metavar="DIR", help="`show access-list` outputs, one file per device (hit counts, unused rules)")
    review.add_argument("--as-of", type=as_of, metavar="YYYY-MM-DD", help="review date (default: today)")
    review.add_argument("--format", choices=("xlsx", "csv", "html"), default="xlsx")
    review.add_argument("--output", required=True, metavar="FILE", help="the workbook, CSV or HTML file to write")
    review.add_argument("--previous", metavar="FILE", help="last quarter's filled-in review (.xlsx or .csv): carry decisions forward")
    review.add_argument("--topology", metavar="FILE", help="topology file (zones): the zones each rule crosses")
    review.add_argument("--policy", metavar="FILE", help="policy pack (default: policies/insurance-tw.yaml)")
    review.add_argument("--lang", choices=LANGS, default="zh-TW", help="language of headers and flags (default: zh-TW)")
    review.add_argument("--max-file-mb", type=int, default=50, metavar="N", help="refuse config files larger than N MB (default 50)")
    review.add_argument("--no-cache", action="store_true", help="parse every file again; do not read or write the parsed-model cache")
    review.add_argument("--jobs", type=positive, metavar="N", help="parser processes for large config sets (default: the CPUs available)")


def run(args: argparse.Namespace) -> int:
    """Exit 0 when the review was written (its findings are for the reviewer, not a CI verdict)."""
    from netaudit.model_cache import ModelCache
    from netaudit.pipeline import run_audit
    from netaudit.review import build_review, read_previous, write_review

    previous = read_previous(args.previous) if args.previous else None  # bad input before any parsing
    result = run_audit(args.configs, args.topology, args.policy, args.as_of, args.max_file_mb * 1024 * 1024,
                       cache=None if args.no_cache else ModelCache.default(), jobs=args.jobs, hits_dir=args.hits)
    review = build_review(result, args.lang, list(args.configs), previous=previous)
    write_review(review, args.format, args.output)
    for failure in result.not_assessed:
        warn(f"not assessed: {failure}")
    for warning in result.warnings:
        warn(warning)
    rows = len(review.rows)
    print(f"netaudit: review of {rows} rules in {len(review.sheets)} filters written to {args.output}", file=sys.stderr)
    return 0
