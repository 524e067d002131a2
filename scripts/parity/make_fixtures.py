"""Reference outputs from scikit-learn for the parity tests of src/ml (imputers, scalers, one-hot,
logistic regression, Gaussian naive Bayes, metrics, the F1 of the peer models on the bundled
data's 80/20 split, and decision tree / random forest predictions on that split).

Regenerate (from the repository root; the peer venv is created once by scripts/peers-venv.sh):

    $(bash scripts/peers-venv.sh) scripts/parity/make_fixtures.py

It writes small JSON files into src/ml/fixtures/ (commit them). Non-finite numbers are written as the
strings "nan", "inf" and "-inf". The data is seeded, so a rerun with the same scikit-learn version
gives the same files.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.impute import SimpleImputer, KNNImputer
from sklearn.preprocessing import StandardScaler, MinMaxScaler, RobustScaler, OneHotEncoder
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn import metrics as M
from sklearn.calibration import calibration_curve

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "src", "ml", "fixtures")
DATA = os.path.join(ROOT, "data", "phisingData.csv")


def enc(v):
    """JSON-safe nested lists: NaN / inf as strings."""
    if isinstance(v, np.ndarray):
        return enc(v.tolist())
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if np.isnan(f):
            return "nan"
        if np.isinf(f):
            return "inf" if f > 0 else "-inf"
        return f
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    return v


def save(name, obj):
    obj = {"sklearn": sklearn.__version__, **obj}
    with open(os.path.join(OUT, name), "w") as fh:
        json.dump(enc(obj), fh, separators=(",", ":"))
    print("wrote", name, file=sys.stderr)


def with_nans(X, rate, rng):
    X = X.astype(np.float64).copy()
    X[rng.random(X.shape) < rate] = np.nan
    return X


def preprocessing(df):
    rng = np.random.default_rng(7)
    # Continuous data (no distance ties, so KNN imputation has one right answer) and ternary data
    # from the bundled set (the real use; ties are resolved identically only for the simple imputers).
    cont_fit = with_nans(rng.normal(size=(120, 5)) * [1, 2, 0.5, 3, 1] + [0, 1, -2, 5, 0], 0.15, rng)
    cont_new = with_nans(rng.normal(size=(40, 5)) * [1, 2, 0.5, 3, 1] + [0, 1, -2, 5, 0], 0.15, rng)
    tern = df.drop(columns=["Result"]).to_numpy(np.float64)[:160, :6]
    tern_fit = with_nans(tern[:120], 0.1, rng)
    tern_new = with_nans(tern[120:], 0.1, rng)
    cases = []

    def case(kind, params, est, fit, new, data):
        est.fit(fit)
        cases.append({"kind": kind, "params": params, "data": data, "fitOut": est.transform(fit), "newOut": est.transform(new)})

    for data, fit, new in (("continuous", cont_fit, cont_new), ("ternary", tern_fit, tern_new)):
        for strategy in ("mean", "median", "most_frequent"):
            case("simple_imputer", {"strategy": strategy}, SimpleImputer(strategy=strategy), fit, new, data)
        case("simple_imputer", {"strategy": "constant", "fillValue": -7}, SimpleImputer(strategy="constant", fill_value=-7), fit, new, data)
        case("standard_scaler", {}, StandardScaler(), fit, new, data)
        case("standard_scaler", {"withMean": False}, StandardScaler(with_mean=False), fit, new, data)
        case("minmax_scaler", {}, MinMaxScaler(), fit, new, data)
        case("minmax_scaler", {"featureRange": [-1, 1]}, MinMaxScaler(feature_range=(-1, 1)), fit, new, data)
        case("robust_scaler", {}, RobustScaler(), fit, new, data)
        case("robust_scaler", {"quantileRange": [10, 90]}, RobustScaler(quantile_range=(10, 90)), fit, new, data)
    for k in (1, 3, 5):
        for w in ("uniform", "distance"):
            case("knn_imputer", {"nNeighbors": k, "weights": w}, KNNImputer(n_neighbors=k, weights=w), cont_fit, cont_new, "continuous")
    tern_clean = tern[:120]
    oh = OneHotEncoder(sparse_output=False, handle_unknown="ignore").fit(tern_clean)
    cases.append({"kind": "one_hot", "params": {"handleUnknown": "ignore"}, "data": "ternaryComplete",
                  "fitOut": oh.transform(tern_clean), "newOut": oh.transform(tern[120:])})
    datasets = {"continuous": {"fit": cont_fit, "new": cont_new}, "ternary": {"fit": tern_fit, "new": tern_new},
                "ternaryComplete": {"fit": tern_clean, "new": tern[120:]}}
    save("preprocessing.json", {"datasets": datasets, "cases": cases})


def classifiers(df):
    X = df.drop(columns=["Result"]).to_numpy(np.float64)
    y = df["Result"].to_numpy(np.float64)
    rng = np.random.default_rng(11)
    idx = rng.permutation(len(y))
    tr, te = idx[:400], idx[400:520]
    cases = []
    for params, est in (
        ({"C": 1}, LogisticRegression(C=1.0, tol=1e-10, max_iter=10000)),
        ({"C": 0.05}, LogisticRegression(C=0.05, tol=1e-10, max_iter=10000)),
        ({"C": 10, "classWeight": "balanced"}, LogisticRegression(C=10, class_weight="balanced", tol=1e-10, max_iter=10000)),
        ({"C": 1, "fitIntercept": False, "classWeight": {"-1": 3, "1": 1}},
         LogisticRegression(C=1, fit_intercept=False, class_weight={-1: 3, 1: 1}, tol=1e-10, max_iter=10000)),
    ):
        est.fit(X[tr], y[tr])
        cases.append({"kind": "logistic_regression", "params": params, "proba": est.predict_proba(X[te]),
                      "coef": est.coef_[0], "intercept": float(est.intercept_[0]) if est.fit_intercept else 0.0})
    for params, est in (({}, GaussianNB()), ({"varSmoothing": 0.1}, GaussianNB(var_smoothing=0.1))):
        est.fit(X[tr], y[tr])
        cases.append({"kind": "naive_bayes", "params": params, "proba": est.predict_proba(X[te])})
    save("classifiers.json", {"train": tr, "test": te, "cases": cases})


def metric_values(y_true, y_score, y_pred, pos):
    fpr, tpr, thr = M.roc_curve(y_true, y_score, pos_label=pos)
    prec, rec, pthr = M.precision_recall_curve(y_true, y_score, pos_label=pos)
    out = {
        "posLabel": pos,
        "f1": M.f1_score(y_true, y_pred, pos_label=pos),
        "precision": M.precision_score(y_true, y_pred, pos_label=pos),
        "recall": M.recall_score(y_true, y_pred, pos_label=pos),
        "accuracy": M.accuracy_score(y_true, y_pred),
        "balancedAccuracy": M.balanced_accuracy_score(y_true, y_pred),
        "rocAuc": M.roc_auc_score(y_true == pos, y_score),
        "averagePrecision": M.average_precision_score(y_true == pos, y_score),
        "logLoss": M.log_loss(y_true == pos, y_score),
        "brier": M.brier_score_loss(y_true == pos, y_score),
        "confusion": M.confusion_matrix(y_true, y_pred, labels=[-1, 1]),
        "roc": {"fpr": fpr, "tpr": tpr, "thresholds": thr},
        "pr": {"precision": prec, "recall": rec, "thresholds": pthr},
    }
    for bins in (5, 10):
        pt, pp = calibration_curve(y_true == pos, y_score, n_bins=bins)
        out[f"calibration{bins}"] = {"probTrue": pt, "probPred": pp}
    return out


def metrics():
    rng = np.random.default_rng(3)
    cases = []
    for n, decimals in ((300, 2), (500, 8), (60, 1)):
        y_true = np.where(rng.random(n) < 0.55, 1.0, -1.0)
        score = np.clip(0.5 + 0.3 * (y_true > 0) - 0.15 + 0.3 * rng.normal(size=n), 0, 1)
        score = np.round(score, decimals)  # coarse rounding makes many ties
        y_pred = np.where(score >= 0.5, 1.0, -1.0)
        cases.append({"yTrue": y_true, "score": score, "yPred": y_pred, "pos1": metric_values(y_true, score, y_pred, 1),
                      "posNeg": metric_values(y_true, 1 - score, y_pred, -1)})
    save("metrics.json", {"cases": cases})


def split_f1(df):
    """F1 (Result = 1 positive) of the peers on the 80/20 split used in ../shared/bench (random_state=42)."""
    tr, te = train_test_split(np.arange(len(df)), test_size=0.2, random_state=42)
    X = df.drop(columns=["Result"]).to_numpy(np.float64)
    y = df["Result"].to_numpy(np.float64)
    f1 = {}
    for name, est in (("logistic_regression", LogisticRegression(max_iter=1000)), ("svc", SVC()),
                      ("naive_bayes", GaussianNB()), ("knn", KNeighborsClassifier())):
        est.fit(X[tr], y[tr])
        f1[name] = M.f1_score(y[te], est.predict(X[te]), pos_label=1)
        print(name, f1[name], file=sys.stderr)
    save("split-f1.json", {"test": np.sort(te), "f1": f1})


def trees(df):
    """Predictions of scikit-learn's decision tree (all features) and a 100-tree random forest on the
    original 80/20 split (random_state=42), for the tree parity test (src/ml/trees/parity.test.ts)."""
    tr, te = train_test_split(np.arange(len(df)), test_size=0.2, random_state=42)
    X = df.drop(columns=["Result"]).to_numpy(np.float64)
    y = df["Result"].to_numpy(np.float64)
    out = {"test": te}
    for name, est in (("decisionTree", DecisionTreeClassifier(random_state=0)),
                      ("decisionTreeEntropy", DecisionTreeClassifier(criterion="entropy", random_state=0)),
                      ("randomForest", RandomForestClassifier(n_estimators=100, random_state=0))):
        est.fit(X[tr], y[tr])
        pred = est.predict(X[te])
        out[name] = {"pred": pred.astype(np.int8), "f1Legit": M.f1_score(y[te], pred, pos_label=1),
                     "probLegit": np.round(est.predict_proba(X[te])[:, 1], 6)}
        print(name, out[name]["f1Legit"], file=sys.stderr)
    save("trees.json", out)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    frame = pd.read_csv(DATA)
    preprocessing(frame)
    classifiers(frame)
    metrics()
    split_f1(frame)
    trees(frame)
