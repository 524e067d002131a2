"""Peers on the default preset's leakage-aware holdout (issue 12): the split written by
bench/quality/holdout-probe.ts for a seed, tuned only on the training side with 5 group folds
(identical feature vectors in one fold), scored once on the test side. F1 of phishing (Result = -1).

  .cache/venv-peers/bin/python bench/quality/peers_holdout.py /tmp/q 42 1 7 0 2 3
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import RandomizedSearchCV, StratifiedGroupKFold
from xgboost import XGBClassifier

out, seeds = sys.argv[1], [int(s) for s in sys.argv[2:]]
df = pd.read_csv("data/phisingData.csv")
X = df.drop(columns=["Result"]).to_numpy(dtype=np.float64)
y = (df["Result"].to_numpy() == -1).astype(int)  # 1 = phishing
_, groups = np.unique(X, axis=0, return_inverse=True)
groups = groups.ravel()

spaces = {
    "xgboost": (XGBClassifier(tree_method="hist", n_jobs=1, random_state=1, eval_metric="logloss"), {
        "n_estimators": [200, 400, 800], "learning_rate": [0.02, 0.05, 0.1], "max_depth": [4, 6, 8, 10, 0],
        "min_child_weight": [1, 2, 5], "subsample": [0.7, 0.85, 1.0], "colsample_bytree": [0.5, 0.8, 1.0],
        "reg_lambda": [0.5, 1, 5], "gamma": [0, 0.1, 0.5]}),
    "sk_hgb": (HistGradientBoostingClassifier(random_state=1), {
        "max_iter": [200, 400, 800], "learning_rate": [0.02, 0.05, 0.1], "max_leaf_nodes": [15, 31, 63, 127],
        "min_samples_leaf": [1, 5, 20], "l2_regularization": [0, 0.1, 1.0]}),
    "sk_rf": (RandomForestClassifier(n_estimators=300, random_state=1, n_jobs=1), {
        "max_features": ["sqrt", 0.3, 0.5], "min_samples_leaf": [1, 2], "criterion": ["gini", "entropy"]}),
    "sk_et": (ExtraTreesClassifier(n_estimators=300, random_state=1, n_jobs=1), {
        "max_features": ["sqrt", 0.3, 0.5], "min_samples_leaf": [1, 2], "criterion": ["gini", "entropy"]}),
}
import os
scale = float(os.environ.get("PEER_ITER_SCALE", "1"))  # fewer random settings on a busy machine
n_iter = {k: max(2, round(v * scale)) for k, v in {"xgboost": 30, "sk_hgb": 20, "sk_rf": 12, "sk_et": 12}.items()}
only = os.environ.get("PEERS", ",".join(spaces)).split(",")
spaces = {k: v for k, v in spaces.items() if k in only}
rows = []
for seed in seeds:
    split = json.load(open(f"{out}/split-{seed}.json"))
    tr, te = np.array(split["train"]), np.array(split["test"])
    cv = list(StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(X[tr], y[tr], groups[tr]))
    res = {}
    for name, (est, grid) in spaces.items():
        t0 = time.time()
        s = RandomizedSearchCV(est, grid, n_iter=n_iter[name], scoring="f1", cv=cv, n_jobs=2, random_state=seed, refit=True)
        s.fit(X[tr], y[tr])
        res[name] = {"cv": s.best_score_, "test": f1_score(y[te], s.predict(X[te])), "params": s.best_params_, "s": time.time() - t0}
        print(f"seed {seed} {name}: cv {s.best_score_:.4f} test {res[name]['test']:.4f} ({res[name]['s']:.0f} s) {s.best_params_}", flush=True)
    best = max(res, key=lambda k: res[k]["cv"])
    print(f"seed {seed} chosen by CV: {best} test {res[best]['test']:.4f}", flush=True)
    rows.append({"seed": seed, "chosen": best, "chosen_test": res[best]["test"], **{k: v["test"] for k, v in res.items()}})
json.dump(rows, open(f"{out}/peers.json", "w"), indent=1)
t = pd.DataFrame(rows)
print(t.to_string())
print("mean", t.drop(columns=["seed", "chosen"]).mean().round(4).to_dict())
print("min", t.drop(columns=["seed", "chosen"]).min().round(4).to_dict())
print("max", t.drop(columns=["seed", "chosen"]).max().round(4).to_dict())
