"""Writer of ``benchmarks/RESULTS.md``: the machine, the commit, the date and one table per benchmark."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path

from .environment import REPOSITORY

ALL_SCALES = (1.0, 10.0, 100.0)
# Growth of an export's peak memory allowed from scale 1 to scale 100, in MB.
MEMORY_GROWTH_MB = 30


def machine() -> dict[str, str]:
    """Return the cores, memory and Python of this machine."""
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        memory_kb = int(meminfo.readline().split()[1])
    return {"cores": str(os.cpu_count()), "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
            "python": platform.python_version()}


def run_facts() -> dict[str, str]:
    """Return the commit and the time of a run that has just ended."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPOSITORY, capture_output=True,
                            text=True, check=False).stdout.strip() or "unknown"
    return {"commit": commit, "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


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
             "Written by `make bench` (`python -m benchmarks.run`) from the runs kept in `benchmarks/runs/`; "
             "see `docs/benchmarks.md` for the method.", "",
             f"Machine: {facts['cores']} cores, {facts['memory']} memory, Python {facts['python']}, seed {seed}. "
             "The cores are shared with other work and runs of different scales may have overlapped, so rates "
             "(rows/s, ms) vary from run to run by a factor of two or more: compare the ratios, each measured "
             "against its baseline in the same process on the same database, not the rates.", ""]
    unfinished = [f"{_where(r)} (not measured: {', '.join(r['unfinished'])})" for r in results if r.get("unfinished")]
    if unfinished:
        lines += [f"Stopped before the end: {'; '.join(unfinished)}.", ""]
    everything = results
    databases = sorted({result["vendor"] for result in results})
    ran = {(result["vendor"], result["scale"]) for result in results}
    missing = [f"{vendor} scale {scale:g}" for vendor in ("sqlite", "mysql") for scale in ALL_SCALES
               if (vendor, scale) not in ran]
    lines += [f"Ran: {', '.join(f'{vendor} scale {scale:g}' for vendor, scale in sorted(ran))}.",
              f"Not run: {', '.join(missing) or 'none'}." + (f" {note}" if note else ""), ""]
    lines += ["## Generation", ""] + _table(
        ("database, scale", "commit, end of run", "rows", "seconds", "rows/s", "catalogue hours"),
        [(_where(r), _ran(r), f"{r['generation']['rows']:,}", _optional(r["generation"]["seconds"], ".1f"),
          _optional(r["generation"]["rows_per_second"], ",.0f"), f"{r['generation']['catalogue_hours']:,.1f}")
         for r in results])
    if any(r["generation"]["seconds"] is None for r in results):
        lines += ["A generation marked *not run* was timed apart from this run (see below): the run measured a "
                  "programme generated before (`--generated`).", ""]
    lines += ["## 1. Dashboard figures", ""] + _table(
        ("database, scale", "summary (ms)", "hand-written SQL (ms)", "ratio", "target ≤ 1.5", "same totals"),
        [(_where(r), f"{r['figures']['raqmya_seconds'] * 1000:.1f}", f"{r['figures']['baseline_seconds'] * 1000:.1f}",
          f"{r['figures']['ratio']:.2f}", _verdict(r["figures"]["ratio"], 1.5, False), r["figures"]["agree"])
         for r in _having(everything, "figures")])
    lines += ["## 2. Exports (learners report)", ""] + _table(
        ("database, scale", "rows", "runs", "raw rows/s", "CSV rows/s", "CSV ratio", "XLSX rows/s", "XLSX ratio",
         "target ≥ 0.5"),
        [(_where(r), f"{r['exports']['rows']:,}", r["exports"].get("repeat", 1),
          f"{r['exports']['raw_rows_per_second']:,.0f}",
          *_export_cells(r["exports"], "csv"), *_export_cells(r["exports"], "xlsx"),
          f"CSV {_export_verdict(r['exports'], 'csv')}, XLSX {_export_verdict(r['exports'], 'xlsx')}")
         for r in _having(everything, "exports")])
    lines += ["*runs*: how many times each writer ran, in turns (raw, CSV, XLSX). Each rate is that of the "
              "writer's median time.", ""]
    if any("xlsx" not in r["exports"]["max_rss_mb"] for r in _having(everything, "exports")):
        lines += ["XLSX is not run where the rows exceed one Excel sheet (1,048,576 rows with the header).", ""]
    if any(r["exports"].get("stopped_after_seconds") for r in _having(everything, "exports")):
        lines += ["An export marked *stopped* was still running at the time limit: its CSV rate counts the rows "
                  "written until then, and an XLSX file is only written at the end, so it has none.", ""]
    lines += ["Peak resident memory of an export in a child process, the highest of its runs (MB, `VmHWM`):",
              ""] + _table(
        ("database, scale", "raw writer", "CSV", "XLSX"),
        [(_where(r), *(_optional(r["exports"]["max_rss_mb"].get(w), ".1f") for w in ("raw", "csv", "xlsx")))
         for r in _having(everything, "exports")])
    lines += _memory_growth(_having(everything, "exports"), databases)
    lines += _province_lines(_having(everything, "province_export"))
    lines += ["## 3. Ingestion", ""] + _table(
        ("database, scale", "events", "receivers events/s", "raw inserts events/s", "ratio", "target ≥ 0.25",
         "statements per event (receivers / raw)", "tracking-log lines/s"),
        [(_where(r), r["ingestion"]["events"], f"{r['ingestion']['signal_events_per_second']:,.0f}",
          f"{r['ingestion']['raw_events_per_second']:,.0f}", f"{r['ingestion']['ratio']:.2f}",
          _verdict(r["ingestion"]["ratio"], 0.25, True), _statements(r["ingestion"]),
          f"{r['ingestion']['log_lines_per_second']:,.0f}")
         for r in _having(everything, "ingestion")])
    lines += ["## 4. Assessment block", ""] + _table(
        ("database, scale", "render (ms)", "thumbs render (ms)", "render ratio", "target ≤ 2",
         "submit (ms)", "thumbs vote (ms)", "submit ratio"),
        [(_where(r), f"{r['block']['assessment_render_seconds'] * 1000:.2f}",
          f"{r['block']['stock_render_seconds'] * 1000:.2f}", f"{r['block']['render_ratio']:.2f}",
          _verdict(r["block"]["render_ratio"], 2.0, False), f"{r['block']['assessment_submit_seconds'] * 1000:.2f}",
          f"{r['block']['stock_submit_seconds'] * 1000:.2f}", f"{r['block']['submit_ratio']:.2f}")
         for r in _having(everything, "block")])
    path.write_text("\n".join(lines), encoding="utf-8")


def _province_lines(results: list[dict]) -> list[str]:
    """Return the table of one province's CSV export, or nothing where no run measured it."""
    if not results:
        return []
    return ["One province's learners, as an operator who sees one province exports them: the province with "
            "the most enrollments, CSV against the raw writer's join with the same condition "
            "(`benchmarks/exports.py`, `measure_province_export`).", ""] + _table(
        ("database, scale", "province", "rows", "runs", "raw rows/s", "CSV rows/s", "CSV ratio", "target ≥ 0.5",
         "same rows"),
        [(_where(r), r["province_export"]["province"], f"{r['province_export']['rows']:,}",
          r["province_export"]["repeat"], f"{r['province_export']['raw_rows_per_second']:,.0f}",
          *_export_cells(r["province_export"], "csv"), _export_verdict(r["province_export"], "csv"),
          r["province_export"]["rows_match"])
         for r in results])


def _export_cells(exports: dict, writer: str) -> tuple[str, str]:
    """Return the rows/s and ratio cells of one export, marked when it was stopped at the time limit."""
    rate, ratio = exports[f"{writer}_rows_per_second"], exports[f"{writer}_ratio"]
    stopped = exports.get("stopped_after_seconds", {}).get(writer)
    if stopped:
        mark = f" (stopped at {stopped:,.0f} s)"
        return (("unknown" if rate is None else f"{rate:,.0f}") + mark,
                ("unknown" if ratio is None else f"{ratio:.2f}") + mark)
    if writer not in exports["max_rss_mb"]:
        return "not run", "not run"
    return _optional(rate, ",.0f"), _optional(ratio, ".2f")


def _export_verdict(exports: dict, writer: str) -> str:
    ratio = exports[f"{writer}_ratio"]
    if ratio is None:
        return "MISSED" if exports.get("stopped_after_seconds", {}).get(writer) else "not run"
    return _verdict(ratio, 0.5, True)


def _having(results: list[dict], benchmark: str) -> list[dict]:
    """Return the results that include ``benchmark`` (a run stopped early lacks the later ones)."""
    return [result for result in results if benchmark in result]


def _ran(result: dict) -> str:
    ran = result.get("ran")
    return f"{ran['commit']}, {ran['date']}" if ran else "not recorded"


def _optional(value: float | None, spec: str) -> str:
    return "not run" if value is None else format(value, spec)


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
        small = next((r for r in runs if r["scale"] == 1), runs[0])
        for writer, label in (("csv", "CSV"), ("xlsx", "XLSX")):
            measured = [r for r in runs if writer in r["exports"]["max_rss_mb"] and r["scale"] > small["scale"]]
            if writer not in small["exports"]["max_rss_mb"] or not measured:
                continue
            large = measured[-1]
            growth = large["exports"]["max_rss_mb"][writer] - small["exports"]["max_rss_mb"][writer]
            verdict = ("the target's scales were not both measured" if (small["scale"], large["scale"]) != (1, 100)
                       else "met" if growth < MEMORY_GROWTH_MB else "MISSED")
            change = f"grows by {growth:.1f} MB" if growth >= 0 else f"falls by {-growth:.1f} MB"
            lines.append(f"- {vendor}, {label}: from scale {small['scale']:g} to {large['scale']:g}, peak memory "
                         f"{change} (target: under {MEMORY_GROWTH_MB} MB from scale 1 to 100: {verdict}).")
    return lines + [""] if lines else []
