"""Writing many documents with every core: the index's layout never depends on the core count.

A large write (PARALLEL_MIN documents or more) is split into PARTS segments, handed out in
batches of BATCH documents in turn (batch 0 to part 0, batch 1 to part 1, ...). Each part's
documents are made (entity tagging), analysed and written to a segment of their own by a writer
without the lock; the writer holding the lock makes the deletions and commits the part segments
after the index's own, in part order. With two cores or more the parts are written by forked
worker processes at the same time; with one, by this process one after the other in the same
batches. Either way the same documents land in the same segments in the same order, so the index
is the same (tests/test_parallel.py compares a one-core build with a two-core one).

Smaller writes stay one segment written here (no processes to start for an edit of a few files).
Processes are only forked from a process with one thread: forking a threaded process (the app
indexes from a worker thread) can copy a lock another thread holds. The app then writes the
parts one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queues
import random
import threading
from typing import Any, Callable, Iterable, Iterator

from explorer.index.whoosh_internals import cancel_part, finish_part
from explorer.loading import young_collections_only

PARALLEL_MIN = 2000     # documents: fewer are written as one segment, in this process
PARTS = 2               # segments a large write is split into, whatever the number of cores
BATCH = 64              # documents handed to a part at a time
QUEUED_BATCHES = 4      # batches waiting for each worker (bounds the memory they take)

Item = tuple[Any, tuple[str, ...]]          # (article, duplicate paths)
Progress = Callable[[str, int, int], None]


def parts_for(count: int) -> int:
    """How many segments a write of `count` documents is split into."""
    return PARTS if count >= PARALLEL_MIN else 1


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else (os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def write_documents(writer, items: Iterable[Item], count: int,
                    make_document: Callable[[Any, tuple[str, ...]], dict],
                    part_writer: Callable[[int], Any], progress: Progress, *,
                    processes: int | None = None, prepare: Callable[[], Any] | None = None
                    ) -> list:
    """Add a document for each of the `count` items: to `writer` (which holds the lock and
    has made the deletions) when they are few, else to part segments, returned in order for
    `writer`'s commit to add (whoosh_internals.commit_writer). `part_writer(k)` opens a
    lock-free writer for part k; `processes` caps the worker processes (default: the cores)."""
    with young_collections_only():      # the pool's containers live until the commit
        parts = parts_for(count)
        if parts == 1:
            for done, (article, dups) in enumerate(items, 1):
                writer.add_document(**make_document(article, dups))
                progress("indexing", done, count)
            return []
        if prepare is not None:
            prepare()       # e.g. build the entity tagger once, before the workers are forked
        processes = min(parts, processes or usable_cores())
        if processes > 1 and can_fork():
            return _in_processes(items, count, parts, make_document, part_writer, progress)
        return _here(items, count, parts, make_document, part_writer, progress)


def _batches(items: Iterable[Item], parts: int) -> Iterator[tuple[int, list[Item]]]:
    """(part, batch) in turn: batch n goes to part n % parts."""
    batch: list[Item] = []
    number = 0
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield number % parts, batch
            batch, number = [], number + 1
    if batch:
        yield number % parts, batch


def _here(items, count, parts, make_document, part_writer, progress) -> list:
    """The parts written by this process, batch by batch."""
    writers = [part_writer(k) for k in range(parts)]
    try:
        done = 0
        for part, batch in _batches(items, parts):
            writer = writers[part]
            for article, dups in batch:
                writer.add_document(**make_document(article, dups))
            done += len(batch)
            progress("indexing", done, count)
        return [finish_part(writer) for writer in writers]
    except BaseException:
        for writer in writers:
            if not writer.is_closed:
                cancel_part(writer)
        raise


def _in_processes(items, count, parts, make_document, part_writer, progress) -> list:
    """The parts written by forked worker processes, one each, fed batches through queues."""
    context = multiprocessing.get_context("fork")
    inboxes = [context.Queue(QUEUED_BATCHES) for _ in range(parts)]
    results = [context.Pipe(duplex=False) for _ in range(parts)]
    workers = [context.Process(target=_work, name=f"news-explorer index part {k}",
                               args=(k, inboxes[k], results[k][1], make_document, part_writer))
               for k in range(parts)]
    for worker in workers:
        worker.start()
    try:
        done = 0
        for part, batch in _batches(items, parts):
            _put(inboxes[part], batch, workers[part])
            done += len(batch)
            progress("indexing", done, count)
        for k in range(parts):
            _put(inboxes[k], None, workers[k])
        segments = []
        for k, (receive, _) in enumerate(results):
            status, value = _receive(receive, workers[k])
            if status != "ok":
                raise RuntimeError(f"indexing part {k} failed: {value}")
            segments.append(value)
        for worker in workers:
            worker.join()
        return segments
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        for inbox in inboxes:
            inbox.cancel_join_thread()
            inbox.close()


def _put(inbox, batch, worker) -> None:
    while True:
        try:
            inbox.put(batch, timeout=0.5)
            return
        except queues.Full:
            if not worker.is_alive():
                raise RuntimeError(f"{worker.name} stopped (exit code {worker.exitcode})") \
                    from None


def _receive(receive, worker):
    while not receive.poll(0.5):
        if not worker.is_alive() and not receive.poll(0):
            raise RuntimeError(f"{worker.name} stopped (exit code {worker.exitcode})")
    return receive.recv()


def _work(part: int, inbox, send, make_document, part_writer) -> None:
    """A worker: write part `part` from the batches in `inbox` until None, send its segment."""
    writer = None
    try:
        random.seed()      # forked with the parent's state: Whoosh names segments at random
        writer = part_writer(part)
        while True:
            batch = inbox.get()
            if batch is None:
                break
            for article, dups in batch:
                writer.add_document(**make_document(article, dups))
        send.send(("ok", finish_part(writer)))
    except BaseException as exc:  # reported to the parent, which raises it
        if writer is not None and not writer.is_closed:
            try:
                cancel_part(writer)
            except Exception:
                pass
        send.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()
