"""Label Arabic conflict-news sentences: military movement, civilian reaction, foreign involvement, other.

The Python API the CLI is built on::

    import classify
    model = classify.train()                       # bundled corpus, default pipeline
    model.predict(["انسحبت القوات الحكومية من حمص"])
    model.predict_article(open("article.txt").read())
    classify.evaluate(model, classify.read_corpus("my.tsv"))
    classify.save(model, "my.model"); classify.load("my.model")
"""

__version__ = "0.1.0"

from .api import evaluate, train
from .corpus import Corpus, bundled_article_path, bundled_corpus_path, read_corpus
from .errors import InputError
from .labels import LABELS
from .metrics import evaluation_report
from .model import Model, Prediction
from .modelfile import load, read_card, save
from .models import CLASSIFIERS, make_pipeline
from .normalize import ArabicNormalizer, normalize
from .sentences import split_sentences

__all__ = [
    "ArabicNormalizer",
    "CLASSIFIERS",
    "Corpus",
    "InputError",
    "LABELS",
    "Model",
    "Prediction",
    "bundled_article_path",
    "bundled_corpus_path",
    "evaluate",
    "evaluation_report",
    "load",
    "make_pipeline",
    "normalize",
    "read_card",
    "read_corpus",
    "save",
    "split_sentences",
    "train",
]
