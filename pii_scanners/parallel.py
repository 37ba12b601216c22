"""scan_parallel: stream requests through forked worker processes, results in input order.

Why processes and fork: Presidio and spaCy are pure Python under the GIL; DESIGN.md measured
1.8-2.0x with two forked workers holding one engine each. Forking after the parent built its
scanner shares the loaded tables copy-on-write; without a parent scanner each worker builds one.
Memory stays bounded: at most ``max_inflight`` batches are submitted ahead of the consumer.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from pii_scanners.models import ScanRequest, ScanResult
from pii_scanners.scanner import Scanner

_WORKER_SCANNER: Scanner | None = None


def _init_worker(config_path: str | None) -> None:
    global _WORKER_SCANNER
    if _WORKER_SCANNER is None:
        _WORKER_SCANNER = Scanner.from_config(config_path)


def _scan_chunk(chunk: list[ScanRequest]) -> list[ScanResult]:
    assert _WORKER_SCANNER is not None, "worker not initialised"
    return _WORKER_SCANNER.scan_batch(chunk)


def _chunks(items: Iterable[ScanRequest], size: int) -> Iterator[list[ScanRequest]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def scan_parallel(
    requests_iter: Iterable[ScanRequest],
    workers: int = 2,
    batch_size: int | None = None,
    config_path: str | Path | None = None,
    scanner: Scanner | None = None,
    max_inflight: int | None = None,
) -> Iterator[ScanResult]:
    """Yield one ScanResult per request, in input order, using ``workers`` processes.

    ``workers <= 1`` scans in this process. ``scanner`` (optional) is inherited by the forked
    workers instead of being rebuilt. At most ``max_inflight`` (default 4 x workers) batches
    are in flight, so the input may be an endless stream.
    """
    global _WORKER_SCANNER
    if scanner is None and (workers <= 1):
        scanner = Scanner.from_config(config_path)
    size = batch_size or (scanner.config.batch_size if scanner else 512)
    if workers <= 1:
        assert scanner is not None
        for chunk in _chunks(requests_iter, size):
            yield from scanner.scan_batch(chunk)
        return

    _WORKER_SCANNER = scanner  # inherited through fork; None makes each worker build its own
    limit = max_inflight or 4 * workers
    ctx = multiprocessing.get_context("fork")
    pending: deque[Future[list[ScanResult]]] = deque()
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(str(config_path) if config_path else None,),
        ) as pool:
            for chunk in _chunks(requests_iter, size):
                pending.append(pool.submit(_scan_chunk, chunk))
                while len(pending) >= limit:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
    finally:
        for fut in pending:
            fut.cancel()
        _WORKER_SCANNER = None
