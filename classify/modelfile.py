"""Model files: a zip holding the pipeline as a skops file and a JSON model card.

Layout of a ``.model`` file::

    card.json       what the model is: package version, labels, parameters, corpus hash, metrics
    pipeline.skops  the fitted scikit-learn pipeline, serialized by skops (no pickle)

Loading never runs code from the file: skops rebuilds only the types listed in
:data:`TRUSTED_TYPES` (plus the plain containers and numpy/scipy arrays skops trusts by
itself), and anything else makes :func:`load` refuse the file before building it.
"""

import hashlib
import io
import json
import zipfile

from .atomic import atomic_write
from .errors import InputError
from .labels import LABELS

FORMAT = "classify-model"
FORMAT_VERSION = 1

#: Types this package writes into model files and trusts when reading them.
TRUSTED_TYPES = (
    "classify.normalize.ArabicNormalizer",
    "classify.features.ArabicTfidf",
    "classify.hashing.HashingArabicTfidf",
    "classify.calibration.TemperatureCalibrated",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._TemperatureScaling",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.HashingVectorizer",
    "sklearn.pipeline.Pipeline",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.linear_model._ridge.RidgeClassifier",
    "sklearn.linear_model._stochastic_gradient.SGDClassifier",
    "sklearn.svm._classes.LinearSVC",
    "sklearn.naive_bayes.ComplementNB",
    "sklearn.dummy.DummyClassifier",
    "sklearn.preprocessing._label.LabelBinarizer",
    "sklearn.linear_model._sgd_fast.Hinge",
    "sklearn.linear_model._sgd_fast.ModifiedHuber",
    "sklearn.linear_model._sgd_fast.Log",
    "sklearn.linear_model._sgd_fast.SquaredHinge",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.dtype",
    "builtins.slice",
)


def _package_version():
    from . import __version__

    return __version__


def _major_minor(version):
    parts = str(version).split(".")
    return tuple(parts[:2])


def save(model, path):
    """Write ``model`` (a :class:`~classify.model.Model`) to ``path`` atomically."""
    import skops.io as sio

    blob = sio.dumps(model.pipeline)
    card = dict(model.card)
    card.update(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        package_version=card.get("package_version", _package_version()),
        labels=model.labels,
        pipeline_sha256=hashlib.sha256(blob).hexdigest(),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("card.json", json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True))
        zf.writestr("pipeline.skops", blob)
    atomic_write(path, buffer.getvalue())
    model.card = card
    return path


def read_card(path):
    """The model card of a model file, without loading the model."""
    card, _ = _open(path)
    return card


def _open(path):
    path = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if not {"card.json", "pipeline.skops"} <= names:
                raise InputError("not a classify model file (card.json or pipeline.skops missing)", path)
            card_bytes = zf.read("card.json")
            blob = zf.read("pipeline.skops")
    except FileNotFoundError:
        raise InputError("no such model file (train one with 'classify train')", path) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a model file", path) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as err:
        raise InputError(f"corrupted or truncated model file ({type(err).__name__}: {err})", path) from None
    except zipfile.error as err:  # e.g. a CRC mismatch inside a member
        raise InputError(f"corrupted model file ({err})", path) from None
    try:
        card = json.loads(card_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"corrupted model card ({err})", path) from None
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        raise InputError("not a classify model file (wrong card format)", path)
    return card, blob


def load(path):
    """Load a model file, refusing untrusted types, corruption and incompatible versions."""
    import skops.io as sio

    from .model import Model

    card, blob = _open(path)
    path = str(path)
    if card.get("format_version") != FORMAT_VERSION:
        raise InputError(
            f"model file format {card.get('format_version')!r} is not supported (this package reads {FORMAT_VERSION})",
            path,
        )
    made_by, running = card.get("package_version"), _package_version()
    if _major_minor(made_by) != _major_minor(running):
        raise InputError(
            f"model made by classify {made_by}, incompatible with this classify {running}; retrain it",
            path,
        )
    labels = card.get("labels")
    if not isinstance(labels, list) or not labels or not set(labels) <= set(LABELS):
        raise InputError(f"model label set {labels!r} differs from this package's {list(LABELS)}", path)
    if hashlib.sha256(blob).hexdigest() != card.get("pipeline_sha256"):
        raise InputError("corrupted model file (pipeline checksum mismatch)", path)
    try:
        untrusted = sio.get_untrusted_types(data=blob)
    except Exception as err:  # skops raises various errors on a damaged archive
        raise InputError(f"corrupted model file ({type(err).__name__})", path) from None
    refused = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if refused:
        raise InputError(f"refusing to load untrusted type(s): {', '.join(refused)}", path)
    try:
        pipeline = sio.loads(blob, trusted=list(untrusted))
    except Exception as err:
        raise InputError(f"cannot rebuild the model ({type(err).__name__}: {err})", path) from None
    model = Model(pipeline, card)
    if model.labels != labels:
        raise InputError("model card labels do not match the pipeline's classes", path)
    return model
