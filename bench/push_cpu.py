"""Central's CPU a pushed visit, in one process, one push at a time: a steadier measure than
`bench/central.py`'s uvicorn workers under fifty devices, and one that splits the cost
into what a push costs whatever its size and what each visit in it adds.

    .venv/bin/python bench/push_cpu.py [--batches 1,10,50] [--visits 2000] [--rounds 2]
                                       [--compare-commit REV] [--instructions]

Each measurement is a child process: central's app as a uvicorn worker makes it
(`app_from_environment`, its log lines at the shipped level, INFO), on a fresh PostgreSQL
database (HOMEVISIT_BENCH_POSTGRES, default postgresql://postgres@127.0.0.1:5432), 10 laptops
enrolled through the API, then every push of `--visits` signed visits in batches of B sent
through the whole ASGI app (middleware, routing, the worker thread, the transaction), one
after another; the child's user + system CPU a visit is printed, and the CPU the garbage
collector took. With `--compare-commit`, the
same for that commit (unpacked with `git archive`), alternating which goes first, so both
sides see the same machine. From the smallest and largest B: CPU a push (whatever its size)
and CPU a visit (what each adds), a straight line through the two.

The workers' CPU under concurrent load (`bench/central.py`) is higher than this by what
threads switching under the GIL costs (15-20 % here at batches of 10).

`--instructions` counts, instead of CPU seconds, the instructions central's process carries
out while the measured pushes run, under valgrind's callgrind (Debian's `valgrind`): the
same code gives the same count to within 0.1 % however busy the machine is, where its CPU
seconds move by 10-30 % between runs on this shared machine. It is ~50 times slower, so use
a few hundred visits; the kernel's part of a push (writes, the socket to PostgreSQL) is not
counted, nor is PostgreSQL's.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAPTOPS = 10
# What bench/central.py's helpers import: imported first from the tree being measured, so
# that those helpers (which put this tree on sys.path) use the measured tree's modules.
MEASURED_MODULES = ("central", "central.app", "central.db.engine", "central.db.migrate",
                    "central.services.admin", "central.services.devices", "records.canonical",
                    "records.case", "records.visit", "sync.protocol")


async def _post(app: Any, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """One request through the whole ASGI app, as uvicorn hands it over."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5000),
             "server": ("127.0.0.1", 80), "state": {},
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
             + [(b"content-length", str(len(body)).encode()), (b"host", b"central")]}
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects
        raise AssertionError("unreachable")

    messages: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(scope, receive, send)
    return messages[0]["status"], b"".join(m.get("body", b"") for m in messages[1:])


def _callgrind(switch: str) -> None:
    """Callgrind's counting on or off in this process (it starts off: `--instr-atstart=no`)."""
    subprocess.run(["callgrind_control", "--instr=" + switch, str(os.getpid())],
                   check=True, capture_output=True)


async def _child(batch: int, visits: int, count_instructions: bool) -> dict[str, float]:
    for name in MEASURED_MODULES:
        importlib.import_module(name)
    sys.path.insert(1, str(ROOT / "bench"))
    import httpx

    # bench/central.py's helpers (a database, laptops, signed pushes), loaded by path: the
    # name `central` is the measured tree's package.
    spec = importlib.util.spec_from_file_location("central_bench", ROOT / "bench" / "central.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["central_bench"] = bench  # its dataclasses look their module up by name
    spec.loader.exec_module(bench)
    from central.app import app_from_environment

    with bench.database() as url:
        laptops = bench.prepare(url, LAPTOPS)
        os.environ["HOMEVISIT_CENTRAL_DATABASE_URL"] = url
        # Its log lines at the shipped level (INFO: one a request, one a push's stored ops), on
        # stderr.
        app = app_from_environment()
        async with app.router.lifespan_context(app):
            await bench.enroll("http://central", laptops,
                               transport=httpx.ASGITransport(app=app))
            for laptop in laptops:
                bench.sign_batches(laptop, "warm", batch, batch)
                bench.sign_batches(laptop, "measured", visits // LAPTOPS, batch)

            async def push_all(phase: str) -> int:
                count = 0
                for laptop in laptops:
                    for body in laptop.bodies[phase]:
                        status, answer = await _post(app, "/v1/sync/push", body, {
                            "content-type": "application/json",
                            "authorization": f"Bearer {laptop.token}"})
                        results = json.loads(answer)["results"] if status == 200 else []
                        if status != 200 or any(r["result"] != "accepted" for r in results):
                            raise SystemExit(f"a push was not accepted: {status} {answer[:300]!r}")
                        count += len(results)
                return count

            await push_all("warm")  # statements prepared, caches filled
            collector = {"seconds": 0.0, "began": 0.0}

            def timed(phase: str, _info: dict[str, Any]) -> None:
                if phase == "start":
                    collector["began"] = time.process_time()
                else:
                    collector["seconds"] += time.process_time() - collector["began"]

            gc.callbacks.append(timed)
            if count_instructions:
                _callgrind("on")
            before = resource.getrusage(resource.RUSAGE_SELF)
            count = await push_all("measured")
            after = resource.getrusage(resource.RUSAGE_SELF)
            if count_instructions:
                _callgrind("off")
            gc.callbacks.remove(timed)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"batch": batch, "visits": count, "cpu_ms": cpu * 1000 / count,
            "gc_ms": collector["seconds"] * 1000 / count}


def _measure(source: Path, batch: int, visits: int, instructions: bool) -> dict[str, float]:
    child = [sys.executable, str(ROOT / "bench" / "push_cpu.py"), "--child", str(source),
             "--batches", str(batch), "--visits", str(visits)]
    with tempfile.TemporaryDirectory() as folder:
        counts = Path(folder) / "callgrind.out"
        if instructions:
            child = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
                     f"--callgrind-out-file={counts}", *child, "--child-instructions"]
        done = subprocess.run(child, cwd=source, env={**os.environ, "PYTHONPATH": str(source)},
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"the measurement of {source} failed:\n{done.stderr[-3000:]}")
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        if instructions:
            result["instructions"] = _instructions(counts) / result["visits"]
    return result


def _instructions(counts: Path) -> int:
    """The instructions callgrind counted, from its output's `totals:` line."""
    for line in counts.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise SystemExit(f"callgrind wrote no totals to {counts}")


def _line(batches: list[int], figures: dict[int, list[float]]) -> tuple[float, float]:
    """CPU a push (ms) and a visit (ms) from the smallest and largest batch's medians."""
    small, large = batches[0], batches[-1]
    per_small, per_large = median(figures[small]), median(figures[large])
    per_visit = (large * per_large - small * per_small) / (large - small)
    return small * (per_small - per_visit), per_visit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", default="1,10,50")
    parser.add_argument("--visits", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--compare-commit", default=None, metavar="REV")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions under callgrind instead of CPU seconds")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-instructions", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    batches = sorted(int(b) for b in args.batches.split(","))
    if args.child is not None:
        sys.path.insert(0, str(args.child))
        print(json.dumps(asyncio.run(_child(batches[0], args.visits,
                                            args.child_instructions))))
        return
    with ExitStack() as stack:
        sides: dict[str, Path] = {"this tree": ROOT}
        if args.compare_commit:
            from checkouts import unpacked  # bench/checkouts.py

            sides[args.compare_commit] = stack.enter_context(unpacked(args.compare_commit))
        if args.instructions and shutil.which("callgrind_control") is None:
            raise SystemExit("--instructions needs valgrind: sudo apt-get install valgrind")
        unit = "thousand instructions" if args.instructions else "ms of CPU"
        print(f"central's {unit} a pushed visit, in one process, one push at a time; "
              f"{args.visits} visits a measurement, {LAPTOPS} laptops; load average "
              f"{os.getloadavg()[0]:.1f} at start")
        cpu: dict[str, dict[int, list[float]]] = {side: {b: [] for b in batches}
                                                  for side in sides}
        for round_number in range(args.rounds):
            order = list(sides) if round_number % 2 == 0 else list(reversed(sides))
            for batch in batches:
                # Counted instructions do not depend on what else runs: both sides at once.
                with ThreadPoolExecutor(len(order) if args.instructions else 1) as pool:
                    futures = {side: pool.submit(_measure, sides[side], batch, args.visits,
                                                 args.instructions) for side in order}
                    for side, future in futures.items():
                        found = future.result()
                        figure = (found["instructions"] / 1000 if args.instructions
                                  else found["cpu_ms"])
                        cpu[side][batch].append(figure)
                        # Under callgrind the CPU seconds say nothing: not printed then.
                        seconds = ("" if args.instructions else
                                   f" (collector {found['gc_ms']:.3f})")
                        print(f"  round {round_number + 1}, batches of {batch:>3}, {side:<12} "
                              f"{figure:.3f} {unit} a visit{seconds}  load "
                              f"{os.getloadavg()[0]:.1f}", flush=True)
        print(f"medians, {unit} a visit:")
        for batch in batches:
            figures = "  ".join(f"{side}: {median(cpu[side][batch]):.3f}" for side in sides)
            ratio = ""
            if len(sides) == 2:
                mine, theirs = (median(cpu[side][batch]) for side in sides)
                ratio = f"  ratio {mine / theirs:.3f}"
            print(f"  batches of {batch:>3}: {figures}{ratio}")
        if len(batches) > 1:
            for side in sides:
                per_push, per_visit = _line(batches, cpu[side])
                print(f"  {side}: {per_push:.2f} {unit} a push whatever its size, plus "
                      f"{per_visit:.3f} a visit")
        print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
