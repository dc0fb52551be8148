"""Every benchmark of the product, one after the other, and one table of their figures.

    .venv/bin/python scripts/bench_all.py [--quick] [--ref COMMIT] [--skip-pg] [--skip-load]

Runs, each on its own scratch database (never the product's):
- the eligibility engine against its bare history loop (python -m thidua.eligibility.bench);
- the pages on the scaled province, SQLite and PostgreSQL (thidua bench: search, profiles, dashboards of
  every role, the import, each against the bare view);
- the proposal dossiers (thidua bench_dossiers: a 500-nominee appraisal, the list among 50,000 dossiers);
- the load test (loadtest/run.py: every page unloaded against the bare view, then 200 users; with
  --ref, the same run on that commit first, for the requests-per-second gain).
Then prints one table: every measure, its floor, the ratio, the target, pass or fail (ĐẠT/KHÔNG ĐẠT), and
exits 1 if any target is missed. --quick makes every suite smaller (for trying the command, not for
figures). `make bench-all` runs it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from thidua.demo.benchtable import read_rows, render  # noqa: E402

PYTHON = sys.executable
THIDUA = str(Path(PYTHON).with_name("thidua"))
BENCH = ROOT / "bench-data"
PG = "postgres://postgres@127.0.0.1:5432"


def _pg_database(name: str) -> str:
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    return f"{PG}/{name}"


def _run(title: str, command: list[str], env: dict[str, str] | None = None) -> bool:
    print(f"\n### {title}\n$ {' '.join(command)}", flush=True)
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})}, check=False)
    if result.returncode != 0:
        print(f"!!! {title}: exit {result.returncode}", flush=True)
    return result.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller suites, to try the command")
    parser.add_argument("--ref", help="the commit the load test compares requests per second with")
    parser.add_argument("--skip-pg", action="store_true", help="SQLite only")
    parser.add_argument("--skip-load", action="store_true", help="without the load test")
    args = parser.parse_args(argv)
    BENCH.mkdir(exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="thidua-bench-all-"))
    files: list[Path] = []
    ok = True

    def step(title: str, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        nonlocal ok
        target = out / f"{name}.json"
        ok = (
            _run(title, [*command, "--json" if "loadtest" not in command[1] else "--rows", str(target)], env)
            and ok
        )
        if target.exists():
            files.append(target)

    people = ["--people", "20000"] if args.quick else []
    step(
        "Bộ máy xét điều kiện",
        "engine",
        [PYTHON, "-m", "thidua.eligibility.bench", *(people or ["--people", "50000"])],
    )
    databases = [
        ("sqlite", f"sqlite:///{BENCH / 'bench.sqlite3'}", f"sqlite:///{BENCH / 'dossiers.sqlite3'}")
    ]
    if not args.skip_pg:
        databases.append(("postgres", _pg_database("thidua_bench"), _pg_database("thidua_bench_dossiers")))
    for vendor, pages_url, dossiers_url in databases:
        env = {"DATABASE_URL": pages_url, "THIDUA_HOME": str(BENCH)}
        quick = ["--samples", "10", "--skip-import", "--skip-default-load"] if args.quick else []
        step(f"Trang ({vendor})", f"pages-{vendor}", [THIDUA, "bench", *quick], env)
        env = {"DATABASE_URL": dossiers_url, "THIDUA_HOME": str(BENCH)}
        quick = ["--dossiers", "2000", "--samples", "5", "--runs", "2"] if args.quick else []
        step(f"Hồ sơ ({vendor})", f"dossiers-{vendor}", [THIDUA, "bench_dossiers", *quick], env)
        if not args.skip_load:
            load = ["--users", "40", "--duration", "20", "--samples", "10"] if args.quick else []
            if args.ref:
                load += ["--ref", args.ref]
            step(
                f"Tải ({vendor})",
                f"load-{vendor}",
                [PYTHON, str(ROOT / "loadtest" / "run.py"), "--database", vendor, *load],
            )
    rows = [r for f in files for r in read_rows(f)]
    print("\n### Tổng hợp\n" + render(rows), flush=True)
    return 0 if ok and rows and all(r["passed"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
