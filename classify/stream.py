"""Streaming prediction over large inputs: batches, constant memory, optional worker processes.

Input lines are read in batches; each batch is split into sentences, classified and
formatted (in a worker process when ``jobs > 1``), and the formatted rows are written
before the next batches are read. Only ``2 * jobs`` batches are in flight at once, so
memory does not grow with the input.
"""

import itertools
import json
import multiprocessing
import os
from collections import Counter

from .sentences import split_sentences

#: Sentences longer than this are classified on their first MAX_CHARS characters and flagged.
MAX_CHARS = 5000


def iter_input_lines(handle):
    """Yield (line_number, text) from a binary handle; undecodable bytes become U+FFFD."""
    for number, raw in enumerate(handle, start=1):
        yield number, raw.decode("utf-8", errors="replace")


def batched(iterable, size):
    it = iter(iterable)
    while True:
        batch = list(itertools.islice(it, size))
        if not batch:
            return
        yield batch


def format_row(fmt, line, pred):
    """One output row without its running number (the caller prefixes it for table and tsv)."""
    if fmt == "jsonl":
        return json.dumps(pred.as_dict(), ensure_ascii=False)
    text = pred.text.replace("\t", " ").replace("\n", " ")
    if fmt == "tsv":
        row = [str(line), pred.label, f"{pred.score:.4f}", pred.flag, text]
        if pred.explanation is not None:
            row.insert(4, " ".join(f"{g}({w:+.3f})" for g, w in pred.explanation))
        return "\t".join(row)
    shown = text if len(text) <= 300 else text[:297] + "..."
    row = f"{pred.label:<19}  {pred.score:5.2f}  {shown}"
    if pred.flag:
        row += f"  [{pred.flag}]"
    if pred.explanation is not None:
        row += "\n" + " " * 33 + "← " + ", ".join(f"{g} {w:+.3f}" for g, w in pred.explanation)
    return row


def classify_lines(model, lines, explain=0):
    """Split numbered lines into sentences and classify them.

    Returns (list of (line_number, Prediction), stats) where stats counts empty lines and
    lines with NUL bytes.
    """
    stats = Counter()
    numbers, sentences = [], []
    for number, line in lines:
        if "\x00" in line:
            line = line.replace("\x00", " ")
            stats["binary"] += 1
        found = split_sentences(line)
        if not found:
            stats["empty"] += 1
        for sentence in found:
            numbers.append(number)
            sentences.append(sentence)
    texts = [s if len(s) <= MAX_CHARS else s[:MAX_CHARS] for s in sentences]
    preds = model.predict_sentences(texts, explain=explain)
    for full, pred in zip(sentences, preds):
        flags = [pred.flag] if pred.flag else []
        if len(full) > MAX_CHARS:
            pred.text = full
            flags.append("truncated")
        if "\ufffd" in full:
            flags.append("invalid_utf8")
        pred.flag = ",".join(flags)
    return list(zip(numbers, preds)), stats


def _process(model, lines, fmt, explain):
    rows, stats = classify_lines(model, lines, explain)
    stats.update(Counter(p.label for _, p in rows))
    return [format_row(fmt, number, pred) for number, pred in rows], stats


_WORKER_MODEL = None


def _init_worker(model_path):
    global _WORKER_MODEL
    from .modelfile import load

    _WORKER_MODEL = load(model_path)


def _worker(task):
    lines, fmt, explain = task
    return _process(_WORKER_MODEL, lines, fmt, explain)


def stream_rows(model, lines, fmt, batch_size=2048, jobs=1, model_path=None, explain=0):
    """Yield (formatted rows, stats) per batch of input lines, in input order."""
    batches = batched(lines, batch_size)
    if jobs == 1 or model_path is None:
        for batch in batches:
            yield _process(model, batch, fmt, explain)
        return
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(str(model_path),)) as pool:
        pending = []
        for batch in batches:
            pending.append(pool.apply_async(_worker, ((batch, fmt, explain),)))
            if len(pending) >= 2 * jobs:
                yield pending.pop(0).get()
        for result in pending:
            yield result.get()
