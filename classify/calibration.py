"""Probabilities for classifiers that only have a decision function (ridge, linear SVM)."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.utils.validation import check_is_fitted


class TemperatureCalibrated(ClassifierMixin, BaseEstimator):
    """Wrap a linear classifier so that its scores are calibrated probabilities.

    The estimator is fitted once on all the data; one temperature, fitted on
    out-of-fold decision values (scikit-learn's ``CalibratedClassifierCV`` with
    ``method="temperature"``, ``ensemble=False``), turns its decision values into
    probabilities with ``softmax(decision / T)``. One scalar cannot change which label
    scores highest, so predictions are exactly the wrapped estimator's.

    Parameters
    ----------
    estimator : classifier with ``decision_function``
    cv : int
        Folds for the out-of-fold decision values (fewer if a label has fewer examples;
        with fewer than two examples in some label, the temperature stays 1).
    """

    def __init__(self, estimator=None, cv=5):
        self.estimator = estimator
        self.cv = cv

    def fit(self, X, y):
        if self.estimator is None or not hasattr(self.estimator, "decision_function"):
            raise ValueError("TemperatureCalibrated needs an estimator with decision_function")
        _, counts = np.unique(np.asarray(y), return_counts=True)
        folds = int(min(self.cv, counts.min()))
        if folds >= 2:
            cal = CalibratedClassifierCV(clone(self.estimator), method="temperature", cv=folds, ensemble=False)
            cal.fit(X, y)
            self.calibrated_ = cal
            # Fitted on label-encoded targets: its classes_ are 0..k-1 in cal.classes_ order.
            self.estimator_ = cal.calibrated_classifiers_[0].estimator
            self.classes_ = cal.classes_
        else:
            self.calibrated_ = None
            self.estimator_ = clone(self.estimator).fit(X, y)
            self.classes_ = self.estimator_.classes_
        return self

    @property
    def coef_(self):
        check_is_fitted(self, "estimator_")
        return self.estimator_.coef_

    def decision_function(self, X):
        check_is_fitted(self, "estimator_")
        return self.estimator_.decision_function(X)

    def predict_proba(self, X):
        check_is_fitted(self, "estimator_")
        if self.calibrated_ is not None:
            return self.calibrated_.predict_proba(X)
        z = self.decision_function(X)
        z = np.column_stack([-z, z]) if z.ndim == 1 else z
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
