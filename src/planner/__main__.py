"""Command line: ``python -m planner sample --out sample_data``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.errors import PlannerError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="planner", description="Support Planner tools")
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="write the deterministic sample data")
    sample.add_argument("--out", type=Path, default=Path("sample_data"))
    sample.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        if args.command == "sample":
            from planner.sample import SEED, write_sample

            for path in write_sample(args.out, args.seed if args.seed is not None else SEED):
                print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    except PlannerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
