"""Cheap proxies (scikit-learn) for data-side ideas on the leakage-aware holdout (issue 12), same splits
and group folds as bench/quality/holdout-probe.ts: one-hot / pairwise features for logistic regression,
majority label per duplicate vector, one row per distinct vector (with and without a count weight).
Group-CV F1 on the training side (scored on the original labels) and test F1, phishing positive.

  .cache/venv-peers/bin/python bench/quality/ideas_holdout.py /tmp/q 42 1 7 0 2 3
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, PolynomialFeatures

out, seeds = sys.argv[1], [int(s) for s in sys.argv[2:]]
df = pd.read_csv("data/phisingData.csv")
X = df.drop(columns=["Result"]).to_numpy(dtype=np.float64)
y = (df["Result"].to_numpy() == -1).astype(int)
_, groups = np.unique(X, axis=0, return_inverse=True)
groups = groups.ravel()

models = {
    "lr raw": lambda: LogisticRegression(C=1, max_iter=2000),
    "lr one-hot": lambda: make_pipeline(OneHotEncoder(handle_unknown="ignore"), LogisticRegression(C=1, max_iter=2000)),
    "lr one-hot+pairs": lambda: make_pipeline(OneHotEncoder(handle_unknown="ignore"), PolynomialFeatures(2, interaction_only=True, include_bias=False), LogisticRegression(C=0.1, max_iter=3000)),
    "hgb": lambda: HistGradientBoostingClassifier(max_iter=300, learning_rate=0.1, max_depth=6, random_state=1),
}


def train_rows(idx, mode):
    """Rows (X, y, weight) the model trains on, from training indices idx."""
    if mode == "as is":
        return X[idx], y[idx], None
    g = groups[idx]
    uniq, first, inv, cnt = np.unique(g, return_index=True, return_inverse=True, return_counts=True)
    share = np.bincount(inv.ravel(), weights=y[idx]) / cnt
    major = (share > 0.5).astype(int)
    major[share == 0.5] = y[idx][first][share == 0.5]
    if mode == "majority label":
        return X[idx], major[inv.ravel()], None
    if mode == "distinct (majority)":
        return X[idx][first], major, None
    if mode == "distinct weighted":
        return X[idx][first], major, cnt.astype(float)
    raise ValueError(mode)


rows = []
for seed in seeds:
    split = json.load(open(f"{out}/split-{seed}.json"))
    tr, te = np.array(split["train"]), np.array(split["test"])
    cv = list(StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(X[tr], y[tr], groups[tr]))
    for name, make in models.items():
        for mode in (["as is", "majority label", "distinct (majority)", "distinct weighted"] if name in ("hgb", "lr one-hot") else ["as is"]):
            scores = []
            for a, b in cv:
                Xa, ya, w = train_rows(tr[a], mode)
                m = make()
                kw = {} if w is None else ({"sample_weight": w} if name == "hgb" else {"logisticregression__sample_weight": w} if "one-hot" in name else {"sample_weight": w})
                m.fit(Xa, ya, **kw)
                scores.append(f1_score(y[tr[b]], m.predict(X[tr[b]])))
            Xa, ya, w = train_rows(tr, mode)
            m = make()
            kw = {} if w is None else ({"sample_weight": w} if name == "hgb" else {"logisticregression__sample_weight": w})
            m.fit(Xa, ya, **kw)
            rows.append({"seed": seed, "model": name, "mode": mode, "cv": np.mean(scores), "test": f1_score(y[te], m.predict(X[te]))})
            print(rows[-1], flush=True)
t = pd.DataFrame(rows)
print(t.groupby(["model", "mode"]).agg(cv=("cv", "mean"), test=("test", "mean"), test_min=("test", "min"), test_max=("test", "max"), n=("test", "size")).round(4).to_string())
