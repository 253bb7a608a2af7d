"""An archive to annotate: a text file or a folder of ``.txt`` articles, split into sentences.

A folder holds one article per ``.txt`` file (``doc`` is the file's name without
``.txt``); a single file holds articles separated by blank lines (``doc`` is
``<file>#<k>``). Each sentence keeps its article and position, so the annotation page can
show the sentences around it and the labels file can carry ``doc`` for
:func:`classify.training.held_out`.
"""

from pathlib import Path

from ..errors import InputError, open_input
from ..sentences import split_sentences


def _decode(path):
    with open_input(path, "text file") as handle:
        data = handle.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise InputError("not UTF-8 text (an annotation archive must be UTF-8)", path, line) from None


def _articles(path):
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.txt") if p.is_file())
        if not files:
            raise InputError("no .txt articles in this folder", path)
        for file in files:
            yield str(file.relative_to(path).with_suffix("")), _decode(file)
        return
    text = _decode(path)
    blocks, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    for k, block in enumerate(blocks, start=1):
        yield f"{path.stem}#{k}", block


def read_archive(path):
    """``[{"doc", "position", "text"}, ...]``: every sentence of every article, in order."""
    rows = []
    for doc, text in _articles(path):
        for position, sentence in enumerate(split_sentences(text)):
            rows.append({"doc": doc, "position": position, "text": sentence})
    if not rows:
        raise InputError("no sentences to annotate", path)
    return rows
