"""scan_parallel: stream requests through forked worker processes, results in input order.

Why processes and fork: Presidio and spaCy are pure Python under the GIL; DESIGN.md measured
1.8-2.0x with two forked workers holding one engine each. Forking after the parent built its
scanner shares the loaded tables copy-on-write; without a parent scanner each worker builds one.
Memory stays bounded: at most ``max_inflight`` batches are submitted ahead of the consumer.

Why a compact wire format: most notes have no finding, and pickling request and result
dataclasses cost the parent more CPU per note than scanning a clean note costs a worker. A
batch therefore travels as four lists of plain values (ids, texts, languages, known names)
and one flag (below), and comes back as the detected languages plus findings and redacted
text only for the notes that have findings; the parent rebuilds every ScanResult from the
request it still holds (a note without findings is returned unchanged, exactly what
``Scanner.scan_one`` returns).

Why repeats are answered in the parent: CRM free text repeats a lot (over half of the sample
CRM's notes are repeats), and each worker's memo only knows the batches it scanned. The parent
therefore sends each repeated text once: a note whose text and requested language were already
sent, and in which no part of the record's names occurs (``names_in_text``, the scanner memo's
own rule), travels as ``None`` and takes the earlier result when the batches come back in
order. Such notes are scanned without names (as the scanner memo does), so the workers skip
their own memo. The parent keeps at most ``_REPEAT_MEMO_SIZE`` texts (of at most
``memo.MAX_TEXT_CHARS`` characters, as the scanner memo), oldest dropped first, and none after
the scan.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from pii_scanners.memo import DEFAULT_SIZE, MemoKey, MemoValue, names_in_text, remembers
from pii_scanners.models import Finding, ScanRequest, ScanResult
from pii_scanners.scanner import Scanner

#: texts the parent remembers for repeats (as many as a scanner memo; raised above twice the
#: notes in flight when needed, see _Repeats)
_REPEAT_MEMO_SIZE = DEFAULT_SIZE

_WORKER_SCANNER: Scanner | None = None


def _init_worker(config_path: str | None) -> None:
    global _WORKER_SCANNER
    if _WORKER_SCANNER is None:
        _WORKER_SCANNER = Scanner.from_config(config_path)


#: (ids, texts or None for a repeat, requested languages, known names, repeats answered by the
#: parent?) of one batch
Batch = tuple[list[str], list[str | None], list[str | None], list[tuple[str, ...]], bool]
#: (language per note, {index in batch: (findings, redacted text)} for notes with findings)
Scanned = tuple[list[str], dict[int, tuple[list[Finding], str]]]
# What the parent does with a note's result (see _encode).
_SCANNED, _FIRST, _ANSWERED, _AWAITED = 0, 1, 2, 3
_MISSING = object()


class _Repeats:
    """The parent's record of texts already sent: key -> result once its batch is back, None
    while it is in flight.

    Bounded, oldest dropped first (a deque keeps the order: dropping is O(1)). A key that a note
    is still waiting for was added while its first occurrence was in flight, so at most
    ``2 * in_flight`` notes before the waiting note comes back; with ``size > 2 * in_flight``
    it is never dropped before that.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: dict[MemoKey, MemoValue | None] = {}
        self._order: deque[MemoKey] = deque()

    def answer(self, key: MemoKey) -> tuple[int, MemoValue | None]:
        """(_ANSWERED, result) when the text's result is back, (_AWAITED, None) while its first
        occurrence is in flight, else (_FIRST, None) and the key is remembered."""
        value = self._entries.get(key, _MISSING)
        if value is _MISSING:
            if len(self._order) >= self.size:
                self._entries.pop(self._order.popleft(), None)
            self._entries[key] = None
            self._order.append(key)
            return _FIRST, None
        if value is None:
            return _AWAITED, None
        return _ANSWERED, value

    def resolve(self, key: MemoKey, value: MemoValue) -> None:
        if key in self._entries:
            self._entries[key] = value

    def result(self, key: MemoKey) -> MemoValue:
        value = self._entries.get(key)
        if value is None:  # cannot happen (see above); the message must not carry the text
            raise RuntimeError("scan_parallel: a repeated note's first result is missing")
        return value


def _encode(
    chunk: list[ScanRequest], repeats: _Repeats | None
) -> tuple[Batch, list[int], dict[int, MemoValue]]:
    """The batch to send; per note what to do with its result (_SCANNED: scanned with its
    names; _FIRST: scanned without names, remember the result; _ANSWERED / _AWAITED: a repeat,
    not sent); and the results of the _ANSWERED notes."""
    kinds = [_SCANNED] * len(chunk)
    answered: dict[int, MemoValue] = {}
    texts: list[str | None] = [r.text for r in chunk]
    names = [r.known_names for r in chunk]
    if repeats is not None:
        for i, r in enumerate(chunk):
            if not remembers(r.text) or (r.known_names and names_in_text(r.text, r.known_names)):
                continue
            names[i] = ()
            kind, value = repeats.answer((r.text, r.lang))
            kinds[i] = kind
            if kind != _FIRST:
                texts[i] = None
                if value is not None:
                    answered[i] = value
    batch = ([r.id for r in chunk], texts, [r.lang for r in chunk], names, repeats is not None)
    return batch, kinds, answered


def scan_compact(scanner: Scanner, batch: Batch) -> Scanned:
    """Scan one encoded batch; findings and redacted text only where there are findings.
    Repeats (``None``) are left to the parent, which then also did the memo's work."""
    langs: list[str] = []
    found: dict[int, tuple[list[Finding], str]] = {}
    ids, texts, requested, names, parent_answers_repeats = batch
    scan = scanner.scan_fresh if parent_answers_repeats else scanner.scan_text
    notes = zip(ids, texts, requested, names, strict=True)
    for i, (note_id, text, lang, known) in enumerate(notes):
        if text is None:
            langs.append("")
            continue
        detected, findings, redacted = scan(note_id, text, lang, known)
        langs.append(detected)
        if findings or redacted != text:
            found[i] = (findings, redacted)
    return langs, found


_new_object = object.__new__


def _result(note_id: str, lang: str, findings: list[Finding], redacted: str) -> ScanResult:
    """``ScanResult(...)`` without the frozen dataclass ``__init__``, which sets each field
    through ``object.__setattr__`` (about 1.3 us more per note in the parent, which builds one
    result per note). Equal, in every respect, to the one ``__init__`` builds."""
    result = _new_object(ScanResult)
    fields = result.__dict__
    fields["id"] = note_id
    fields["lang"] = lang
    fields["findings"] = findings
    fields["redacted_text"] = redacted
    return result


def _decode(
    chunk: list[ScanRequest],
    kinds: list[int],
    answered: dict[int, MemoValue],
    scanned: Scanned,
    repeats: _Repeats | None,
) -> Iterator[ScanResult]:
    langs, found = scanned
    for i, (request, lang) in enumerate(zip(chunk, langs, strict=True)):
        kind = kinds[i]
        if kind in (_ANSWERED, _AWAITED):
            assert repeats is not None
            value = answered.get(i) or repeats.result((request.text, request.lang))
            yield _result(request.id, value[0], list(value[1]), value[2])
            continue
        hit = found.get(i)
        if kind == _FIRST:
            assert repeats is not None
            value = (lang, tuple(hit[0]), hit[1]) if hit else (lang, (), request.text)
            repeats.resolve((request.text, request.lang), value)
        if hit is None:
            yield _result(request.id, lang, [], request.text)
        else:
            yield _result(request.id, lang, hit[0], hit[1])


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
    answers_repeats = scanner is None or (scanner.use_memo and scanner.use_prefilter)
    in_flight = limit * size  # notes
    repeats = _Repeats(max(_REPEAT_MEMO_SIZE, 2 * in_flight + 1)) if answers_repeats else None
    ctx = multiprocessing.get_context("fork")
    pending: deque[tuple[list[ScanRequest], list[int], dict[int, MemoValue], Future[Scanned]]]
    pending = deque()
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(str(config_path) if config_path else None,),
        ) as pool:
            for chunk in _chunks(requests_iter, size):
                batch, kinds, answered = _encode(chunk, repeats)
                pending.append((chunk, kinds, answered, pool.submit(_scan_chunk, batch)))
                while len(pending) >= limit:
                    done, *answers, future = pending.popleft()
                    yield from _decode(done, *answers, future.result(), repeats)
            while pending:
                done, *answers, future = pending.popleft()
                yield from _decode(done, *answers, future.result(), repeats)
    finally:
        for *_, fut in pending:
            fut.cancel()
        _WORKER_SCANNER = None
