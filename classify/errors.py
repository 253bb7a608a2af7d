"""Errors the CLI turns into one line on stderr and exit code 2."""


class InputError(ValueError):
    """Bad input from the user: a corpus, a text file, a model file or an argument.

    ``str(error)`` is the one line shown to the user: ``path:line: problem``.
    """

    def __init__(self, message, path=None, line=None):
        self.message = message
        # A file name with bytes that are not UTF-8 arrives with surrogate escapes; show them as U+FFFD.
        self.path = None if path is None else printable(str(path))
        self.line = line
        super().__init__(self._format())

    def _format(self):
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return where + self.message


def printable(text):
    """``text`` with lone surrogates (undecodable bytes in argv or file names) as U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if isinstance(text, str) else text


def open_input(path, what="file"):
    """Open a file the user named, for reading bytes; OS errors become one-line InputErrors.

    ``what`` names what the file should be ("corpus file", "model file", "text file").
    """
    try:
        return open(path, "rb")
    except FileNotFoundError:
        hint = " (train one with 'classify train')" if what == "model file" else ""
        raise InputError(f"no such {what}{hint}", path) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, expected a {what}", path) from None
    except OSError as err:
        raise InputError(f"cannot read the {what}: {err.strerror or err}", path) from None
