"""Writer of ``benchmarks/RESULTS.md``: the machine, the commit, the date and one table per benchmark."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path

from .environment import REPOSITORY

ALL_SCALES = (1.0, 10.0, 100.0)
# The targets of each ratio: (result key, label, target, True when higher is better).
TARGETS = {
    "figures": (("ratio", "summary time / hand-written SQL time", 1.5, False),),
    "exports": (
        ("csv_ratio", "CSV rows/s / raw rows/s", 0.5, True),
        ("xlsx_ratio", "XLSX rows/s / raw rows/s", 0.5, True),
    ),
    "ingestion": (("ratio", "receiver events/s / raw insert events/s", 0.25, True),),
    "block": (("render_ratio", "assessment render / thumbs render", 2.0, False),),
}


def machine() -> dict[str, str]:
    """Return the cores, memory, Python and commit of this run."""
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        memory_kb = int(meminfo.readline().split()[1])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPOSITORY, capture_output=True,
                            text=True, check=False).stdout.strip() or "unknown"
    return {"cores": str(os.cpu_count()), "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
            "python": platform.python_version(), "commit": commit,
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def _verdict(value: float, target: float, higher_is_better: bool) -> str:
    met = value >= target if higher_is_better else value <= target
    return "met" if met else "MISSED"


def _table(header: tuple[str, ...], rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def _where(result: dict) -> str:
    return f"{result['vendor']} {result['database_version']}, scale {result['scale']:g}"


def write_results(results: list[dict], path: Path, *, seed: int, note: str = "") -> None:
    """Write ``results`` (one per database and scale) to ``path`` as Markdown."""
    facts = machine()
    lines = ["# Benchmark results", "",
             "Written by `make bench` (`python -m benchmarks.run`); see `docs/benchmarks.md` for the method.", "",
             f"Machine: {facts['cores']} cores, {facts['memory']} memory, Python {facts['python']}. "
             f"Commit {facts['commit']}, {facts['date']}, seed {seed}.", ""]
    databases = sorted({result["vendor"] for result in results})
    ran = {(result["vendor"], result["scale"]) for result in results}
    missing = [f"{vendor} scale {scale:g}" for vendor in ("sqlite", "mysql") for scale in ALL_SCALES
               if (vendor, scale) not in ran]
    lines += [f"Ran: {', '.join(f'{vendor} scale {scale:g}' for vendor, scale in sorted(ran))}.",
              f"Not run: {', '.join(missing) or 'none'}." + (f" {note}" if note else ""), ""]
    lines += ["## Generation", ""] + _table(
        ("database, scale", "rows", "seconds", "rows/s", "catalogue hours"),
        [(_where(r), f"{r['generation']['rows']:,}", f"{r['generation']['seconds']:.1f}",
          f"{r['generation']['rows_per_second']:,.0f}", f"{r['generation']['catalogue_hours']:,.1f}") for r in results])
    lines += ["## 1. Dashboard figures", ""] + _table(
        ("database, scale", "summary (ms)", "hand-written SQL (ms)", "ratio", "target ≤ 1.5", "same totals"),
        [(_where(r), f"{r['figures']['raqmya_seconds'] * 1000:.1f}", f"{r['figures']['baseline_seconds'] * 1000:.1f}",
          f"{r['figures']['ratio']:.2f}", _verdict(r["figures"]["ratio"], 1.5, False), r["figures"]["agree"])
         for r in results])
    lines += ["## 2. Exports (learners report)", ""] + _table(
        ("database, scale", "rows", "raw rows/s", "CSV rows/s", "CSV ratio", "XLSX rows/s", "XLSX ratio",
         "target ≥ 0.5"),
        [(_where(r), f"{r['exports']['rows']:,}", f"{r['exports']['raw_rows_per_second']:,.0f}",
          f"{r['exports']['csv_rows_per_second']:,.0f}", f"{r['exports']['csv_ratio']:.2f}",
          f"{r['exports']['xlsx_rows_per_second']:,.0f}", f"{r['exports']['xlsx_ratio']:.2f}",
          "CSV " + _verdict(r["exports"]["csv_ratio"], 0.5, True) + ", XLSX "
          + _verdict(r["exports"]["xlsx_ratio"], 0.5, True)) for r in results])
    lines += ["Peak resident memory of one export in a child process (MB, `VmHWM`):", ""] + _table(
        ("database, scale", "raw writer", "CSV", "XLSX"),
        [(_where(r), *(f"{r['exports']['max_rss_mb'][w]:.1f}" for w in ("raw", "csv", "xlsx"))) for r in results])
    lines += _memory_growth(results, databases)
    lines += ["## 3. Ingestion", ""] + _table(
        ("database, scale", "events", "receivers events/s", "raw inserts events/s", "ratio", "target ≥ 0.25",
         "statements per event (receivers / raw)", "tracking-log lines/s"),
        [(_where(r), r["ingestion"]["events"], f"{r['ingestion']['signal_events_per_second']:,.0f}",
          f"{r['ingestion']['raw_events_per_second']:,.0f}", f"{r['ingestion']['ratio']:.2f}",
          _verdict(r["ingestion"]["ratio"], 0.25, True), _statements(r["ingestion"]),
          f"{r['ingestion']['log_lines_per_second']:,.0f}")
         for r in results])
    lines += ["## 4. Assessment block", ""] + _table(
        ("database, scale", "render (ms)", "thumbs render (ms)", "render ratio", "target ≤ 2",
         "submit (ms)", "thumbs vote (ms)", "submit ratio"),
        [(_where(r), f"{r['block']['assessment_render_seconds'] * 1000:.2f}",
          f"{r['block']['stock_render_seconds'] * 1000:.2f}", f"{r['block']['render_ratio']:.2f}",
          _verdict(r["block"]["render_ratio"], 2.0, False), f"{r['block']['assessment_submit_seconds'] * 1000:.2f}",
          f"{r['block']['stock_submit_seconds'] * 1000:.2f}", f"{r['block']['submit_ratio']:.2f}") for r in results])
    path.write_text("\n".join(lines), encoding="utf-8")


def _statements(ingestion: dict) -> str:
    if "signal_statements_per_event" not in ingestion:
        return "not counted"
    return f"{ingestion['signal_statements_per_event']:.1f} / {ingestion['raw_statements_per_event']:.1f}"


def _memory_growth(results: list[dict], databases: list[str]) -> list[str]:
    """Return the lines on CSV export memory growth between the smallest and largest scale of each database."""
    lines = []
    for vendor in databases:
        runs = sorted((r for r in results if r["vendor"] == vendor), key=lambda r: r["scale"])
        if len(runs) < 2:
            continue
        small, large = runs[0], runs[-1]
        growth = {w: large["exports"]["max_rss_mb"][w] - small["exports"]["max_rss_mb"][w] for w in ("csv", "xlsx")}
        lines.append(f"{vendor}: from scale {small['scale']:g} to {large['scale']:g}, CSV export memory grows by "
                     f"{growth['csv']:.1f} MB and XLSX by {growth['xlsx']:.1f} MB (target: under 30 MB from scale 1 "
                     "to 100).")
    return lines + [""] if lines else []
