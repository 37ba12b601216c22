"""Throughput and peak memory of the sample CRM generator, per export size.

Why a subprocess per size: peak RSS (``ru_maxrss``) is a high-water mark of a process, so each
size runs in a fresh interpreter and reports its own peak. Sizes are given in free-text notes;
the generator writes about 5.1 notes per customer, so customers = notes / 5.1.

    python benchmarks/sample_crm_throughput.py                  # quick: 10k notes
    python benchmarks/sample_crm_throughput.py 10000 100000 1000000
    python benchmarks/sample_crm_throughput.py --tracemalloc 10000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOTES_PER_CUSTOMER = 5.1
ROOT = Path(__file__).resolve().parent.parent


def _child(customers: int, seed: int, out_dir: Path, trace: bool) -> None:
    """Run one export in this process and print its figures as one JSON line."""
    if trace:
        import tracemalloc

        tracemalloc.start()
    from orchestration.sample_crm.generate import GeneratorConfig, generate_export

    started = time.perf_counter()
    summary = generate_export(GeneratorConfig(out_dir, customers, seed))
    seconds = time.perf_counter() - started
    traced = None
    if trace:
        import tracemalloc

        traced = tracemalloc.get_traced_memory()[1]
    size = sum(p.stat().st_size for p in out_dir.iterdir())
    print(
        json.dumps(
            {
                "customers": customers,
                "notes": summary.notes.notes,
                "labelled": summary.notes.labelled,
                "rows": sum(t["rows"] for t in summary.tables.values()),
                "seconds": round(seconds, 2),
                "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "traced_peak_mib": None if traced is None else round(traced / 2**20, 1),
                "export_mib": round(size / 2**20, 1),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("notes", nargs="*", type=int, default=[10_000], help="target note counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also report Python heap peak (slower)"
    )
    parser.add_argument("--child", nargs=2, metavar=("CUSTOMERS", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(int(args.child[0]), args.seed, Path(args.child[1]), args.tracemalloc)
        return 0

    print(f"{'notes':>10} {'customers':>10} {'rows':>11} {'seconds':>8} {'notes/s':>9} "
          f"{'peak RSS MiB':>12} {'heap MiB':>9} {'export MiB':>10}")  # fmt: skip
    for target in args.notes:
        customers = max(1, round(target / NOTES_PER_CUSTOMER))
        with tempfile.TemporaryDirectory(prefix="sample_crm_bench_") as tmp:
            cmd = [
                sys.executable,
                __file__,
                "--child",
                str(customers),
                tmp,
                "--seed",
                str(args.seed),
            ]
            if args.tracemalloc:
                cmd.append("--tracemalloc")
            done = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        heap = "-" if r["traced_peak_mib"] is None else f"{r['traced_peak_mib']:.1f}"
        print(
            f"{r['notes']:>10,} {r['customers']:>10,} {r['rows']:>11,} {r['seconds']:>8.1f} "
            f"{r['notes'] / r['seconds']:>9,.0f} {r['max_rss_mib']:>12.1f} {heap:>9} "
            f"{r['export_mib']:>10.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
