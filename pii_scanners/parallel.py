"""scan_parallel: stream requests through forked worker processes, results in input order.

Why processes and fork: Presidio and spaCy are pure Python under the GIL; DESIGN.md measured
1.8-2.0x with two forked workers holding one engine each. Forking after the parent built its
scanner shares the loaded tables copy-on-write; without a parent scanner each worker builds one.
Memory stays bounded: at most ``max_inflight`` batches are submitted ahead of the consumer.

Why a compact wire format: most notes have no finding, and pickling request and result
dataclasses cost the parent more CPU per note than scanning a clean note costs a worker. A
batch therefore travels as four lists of plain values (ids, texts, languages, known names),
and comes back as the detected languages plus findings and redacted text only for the notes
that have findings; the parent rebuilds every ScanResult from the request it still holds (a
note without findings is returned unchanged, exactly what ``Scanner.scan_one`` returns).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from pii_scanners.models import Finding, ScanRequest, ScanResult
from pii_scanners.scanner import Scanner

_WORKER_SCANNER: Scanner | None = None


def _init_worker(config_path: str | None) -> None:
    global _WORKER_SCANNER
    if _WORKER_SCANNER is None:
        _WORKER_SCANNER = Scanner.from_config(config_path)


#: (ids, texts, requested languages, known names) of one batch
Batch = tuple[list[str], list[str], list[str | None], list[tuple[str, ...]]]
#: (language per note, {index in batch: (findings, redacted text)} for notes with findings)
Scanned = tuple[list[str], dict[int, tuple[list[Finding], str]]]


def _encode(chunk: list[ScanRequest]) -> Batch:
    return (
        [r.id for r in chunk],
        [r.text for r in chunk],
        [r.lang for r in chunk],
        [r.known_names for r in chunk],
    )


def scan_compact(scanner: Scanner, batch: Batch) -> Scanned:
    """Scan one encoded batch; findings and redacted text only where there are findings."""
    langs: list[str] = []
    found: dict[int, tuple[list[Finding], str]] = {}
    scan = scanner.scan_text
    for i, (note_id, text, lang, names) in enumerate(zip(*batch, strict=True)):
        detected, findings, redacted = scan(note_id, text, lang, names)
        langs.append(detected)
        if findings or redacted != text:
            found[i] = (findings, redacted)
    return langs, found


def _decode(chunk: list[ScanRequest], scanned: Scanned) -> Iterator[ScanResult]:
    langs, found = scanned
    for i, (request, lang) in enumerate(zip(chunk, langs, strict=True)):
        hit = found.get(i)
        if hit is None:
            yield ScanResult(request.id, lang, [], request.text)
        else:
            yield ScanResult(request.id, lang, hit[0], hit[1])


def _scan_chunk(batch: Batch) -> Scanned:
    assert _WORKER_SCANNER is not None, "worker not initialised"
    return scan_compact(_WORKER_SCANNER, batch)


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
    pending: deque[tuple[list[ScanRequest], Future[Scanned]]] = deque()
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(str(config_path) if config_path else None,),
        ) as pool:
            for chunk in _chunks(requests_iter, size):
                pending.append((chunk, pool.submit(_scan_chunk, _encode(chunk))))
                while len(pending) >= limit:
                    done, future = pending.popleft()
                    yield from _decode(done, future.result())
            while pending:
                done, future = pending.popleft()
                yield from _decode(done, future.result())
    finally:
        for _, fut in pending:
            fut.cancel()
        _WORKER_SCANNER = None
