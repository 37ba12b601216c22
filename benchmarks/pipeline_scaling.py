"""Wall, CPU and peak memory of the whole nightly run per step, by export size, full and 1%-changed.

Issue 16 targets (2 cores, 24 GB): peak RSS below 2 GB at 200k customers and flat from 100k to
200k; 1M customers end to end in under 30 minutes; a nightly run with 1% of notes changed in under
10% of a full run's time; dbt's fixed cost at 2k customers under 30 s.

How it measures, and why this way:
- Each run is ``python -m orchestration.run`` in a fresh process (as a user runs it), on a fresh
  data directory for the full run; the changed run reuses that directory the next day (as the
  nightly schedule would) with a copy of the export in which 1% of free-text cells changed.
- A sampler reads ``/proc`` every 0.2 s for the whole process tree (dbt runs as a child process,
  scan workers are forked): the sum of the processes' proportional set size (PSS: pages shared
  copy-on-write counted once) at each instant, and per process its CPU time, accumulated so a
  child that exits keeps its share. "peak RSS tree" is the largest sampled sum of the tree; the
  largest single process (``ru_maxrss`` of the children, plain RSS) is printed beside it.
- Steps come from Dagster's own step statistics (start and end of every op of the run); a step's
  CPU and memory are the sampler's figures inside its window. Steps are grouped as the issue's
  table groups them: ingest+scan (landing assets), dbt, checks (asset checks), manifest, outputs
  (write-back, notifications, DSR export retention, report).

    python benchmarks/pipeline_scaling.py                       # 20k, 100k, 200k + 1% changed
    python benchmarks/pipeline_scaling.py --sizes 2000 --json figures.json
    python benchmarks/pipeline_scaling.py --sizes 1000000 --no-changed
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The offline switches of DESIGN.md, as the Makefile exports them.
OFFLINE_ENV = {
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    "HF_HUB_OFFLINE": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DBT_VERSION_CHECK": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "DAGSTER_DISABLE_TELEMETRY": "1",
}
STEP_GROUPS = ("ingest+scan", "dbt", "checks", "manifest", "outputs")
SAMPLE_INTERVAL_S = 0.2
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


# --- process-tree sampling ---------------------------------------------------------------------


def _proc_stat(pid: int) -> tuple[int, float, int] | None:
    """(parent pid, CPU seconds, resident bytes) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    parent, utime, stime, rss_pages = (
        int(fields[1]),
        int(fields[11]),
        int(fields[12]),
        int(fields[21]),
    )
    return parent, (utime + stime) / CLOCK_TICKS, rss_pages * PAGE_BYTES


def _pss_bytes(pid: int) -> int | None:
    """Proportional set size: resident memory with pages shared between processes split.

    Forked scan workers share the parent's pages copy-on-write; RSS counts those pages once per
    process, PSS once in all, so the sum of PSS is the memory the tree really occupies.
    """
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _tree(root: int) -> dict[int, tuple[float, int]]:
    """CPU seconds and memory (PSS, else RSS) of ``root`` and all its descendants right now."""
    stats: dict[int, tuple[int, float, int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _proc_stat(int(entry))
            if stat is not None:
                stats[int(entry)] = stat
    members, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _, _) in stats.items():
            if ppid == parent and pid not in members:
                members.add(pid)
                frontier.append(pid)
    return {
        pid: (stats[pid][1], _pss_bytes(pid) or stats[pid][2]) for pid in members if pid in stats
    }


@dataclass
class Sample:
    at: float
    cpu_s: float
    rss_bytes: int


class TreeSampler(threading.Thread):
    """Samples a process tree's accumulated CPU and summed RSS until the root exits."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.samples: list[Sample] = []
        self._cpu_by_pid: dict[int, float] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            tree = _tree(self.root)
            for pid, (cpu, _) in tree.items():
                self._cpu_by_pid[pid] = max(cpu, self._cpu_by_pid.get(pid, 0.0))
            self.samples.append(
                Sample(
                    time.time(), sum(self._cpu_by_pid.values()), sum(r for _, r in tree.values())
                )
            )
            self._halt.wait(SAMPLE_INTERVAL_S)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def window(self, start: float, end: float) -> tuple[float, int]:
        """CPU seconds spent and peak tree RSS between two wall-clock times."""
        inside = [
            s for s in self.samples if start - SAMPLE_INTERVAL_S <= s.at <= end + SAMPLE_INTERVAL_S
        ]
        if not inside:
            return 0.0, 0
        return inside[-1].cpu_s - inside[0].cpu_s, max(s.rss_bytes for s in inside)


# --- exports -----------------------------------------------------------------------------------


def generate(customers: int, seed: int, as_of: str, out: Path, env: dict[str, str]) -> float:
    """The sample export for one size (reused when present); returns generation seconds."""
    if (out / "export.json").is_file():
        return 0.0
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "orchestration.sample_crm",
            "--out",
            str(out),
            "--customers",
            str(customers),
            "--seed",
            str(seed),
            "--as-of",
            as_of,
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def free_text_columns() -> dict[str, list[str]]:
    """Free-text columns per table, from the CRM contract."""
    sys.path.insert(0, str(ROOT))
    from orchestration.lib.crm_schema import TABLES

    return {t.name: t.free_text_columns for t in TABLES if t.free_text_columns}


def _changed(export_id: str, table: str, row: int, fraction: float) -> bool:
    """Deterministic choice of the rows to change (the same rows on every run of the benchmark)."""
    digest = hashlib.sha256(f"{export_id}|{table}|{row}".encode()).digest()
    return int.from_bytes(digest[:8], "big") < fraction * 2**64


def changed_copy(source: Path, target: Path, fraction: float) -> int:
    """Copy an export, appending a neutral sentence to ``fraction`` of its free-text cells.

    Files without free text are hard-linked (unchanged bytes, as a CRM re-export would give);
    ``export.json`` gets a new export id and the changed files' checksums. Returns cells changed.
    """
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    manifest = json.loads((source / "export.json").read_text(encoding="utf-8"))
    old_id = manifest["export_id"]
    manifest["export_id"] = f"{old_id}-changed"
    columns = free_text_columns()
    changed = 0
    for name, entry in manifest["tables"].items():
        src, dst = source / entry["file"], target / entry["file"]
        if name not in columns:
            os.link(src, dst)
            continue
        with (
            src.open(encoding="utf-8", newline="") as reader,
            dst.open("w", encoding="utf-8", newline="") as writer,
        ):
            rows = csv.DictReader(reader)
            out = csv.DictWriter(writer, fieldnames=rows.fieldnames or [], lineterminator="\n")
            out.writeheader()
            for number, row in enumerate(rows, start=1):
                if _changed(old_id, name, number, fraction):
                    for column in columns[name]:
                        if row.get(column):
                            row[column] = f"{row[column]} Nachtrag: Rückruf am Folgetag erledigt."
                            changed += 1
                out.writerow(row)
        entry["sha256"] = hashlib.sha256(dst.read_bytes()).hexdigest()
    for extra in source.iterdir():
        if extra.name not in {e["file"] for e in manifest["tables"].values()} | {"export.json"}:
            os.link(extra, target / extra.name)
    (target / "export.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return changed


# --- one run -----------------------------------------------------------------------------------


@dataclass
class StepFigures:
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_rss_bytes: int = 0


@dataclass
class RunFigures:
    label: str
    customers: int
    notes: int
    success: bool
    wall_s: float
    cpu_s: float
    peak_rss_tree_bytes: int
    peak_rss_process_bytes: int
    steps: dict[str, StepFigures] = field(default_factory=dict)
    manifest_bytes: int = 0
    changed_cells: int = 0


def asset_op_names() -> set[str]:
    """Op names of asset materializations (the rest of a run's steps are asset checks)."""
    from orchestration.definitions import defs

    return {"__".join(key.path) for key in defs().resolve_all_asset_keys()}


def step_group(step_key: str, asset_ops: set[str]) -> str:
    if step_key == "crm_governance_dbt_assets" or "dbt" in step_key:
        return "dbt"
    if step_key not in asset_ops:
        return "checks"
    if step_key.startswith("outputs__deletion_manifest"):
        return "manifest"
    if step_key.startswith("landing__"):
        return "ingest+scan"
    return "outputs"


def step_windows(dagster_home: Path) -> Iterator[tuple[str, float, float]]:
    """(step key, start, end) of every step of the latest run in a Dagster home."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return
        for stat in instance.get_run_step_stats(runs[0].run_id):
            if stat.start_time and stat.end_time:
                yield stat.step_key, stat.start_time, stat.end_time


def directory_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


def count_notes(export: Path) -> int:
    manifest = json.loads((export / "export.json").read_text(encoding="utf-8"))
    tables = free_text_columns()
    return sum(int(e.get("rows", 0)) for name, e in manifest["tables"].items() if name in tables)


def run_pipeline(
    label: str,
    export: Path,
    data_dir: Path,
    as_of: str,
    env: dict[str, str],
    extra: list[str],
    asset_ops: set[str],
    customers: int,
) -> RunFigures:
    """One ``python -m orchestration.run`` with the sampler attached; figures per step group."""
    run_env = {
        **env,
        "CRM_DATA_DIR": str(data_dir),
        "CRM_WAREHOUSE_PATH": str(data_dir / "warehouse.duckdb"),
        "DAGSTER_HOME": str(data_dir / "dagster_home"),
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    manifests_before = directory_bytes(data_dir / "manifests")
    log = (data_dir.parent / f"{label}.log").open("w")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "orchestration.run",
            "--export-dir",
            str(export),
            "--as-of",
            as_of,
            *extra,
        ],
        cwd=ROOT,
        env=run_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    code = process.wait()
    wall = time.time() - started
    sampler.stop()
    log.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    figures = RunFigures(
        label=label,
        customers=customers,
        notes=count_notes(export),
        success=code == 0,
        wall_s=wall,
        cpu_s=cpu,
        peak_rss_tree_bytes=max((s.rss_bytes for s in sampler.samples), default=0),
        peak_rss_process_bytes=after.ru_maxrss * 1024,
        manifest_bytes=directory_bytes(data_dir / "manifests") - manifests_before,
    )
    figures.steps = {group: StepFigures() for group in STEP_GROUPS}
    for key, start, end in step_windows(data_dir / "dagster_home"):
        group = figures.steps[step_group(key, asset_ops)]
        step_cpu, step_rss = sampler.window(start, end)
        group.wall_s += end - start
        group.cpu_s += step_cpu
        group.peak_rss_bytes = max(group.peak_rss_bytes, step_rss)
    return figures


# --- output ------------------------------------------------------------------------------------


def gb(value: int) -> str:
    return f"{value / 1e9:.2f} GB"


def table(rows: list[RunFigures]) -> str:
    head = ["run", "customers (notes)", "ok", "wall", "CPU", "peak memory: tree PSS / largest RSS"]
    head += [f"{g} wall/CPU/RSS" for g in STEP_GROUPS] + ["manifest files"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [
            r.label,
            f"{r.customers:,} ({r.notes:,})",
            "yes" if r.success else "FAILED",
            f"{r.wall_s:.0f} s",
            f"{r.cpu_s:.0f} s",
            f"{gb(r.peak_rss_tree_bytes)} / {gb(r.peak_rss_process_bytes)}",
        ]
        for group in STEP_GROUPS:
            s = r.steps.get(group, StepFigures())
            cells.append(f"{s.wall_s:.0f} s / {s.cpu_s:.0f} s / {gb(s.peak_rss_bytes)}")
        cells.append(f"+{r.manifest_bytes / 1e6:.0f} MB")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def verdicts(rows: list[RunFigures]) -> list[str]:
    """The issue's targets, each stated with the figures it was judged on."""
    full = {r.customers: r for r in rows if not r.label.endswith("changed")}
    changed = {r.customers: r for r in rows if r.label.endswith("changed")}
    out = []
    if 200_000 in full:
        peak = full[200_000].peak_rss_tree_bytes
        largest = full[200_000].peak_rss_process_bytes
        out.append(
            f"peak memory at 200k: {gb(peak)} (process tree, PSS), largest process "
            f"{gb(largest)} RSS (target < 2 GB): {_verdict(peak < 2e9)}"
        )
        if 100_000 in full:
            ratio = peak / max(full[100_000].peak_rss_tree_bytes, 1)
            out.append(
                f"peak memory 200k / 100k: {ratio:.2f} (target within 1.20): "
                f"{_verdict(ratio <= 1.2)}"
            )
    if 1_000_000 in full:
        wall = full[1_000_000].wall_s
        out.append(
            f"1M customers end to end: {wall / 60:.1f} min (target < 30): {_verdict(wall < 1800)}"
        )
    for size, run in sorted(changed.items()):
        if size in full:
            share = run.wall_s / full[size].wall_s
            out.append(
                f"1%-changed run at {size:,}: {run.wall_s:.0f} s = {share:.1%} of the full run "
                f"(target < 10% at 200k): {_verdict(share < 0.10)}"
            )
    for size, run in sorted(full.items()):
        if size <= 5_000:
            dbt = run.steps["dbt"].wall_s
            out.append(
                f"dbt at {size:,} customers: {dbt:.0f} s (target < 30 s): {_verdict(dbt < 30)}"
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000, 200_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", default="2026-01-15")
    parser.add_argument("--changed-fraction", type=float, default=0.01)
    parser.add_argument("--no-changed", action="store_true", help="skip the 1%%-changed runs")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/pipeline_scaling"))
    parser.add_argument("--keep", action="store_true", help="keep the data directories")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument(
        "run_args", nargs="*", help="extra arguments for orchestration.run (after --)"
    )
    args = parser.parse_args()

    os.environ.update(OFFLINE_ENV)
    env = dict(os.environ)
    asset_ops = asset_op_names()
    next_day = (dt.date.fromisoformat(args.as_of) + dt.timedelta(days=1)).isoformat()
    rows: list[RunFigures] = []
    for size in args.sizes:
        export = args.work_dir / "exports" / f"c{size}-s{args.seed}"
        seconds = generate(size, args.seed, args.as_of, export, env)
        if seconds:
            print(f"generated {size:,} customers in {seconds:.0f} s", flush=True)
        data_dir = args.work_dir / "runs" / f"c{size}-s{args.seed}"
        shutil.rmtree(data_dir, ignore_errors=True)
        full = run_pipeline(
            f"{size:,} full",
            export,
            data_dir,
            args.as_of,
            env,
            args.run_args,
            asset_ops,
            size,
        )
        rows.append(full)
        print(table([full]).splitlines()[-1], flush=True)
        if not args.no_changed:
            changed_export = export.with_name(export.name + "-changed")
            cells = changed_copy(export, changed_export, args.changed_fraction)
            run = run_pipeline(
                f"{size:,} changed",
                changed_export,
                data_dir,
                next_day,
                env,
                args.run_args,
                asset_ops,
                size,
            )
            run.changed_cells = cells
            rows.append(run)
            print(table([run]).splitlines()[-1] + f" ({cells:,} cells changed)", flush=True)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print()
    print(table(rows))
    print()
    for line in verdicts(rows):
        print(line)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")
    return 0 if all(r.success for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
