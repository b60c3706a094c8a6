"""Ray against Dask distributed as the engine under ``secscan scan --cluster``, on this machine.

    pip install 'secscan[cluster]' ray     # Dask is the extra; Ray only for the comparison
    python benchmarks/bench_cluster.py [--files 2000 --workers 2] [--engine dask|ray]

For each engine, in a fresh process (so neither inherits the other's threads):

- start-up: seconds from nothing to a local cluster of ``--workers`` worker processes that has
  answered one task;
- overhead: 2,000 tasks that do nothing (the engine's own cost per task), then 2,000 tasks that
  each scan one tiny text file with ``scan_entry`` in the worker, against the same scan in this
  process one file after another;
- RSS: resident memory of this process and every process it started, once the cluster is up
  and after the scan (psutil, summed over the tree).

Then secscan's own path on the chosen engine: ``run_on_cluster(..., "local")`` (start-up, the
2,000 files through each worker's secscan pool, shutdown) against ``runner.run`` on the same files.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Engine = tuple[Callable[[Callable[..., Any], list[Any], Any], list[Any]], Callable[[], None]]

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIB = 1024 * 1024


def _tree_rss() -> float:
    import psutil

    me = psutil.Process()
    total = me.memory_info().rss
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):  # it ended while we looked
            total += child.memory_info().rss
    return total / MIB


def _noop(index: int) -> int:
    return index


def _scan(entry: Any, config: Any) -> Any:
    from secscan.engine.pipeline import scan_entry

    return scan_entry(entry, config)


_CONFIGS: dict[str, Any] = {}


def _scan_ray(entry: Any, boxed: list[Any]) -> Any:
    """Ray hands a task its arguments deserialised anew each time: keep the config once per worker."""
    import ray

    key = boxed[0].hex()
    if key not in _CONFIGS:
        _CONFIGS[key] = ray.get(boxed[0])
    return _scan(entry, _CONFIGS[key])


def _dask(workers: int) -> Engine:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)

    def map_(fn: Callable[..., Any], items: list[Any], extra: Any) -> list[Any]:
        args = [] if extra is None else [client.scatter(extra, broadcast=True)] * len(items)
        futures = client.map(fn, items, *([args] if args else []), pure=False)
        return list(client.gather(futures))

    def close() -> None:
        client.close()
        cluster.close()

    return map_, close


def _ray(workers: int) -> Engine:
    import ray

    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)

    def map_(fn: Callable[..., Any], items: list[Any], extra: Any) -> list[Any]:
        remote = ray.remote(fn)
        if extra is None:
            return list(ray.get([remote.remote(item) for item in items]))
        boxed = [ray.put(extra)]  # inside a list, the task gets the reference, not a fresh copy
        remote = ray.remote(_scan_ray)
        return list(ray.get([remote.remote(item, boxed) for item in items]))

    return map_, ray.shutdown


def _notices(folder: Path, files: int) -> str:
    """``files`` tiny notices in ``folder``, every tenth marked; the folder, for the walk."""
    for index in range(files):
        mark = "机密★5年\n" if index % 10 == 0 else ""
        (folder / f"n{index:05d}.txt").write_text(f"{mark}第{index}号通知，请按期完成。\n", "utf-8")
    return str(folder)


def measure(engine: str, files: int, workers: int) -> dict[str, float]:
    from secscan.config import ScanConfig
    from secscan.inputs.walk import walk
    from secscan.match.catalog import load_catalog

    config = ScanConfig(catalog=load_catalog(), ocr=False)
    with tempfile.TemporaryDirectory() as folder:
        entries = list(walk([_notices(Path(folder), files)]))
        started = time.perf_counter()
        local = [_scan(entry, config) for entry in entries]
        serial = time.perf_counter() - started

        rss_before = _tree_rss()
        started = time.perf_counter()
        map_, close = (_dask if engine == "dask" else _ray)(workers)
        map_(_noop, [0], None)
        startup = time.perf_counter() - started
        rss_up = _tree_rss()
        started = time.perf_counter()
        map_(_noop, list(range(files)), None)
        noop = time.perf_counter() - started
        started = time.perf_counter()
        remote = map_(_scan, entries, config)
        scan = time.perf_counter() - started
        rss_after = _tree_rss()
        assert remote == local, "the cluster's results differ from the local scan"
        started = time.perf_counter()
        close()
        shutdown = time.perf_counter() - started
    return {
        "startup_s": startup,
        "shutdown_s": shutdown,
        "noop_ms_per_task": noop / files * 1000,
        "scan_s": scan,
        "serial_scan_s": serial,
        "scan_overhead_ms_per_file": (scan * workers - serial) / files * 1000,
        "rss_driver_mib": rss_before,
        "rss_cluster_up_mib": rss_up,
        "rss_after_scan_mib": rss_after,
    }


def measure_secscan(files: int, workers: int) -> dict[str, float]:
    from secscan.config import ScanConfig
    from secscan.engine.cluster import run_on_cluster
    from secscan.engine.runner import run
    from secscan.inputs.walk import walk
    from secscan.match.catalog import load_catalog

    config = ScanConfig(catalog=load_catalog(), ocr=False)
    with tempfile.TemporaryDirectory() as folder:
        entries = list(walk([_notices(Path(folder), files)]))
        started = time.perf_counter()
        local = list(run(entries, config, workers))
        local_s = time.perf_counter() - started
        started = time.perf_counter()
        clustered = list(run_on_cluster(entries, config, workers, "local"))
        cluster_s = time.perf_counter() - started
    assert clustered == local, "the cluster's results differ from the local scan"
    return {"runner_run_s": local_s, "run_on_cluster_local_s": cluster_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engine", choices=["dask", "ray", "secscan"])
    args = parser.parse_args()
    if args.engine == "secscan":
        print(json.dumps(measure_secscan(args.files, args.workers)))
        return
    if args.engine:
        print(json.dumps(measure(args.engine, args.files, args.workers)))
        return
    for engine in ("dask", "ray", "secscan"):
        command = [sys.executable, __file__, "--engine", engine, "--files", str(args.files),
                   "--workers", str(args.workers)]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{engine}: failed\n{done.stderr[-2000:]}")
            continue
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{engine}: " + ", ".join(f"{name} {value:.2f}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
