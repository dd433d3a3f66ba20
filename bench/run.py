"""`make bench`: run every benchmark, print the table, append it to bench/RESULTS.md."""
from __future__ import annotations

import argparse
import importlib
import sys
import time

from .common import record, reference_loop

# Each module has run(quick) -> list[Figure]; a module that is not there yet is skipped.
BENCHMARKS = ["bench.bench_local", "bench.bench_import", "bench.bench_sync", "bench.bench_scale", "bench.bench_load",
              "bench.bench_link", "bench.bench_ui", "bench.bench_package", "bench.bench_cipher",
              "bench.bench_levels"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", help="run one module, e.g. bench_local")
    args = parser.parse_args(argv)
    figures, before = [], reference_loop()
    for name in BENCHMARKS:
        if args.only and not name.endswith(args.only):
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        started = time.perf_counter()
        figures += module.run(quick=args.quick)
        print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if not figures:
        print(f"no benchmark ran (--only {args.only})", file=sys.stderr)
        return 2
    command = "make bench" + (" (--quick)" if args.quick else "") + (f" --only {args.only}" if args.only else "")
    record(figures, command, (before, reference_loop()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
