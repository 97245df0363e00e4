"""Export of a 200-page book to CBZ, ZIP and PDF against minimal zipfile/img2pdf scripts.

Run: python benchmarks/bench_export.py [--pages 200] [--repeat 3]

Every run is its own subprocess (so RSS peaks are separate): timed runs without
tracemalloc (best of --repeat), then one run with it. Budget (DESIGN.md): within 1.3x of
the baseline, memory flat as the book grows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import img2pdf

from studio.export import export
from studio.export.samples import page_files, page_like_png
from studio.export.source import MemorySource

PANELS_PER_PAGE = 4
CASES = ["cbz", "cbz-base", "zip", "zip-base", "pdf", "pdf-base", "pdf-base-norotate"]
"""`*-base`: minimal zipfile / img2pdf.convert scripts; `pdf-base-norotate`: img2pdf.convert
without its EXIF rotation look-up (which decodes every PNG), as the exporter does."""


def _book(pages: list[Path], panels: list[Path]) -> MemorySource:
    per_page = {i: panels[:PANELS_PER_PAGE] for i in range(len(pages))}
    return MemorySource(
        pages=pages,
        title="Benchmark book",
        writer="Bench",
        characters=["A", "B"],
        has_cover=True,
        lettered_panels=per_page,
        clean_panels={i: panels[PANELS_PER_PAGE:] for i in range(len(pages))},
        extra_metadata={"script": [{"page": i, "text": "x" * 200} for i in range(len(pages))]},
    )


def _baseline_zip(pages: list[Path], panels: list[Path], out: Path) -> None:
    """What a minimal script would do for the package: img2pdf then plain zipfile."""
    pdf = img2pdf.convert([str(page) for page in pages])
    with zipfile.ZipFile(out, "w") as archive:
        archive.write(pages[0], "cover.png")
        archive.writestr("book.pdf", pdf)
        for number, page in enumerate(pages, 1):
            archive.write(page, f"pages/page_{number:03d}.png")
            for panel_number, panel in enumerate(panels, 1):
                archive.write(panel, f"panels/page_{number:03d}_panel_{panel_number:02d}.png")
        archive.writestr("metadata.json", json.dumps({"title": "Benchmark book"}))


def _run_case(case: str, pages: list[Path], panels: list[Path], out: Path) -> None:
    match case:
        case "cbz" | "zip" | "pdf":
            export(_book(pages, panels), case, out)
        case "cbz-base":
            with zipfile.ZipFile(out, "w") as archive:
                for number, page in enumerate(pages, 1):
                    archive.write(page, f"{number:04d}.png")
        case "zip-base":
            _baseline_zip(pages, panels, out)
        case "pdf-base":
            with out.open("wb") as file:
                img2pdf.convert([str(page) for page in pages], outputstream=file)
        case "pdf-base-norotate":
            with out.open("wb") as file:
                pages_arg = [str(page) for page in pages]
                img2pdf.convert(pages_arg, outputstream=file, rotation=img2pdf.Rotation.none)


def _status_mb(field: str) -> float:
    """VmRSS / VmHWM of this process. Not ru_maxrss: Linux carries the parent's peak
    across fork+exec into it, which would hide a child's own peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(case: str, work: Path, count: int, trace: bool) -> dict[str, Any]:
    """Run one case in this process and measure it."""
    pages = sorted((work / "pages").iterdir())[:count]
    panels = sorted((work / "panels").iterdir())
    out = work / f"out-{case}"
    before = _status_mb("VmRSS")
    if trace:
        tracemalloc.start()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    _run_case(case, pages, panels, out)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else 0.0
    cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    size = out.stat().st_size / 2**20
    out.unlink()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "traced_mb": peak,
        "rss_delta_mb": _status_mb("VmHWM") - before,
        "mb": size,
    }


def _spawn(case: str, work: Path, count: int, trace: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", case, "--work", str(work)]
    command += ["--pages", str(count)] + (["--trace"] if trace else [])
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(cases: list[str], work: Path, count: int, repeat: int) -> dict[str, dict[str, Any]]:
    """Best of `repeat` timed runs per case, cases interleaved, dirty pages synced before each
    run (so one run's write-back does not slow the next); then one traced run per case."""
    timed: dict[str, list[dict[str, Any]]] = {case: [] for case in cases}
    for _ in range(repeat):
        for case in cases:
            os.sync()
            timed[case].append(_spawn(case, work, count, trace=False))
    results = {}
    for case, runs in timed.items():
        results[case] = {
            "seconds": min(run["seconds"] for run in runs),
            "cpu": min(run["cpu"] for run in runs),
            "rss_delta_mb": max(run["rss_delta_mb"] for run in runs),
            "traced_mb": _spawn(case, work, count, trace=True)["traced_mb"],
            "mb": runs[0]["mb"],
        }
    return results


def prepare(work: Path, count: int) -> None:
    start = time.perf_counter()
    page_files(work / "pages", count)
    (work / "panels").mkdir()
    for number in range(2 * PANELS_PER_PAGE):
        panel = page_like_png(100 + number, (660, 1000))
        (work / "panels" / f"panel_{number:02d}.png").write_bytes(panel)
    total = sum(path.stat().st_size for path in (work / "pages").iterdir()) / 2**20
    took = time.perf_counter() - start
    print(f"generated {count} pages, {total:.0f} MB ({total / count:.2f} MB/page) in {took:.0f} s")


def report(results: dict[str, dict[str, Any]], count: int) -> None:
    print(f"\n{f'{count} pages':18} | wall s | CPU s | tracemalloc peak MB | RSS delta MB | out MB")
    for case, result in results.items():
        print(
            f"{case:18} | {result['seconds']:6.2f} | {result['cpu']:5.2f} |"
            f" {result['traced_mb']:19.1f} | {result['rss_delta_mb']:12.1f} | {result['mb']:6.0f}"
        )
    for case, result in results.items():
        for base in (f"{case}-base", f"{case}-base-norotate"):
            if base in results:
                wall = result["seconds"] / results[base]["seconds"]
                cpu = result["cpu"] / results[base]["cpu"]
                print(f"  {case} / {base}: wall {wall:.2f}x, CPU {cpu:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child")
    parser.add_argument("--work", type=Path)
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.work, args.pages, args.trace)))
        return
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        prepare(work, args.pages)
        results = measure(CASES, work, args.pages, args.repeat)
        report(results, args.pages)
        quarter = max(1, args.pages // 4)
        small = measure(["cbz", "zip", "pdf"], work, quarter, 1)
        report(small, quarter)
        print("\nflat memory: RSS delta at", quarter, "vs", args.pages, "pages")
        for case, result in small.items():
            big = results[case]["rss_delta_mb"]
            print(f"  {case}: {result['rss_delta_mb']:.1f} MB vs {big:.1f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
