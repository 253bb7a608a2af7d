import json

from classify.scale.stream import MAX_BATCH_CHARS, batched, classify_lines, stream_rows


def test_batches_cut_by_lines_and_by_characters():
    assert [len(b) for b in batched(range(7), 3)] == [3, 3, 1]
    items = [(1, "x" * MAX_BATCH_CHARS), (2, "y"), (3, "z")]
    assert [len(b) for b in batched(items, 100, MAX_BATCH_CHARS)] == [1, 2]


def test_lines_numbered_and_empty_lines_counted(model):
    rows, stats = classify_lines(model, [(1, "قصف مدفعي. وفر السكان."), (2, "   "), (3, "خبر")])
    assert [n for n, _ in rows] == [1, 1, 3] and stats["empty"] == 1


def test_workers_give_the_rows_one_process_gives(model, model_path, corpus):
    lines = list(enumerate(corpus.texts[:300], start=1))

    def rows(**kwargs):
        return [row for batch, _ in stream_rows(model, lines, "jsonl", batch_size=40, **kwargs) for row in batch]

    one = rows()
    assert rows(jobs=2, model_path=model_path) == one
    assert len(one) >= 300 and all(json.loads(r)["label"] for r in one)
