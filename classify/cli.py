"""The ``classify`` command: a thin layer over the Python API.

Exit codes: 0 success, 2 bad input or usage (one line on stderr), 1 internal error,
130 interrupted.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import InputError

FORMATS_PREDICT = ("table", "tsv", "jsonl")


def default_model_path():
    """``$CLASSIFY_MODEL`` if set, else ``$XDG_CACHE_HOME/classify/default.model``."""
    if os.environ.get("CLASSIFY_MODEL"):
        return Path(os.environ["CLASSIFY_MODEL"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "classify" / "default.model"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _say(message):
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- train
def cmd_train(args):
    from . import api, modelfile
    from .metrics import format_report

    if args.out_of_core:
        from .outofcore import train_out_of_core

        model = train_out_of_core(args.corpus, batch_size=args.batch_size, epochs=args.epochs, random_state=args.seed,
                                  progress=lambda e, n: _say(f"epoch {e}/{n}"))
    else:
        model = api.train(args.corpus, classifier=args.classifier, random_state=args.seed)
    path = Path(args.model) if args.model else default_model_path()
    modelfile.save(model, path)
    metrics = model.card["metrics"]["test"]
    if args.format == "json":
        print(json.dumps({"model": str(path), "card": model.card}, ensure_ascii=False, indent=2))
        return 0
    corpus = model.card["corpus"]
    _say(
        f"trained {model.card['classifier']} on {corpus['train_sentences']} sentences of {corpus['path']} "
        f"in {model.card['training_seconds']:.1f}s; saved {path}"
    )
    if metrics:
        print(f"held-out test split ({corpus['test_sentences']} sentences):")
        print(format_report(metrics))
    return 0


# --------------------------------------------------------------------------- predict
def _load_or_train(model_arg):
    from . import api, modelfile

    path = Path(model_arg) if model_arg else default_model_path()
    if model_arg or path.exists():
        return modelfile.load(path), path
    _say(f"no trained model yet: training the default pipeline on the bundled corpus (saved to {path})")
    model = api.train()
    modelfile.save(model, path)
    return model, path


def _input_lines(args):
    from .stream import iter_input_lines

    if args.text:
        return iter(enumerate(args.text, start=1)), None
    if args.file and args.file != "-":
        try:
            handle = open(args.file, "rb")
        except FileNotFoundError:
            raise InputError("no such file", args.file) from None
        except IsADirectoryError:
            raise InputError("is a directory, expected a text file", args.file) from None
        except OSError as err:
            raise InputError(f"cannot read: {err.strerror}", args.file) from None
        return iter_input_lines(handle), handle
    if sys.stdin.isatty():
        raise InputError("nothing to classify: give sentences as arguments, --file PATH, or text on stdin")
    return iter_input_lines(sys.stdin.buffer), None


def cmd_predict(args):
    from collections import Counter

    from .progress import Progress
    from .stream import stream_rows

    lines, handle = _input_lines(args)
    model, path = _load_or_train(args.model)
    total = os.path.getsize(args.file) if args.file and args.file != "-" else None
    out = sys.stdout
    if args.format == "tsv":
        header = ["n", "line", "label", "score", "flag", "text"]
        if args.explain:
            header.insert(5, "explanation")
        out.write("\t".join(header) + "\n")
    stats = Counter()
    n = 0
    progress = Progress(total=total, desc="classify", unit="B" if total else "lines",
                        enabled=(args.progress or None) if args.file else False)
    try:
        with progress:
            last = 0
            for rows, batch_stats in stream_rows(model, lines, args.format, batch_size=args.batch_size,
                                                 jobs=args.jobs, model_path=path, explain=args.explain):
                if args.format == "jsonl":
                    out.write("".join(row + "\n" for row in rows))
                elif args.format == "tsv":
                    out.write("".join(f"{n + k}\t{row}\n" for k, row in enumerate(rows, start=1)))
                else:
                    out.write("".join(f"{n + k:>4}  {row}\n" for k, row in enumerate(rows, start=1)))
                n += len(rows)
                stats.update(batch_stats)
                if handle is not None:
                    pos = handle.tell()
                    progress.update(pos - last)
                    last = pos
                else:
                    progress.update(len(rows))
    finally:
        if handle is not None:
            handle.close()
    out.flush()
    if stats["empty"]:
        _say(f"skipped {stats['empty']} empty line(s)")
    if n == 0:
        _say("no sentences found in the input")
    elif args.format == "table":
        from .labels import LABELS

        _say(f"{n} sentence(s): " + ", ".join(f"{label} {stats[label]}" for label in LABELS if stats[label]))
    return 0


# --------------------------------------------------------------------------- evaluate
def cmd_evaluate(args):
    from . import api, modelfile
    from .corpus import read_corpus
    from .metrics import format_report

    corpus = read_corpus(args.corpus)
    if args.split:
        corpus = corpus.where(split=args.split)
        if not len(corpus):
            raise InputError(f"no rows with split={args.split!r}", args.corpus)
    path = Path(args.model) if args.model else default_model_path()
    model = modelfile.load(path)
    report = api.evaluate(model, corpus)
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


# --------------------------------------------------------------------------- corpus
def cmd_corpus_check(args):
    from .check import check_corpus, format_check

    result = check_corpus(args.path, near_threshold=args.near_threshold)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(format_check(result))
    return 0 if result["ok"] else 2


def cmd_predict_archive(args):
    from .distributed import predict_archive

    path = Path(args.model) if args.model else default_model_path()
    if not args.model and not path.exists():
        _load_or_train(None)
    rows = predict_archive(path, args.inputs, args.output, scheduler=args.scheduler, n_workers=args.workers)
    _say(f"wrote {rows} predictions to {args.output}")
    return 0


def cmd_card(args):
    from .modelfile import read_card

    path = Path(args.model) if args.model else default_model_path()
    print(json.dumps(read_card(path), ensure_ascii=False, indent=2))
    return 0


# --------------------------------------------------------------------------- parser
def _positive_int(value):
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {n}")
    return n


def _jobs(value):
    n = int(value) if value.lstrip("-").isdigit() else None
    if n is None or n == 0 or n < -1:
        raise argparse.ArgumentTypeError(f"--jobs takes a number >= 1, or -1 for all cores, got {value!r}")
    return os.cpu_count() or 1 if n == -1 else n


def build_parser():
    from . import __version__
    from .models import BASELINES, CLASSIFIERS, DEFAULT_CLASSIFIER

    parser = _Parser(prog="classify", description="Label Arabic conflict-news sentences.")
    parser.add_argument("--version", action="version", version=f"classify {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("train", help="train a model and print held-out metrics")
    p.add_argument("--corpus", help="labelled corpus (TSV/CSV/JSONL); default: the bundled seeds/corpus.tsv")
    p.add_argument("--classifier", default=DEFAULT_CLASSIFIER, choices=sorted({**CLASSIFIERS, **BASELINES}))
    p.add_argument("--model", help=f"where to save the model (default: {default_model_path()})")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--out-of-core", action="store_true",
                   help="hashing features + partial_fit over the corpus in batches (for corpora larger than memory)")
    p.add_argument("--batch-size", type=_positive_int, default=10000, help="rows per batch with --out-of-core")
    p.add_argument("--epochs", type=_positive_int, default=10, help="passes over the file with --out-of-core")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("predict", help="label sentences or whole articles")
    p.add_argument("text", nargs="*", help="sentences or articles to classify")
    p.add_argument("--file", help="text file to classify (one article or many lines); '-' for stdin")
    p.add_argument("--model", help="model file (default: the default model, trained on first use)")
    p.add_argument("--format", choices=FORMATS_PREDICT, default="table")
    p.add_argument("--explain", nargs="?", type=_positive_int, const=5, default=0, metavar="K",
                   help="show the K n-grams that pushed each decision (default 5)")
    p.add_argument("--batch-size", type=_positive_int, default=2048, help="sentences per batch (default 2048)")
    p.add_argument("--jobs", type=_jobs, default=1, help="worker processes; -1 for all cores (default 1)")
    p.add_argument("--progress", action="store_true", help="show progress on stderr even when it is not a terminal")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("evaluate", help="score a model on a labelled corpus")
    p.add_argument("--corpus", required=True, help="labelled corpus (TSV/CSV/JSONL)")
    p.add_argument("--model", help="model file (default: the default model)")
    p.add_argument("--split", help="only rows whose split column has this value (e.g. test)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("corpus", help="corpus tools")
    csub = p.add_subparsers(dest="corpus_command", required=True, parser_class=_Parser)
    c = csub.add_parser("check", help="schema, labels, duplicates, near-duplicates and split leakage")
    c.add_argument("path")
    c.add_argument("--near-threshold", type=float, default=0.8,
                   help="character 5-gram Jaccard at which two sentences count as near-duplicates")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.set_defaults(func=cmd_corpus_check)

    p = sub.add_parser("predict-archive", help="classify a folder of text or Parquet shards with Dask")
    p.add_argument("inputs", nargs="+", help="shard files, glob patterns or folders (*.txt, *.parquet)")
    p.add_argument("--output", required=True, help="folder for one <shard>.jsonl per shard")
    p.add_argument("--model", help="model file (default: the default model)")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")
    p.add_argument("--workers", type=_positive_int, help="local cluster workers (default: one per core)")
    p.set_defaults(func=cmd_predict_archive)

    p = sub.add_parser("card", help="print a model file's card")
    p.add_argument("--model", help="model file (default: the default model)")
    p.set_defaults(func=cmd_card)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as err:
        _say(f"classify: error: {err}")
        return 2
    except KeyboardInterrupt:
        _say("classify: interrupted")
        return 130
    except BrokenPipeError:
        # The reader (e.g. `head`) went away; silence the flush at exit too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as err:  # noqa: BLE001 - the contract is one line, not a traceback
        if os.environ.get("CLASSIFY_DEBUG"):
            raise
        _say(f"classify: internal error: {type(err).__name__}: {err} (set CLASSIFY_DEBUG=1 for a traceback)")
        return 1


if __name__ == "__main__":
    sys.exit(main())
