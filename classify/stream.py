"""Streaming prediction over large inputs: batches, constant memory, optional worker processes."""

import itertools
import multiprocessing
import os

from .sentences import split_sentences

#: Sentences longer than this are classified on their first MAX_CHARS characters and flagged.
MAX_CHARS = 5000


def iter_input_lines(handle):
    """Yield (line_number, text) from a binary handle; undecodable bytes become U+FFFD."""
    for number, raw in enumerate(handle, start=1):
        yield number, raw.decode("utf-8", errors="replace")


def iter_sentences(lines, stats):
    """Split each input line into sentences; count empty lines in ``stats``."""
    for number, line in lines:
        if "\x00" in line:
            line = line.replace("\x00", " ")
            stats["binary"] = stats.get("binary", 0) + 1
        sentences = split_sentences(line)
        if not sentences:
            stats["empty"] = stats.get("empty", 0) + 1
        for sentence in sentences:
            yield number, sentence


def batched(iterable, size):
    it = iter(iterable)
    while True:
        batch = list(itertools.islice(it, size))
        if not batch:
            return
        yield batch


def _predict_batch(model, batch, explain):
    texts = [s if len(s) <= MAX_CHARS else s[:MAX_CHARS] for _, s in batch]
    preds = model.predict_sentences(texts, explain=explain)
    for (number, full), pred in zip(batch, preds):
        pred.text = full
        if len(full) > MAX_CHARS:
            pred.flag = ",".join(f for f in (pred.flag, "truncated") if f)
        if "\ufffd" in full:
            pred.flag = ",".join(f for f in (pred.flag, "invalid_utf8") if f)
    return [(number, p) for (number, _), p in zip(batch, preds)]


_WORKER_MODEL = None


def _init_worker(model_path):
    global _WORKER_MODEL
    from .modelfile import load

    _WORKER_MODEL = load(model_path)


def _worker(args):
    batch, explain = args
    return _predict_batch(_WORKER_MODEL, batch, explain)


def predict_stream(model, sentences, batch_size=2048, jobs=1, model_path=None, explain=0):
    """Yield (line_number, Prediction) for an iterable of (line_number, sentence), in order.

    Only ``jobs * 2`` batches are in flight at once, so memory stays constant whatever the
    input size. With ``jobs > 1`` each worker process loads the model file once.
    """
    batches = batched(sentences, batch_size)
    if jobs == 1 or model_path is None:
        for batch in batches:
            yield from _predict_batch(model, batch, explain)
        return
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(str(model_path),)) as pool:
        # imap keeps order; chunks of one batch keep each task large and the queue short.
        tasks = ((batch, explain) for batch in batches)
        for result in _bounded_imap(pool, _worker, tasks, window=jobs * 2):
            yield from result


def _bounded_imap(pool, func, tasks, window):
    """Like ``pool.imap`` but never reads more than ``window`` tasks ahead of the consumer."""
    pending = []
    for task in tasks:
        pending.append(pool.apply_async(func, (task,)))
        if len(pending) >= window:
            yield pending.pop(0).get()
    for result in pending:
        yield result.get()
