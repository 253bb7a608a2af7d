"""The ``classify`` command line: parser (:mod:`.parser`), commands (:mod:`.commands`), output (:mod:`.output`).

Exit codes: 0 success, 2 bad input or usage (one line on stderr), 1 internal error,
130 interrupted.
"""

import os
import sys

from ..errors import InputError


def _command(args):
    from . import commands

    if args.command == "corpus":
        return commands.corpus_check
    return commands.COMMANDS[args.command]


def main(argv=None):
    from .parser import build_parser

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        print("classify: error: choose a command (classify --help lists them)", file=sys.stderr)
        return 2
    try:
        return _command(args)(args)
    except InputError as err:
        print(f"classify: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("classify: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `head`) went away; silence the flush at exit too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as err:  # noqa: BLE001 - the contract is one line, not a traceback
        if os.environ.get("CLASSIFY_DEBUG"):
            raise
        print(f"classify: internal error: {type(err).__name__}: {err} (set CLASSIFY_DEBUG=1 for a traceback)",
              file=sys.stderr)
        return 1
