"""Benchmark: the demo's full report build (issue 5, target: both languages, every format,
under 30 s), and our PDF path against LibreOffice headless converting the same DOCX.

    python bench/bench_report.py [--repeat 3] [--no-baseline]

Ours: definition + ledger → document → PDF with WeasyPrint (``report build``). Baseline:
``soffice --headless --convert-to pdf`` of the DOCX we write for the same document (LibreOffice
is needed for the baseline only: ``apt-get install libreoffice-writer-nogui``; it is not a
dependency of esgledger). The ratio printed is LibreOffice's seconds over ours for the same
two reports (zh and en), wall clock and CPU (CPU is steadier on a shared machine): above 1
means our path is faster.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from rich.console import Console

from esgledger.demo.build import REPORT_YEAR, build_demo
from esgledger.report.build import FORMATS, LANGS, build_outputs, load_workspace_definition
from esgledger.report.context import ReportContext
from esgledger.report.definition import DEFINITION_NAME, write_starting_definition
from esgledger.report.render import html as html_renderer
from esgledger.report.render.pdf import render_pdf
from esgledger.workspace import open_workspace


def measure(ws, definition, outdir: Path, *, langs=LANGS, formats=FORMATS, period=REPORT_YEAR) -> dict:
    """One full build; seconds per format (summed over languages), setup and total."""
    html_renderer._SVG_CACHE.clear()  # every run draws its charts
    t = time.perf_counter()
    res = build_outputs(ws, definition, outdir, period=period, langs=langs, formats=formats)
    total = time.perf_counter() - t
    assert not res.problems.errors, res.problems.flat()
    return {"seconds": res.seconds, "total": total, "outputs": res.outputs}


def our_pdf(ws, definition) -> tuple[float, float]:
    """(wall, CPU) seconds to render the zh and en PDFs from their documents (WeasyPrint)."""
    from esgledger.report.build import build_document

    ctx = ReportContext(ws, definition, REPORT_YEAR)
    docs = [build_document(ctx, lang, checklist=False) for lang in LANGS]
    html_renderer._SVG_CACHE.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        render_pdf(doc)
    return time.perf_counter() - wall, time.process_time() - cpu


LO_MISSING = ("baseline not measured: LibreOffice (soffice) is not installed; "
              "apt-get install -y libreoffice-writer-nogui (needed for the baseline only)")


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_pdf(docx_files: list[Path], outdir: Path) -> tuple[float, float]:
    """(wall, CPU) seconds for LibreOffice headless to convert each DOCX to PDF (one process
    per file, as a conversion service would run it; the profile is made by a warm-up run)."""
    soffice = libreoffice()
    if soffice is None:
        raise SystemExit(LO_MISSING)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
           "--outdir", str(outdir)]
    subprocess.run(cmd + [str(docx_files[0])], check=True, capture_output=True)  # warm-up
    before = os.times()
    t = time.perf_counter()
    for f in docx_files:
        subprocess.run(cmd + [str(f)], check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = os.times()
    shutil.rmtree(profile, ignore_errors=True)
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"machine: {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        ws_path = Path(d) / "ws"
        build_demo(ws_path, console=Console(quiet=True), report_formats=())
        write_starting_definition(ws_path / DEFINITION_NAME, REPORT_YEAR)
        ws = open_workspace(ws_path)
        definition = load_workspace_definition(ws)
        runs = [measure(ws, definition, Path(d) / f"out{i}") for i in range(args.repeat)]
        best = min(runs, key=lambda r: r["total"])
        ours = min((our_pdf(ws, definition) for _ in range(args.repeat)), key=lambda r: r[0])
        ws.close()
        docx_files = [p for p in best["outputs"] if p.suffix == ".docx"]
        pages = {p.name: _pages(p) for p in best["outputs"] if p.suffix == ".pdf"}
        lo = None if args.no_baseline or libreoffice() is None else min(
            (libreoffice_pdf(docx_files, Path(d) / "lo") for _ in range(args.repeat)), key=lambda r: r[0])
        lo_pages = {} if lo is None else {p.name: _pages(p) for p in (Path(d) / "lo").glob("*.pdf")}
    s = best["seconds"]
    if lo is None:
        print("baseline not measured: --no-baseline" if args.no_baseline else LO_MISSING)
    else:
        print(f"LibreOffice DOCX→PDF / our PDF: {lo[0] / ours[0]:.2f}x wall, {lo[1] / ours[1]:.2f}x CPU   "
              f"(ours {ours[0]:.2f} s wall / {ours[1]:.2f} s CPU; LibreOffice {lo[0]:.2f} s / {lo[1]:.2f} s; "
              f"zh+en, best of {args.repeat})")
    print(f"full build (zh+en; {', '.join(FORMATS)}): {best['total']:.2f} s   (target < 30 s) "
          f"{'OK' if best['total'] < 30 else 'OVER'}; best of {args.repeat}: "
          + ", ".join(f"{r['total']:.2f}" for r in runs))
    print("seconds per format (zh+en): " + ", ".join(f"{k} {v:.2f}" for k, v in s.items()))
    print("pages: " + ", ".join(f"{k} {v}" for k, v in {**pages, **{f'LibreOffice {k}': v for k, v in lo_pages.items()}}.items()))
    print(machine() + f", load average {os.getloadavg()[0]:.1f}")


def _pages(pdf: Path) -> int | str:
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        return "?"
    out = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True).stdout
    return int(next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "0"))


if __name__ == "__main__":
    main()
