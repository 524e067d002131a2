"""Peer side of the ML benchmark (bench/ml): scikit-learn RandomForestClassifier and XGBoost `hist` on
exactly the rows our side uses. Adapted from ../shared/bench/peer_models.py.

Usage: python peer_trees.py SPEC.json   (written by bench/ml/peers.ts)
SPEC: {"csv": path, "splits": {name: {"train": [...], "test": [...]}}, "big": path to float64 rows
(n x cols, little-endian), "bigRows": n, "reps": k, "batchSplit": name}
Prints one JSON document on stdout; progress goes to stderr."""
import json, sys, time

import numpy as np
import pandas as pd
import sklearn
import xgboost as xgb
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def timed(fn, reps):
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


spec = json.load(open(sys.argv[1]))
reps = int(spec["reps"])
df = pd.read_csv(spec["csv"])
X_all = df.drop(columns=["Result"]).to_numpy(np.float64)
y_all = (df["Result"] == 1).astype(int).to_numpy()
big = np.fromfile(spec["big"], dtype="<f8").reshape(int(spec["bigRows"]), X_all.shape[1])

models = {
    "random_forest": lambda: RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=2),
    "hist_gradient_boosting": lambda: xgb.XGBClassifier(n_estimators=300, tree_method="hist", max_depth=6, learning_rate=0.1, n_jobs=2),
}
result = {"versions": {"sklearn": sklearn.__version__, "xgboost": xgb.__version__, "numpy": np.__version__}, "splits": {}}
for split_name, split in spec["splits"].items():
    tr, te = np.array(split["train"]), np.array(split["test"])
    X, y, Xt, yt = X_all[tr], y_all[tr], X_all[te], y_all[te]
    res = {}
    for name, make in models.items():
        log(f"peer {split_name} {name}")
        m = make()
        m.fit(X, y)  # warm-up (thread pools, imports)
        fits = timed(lambda: m.fit(X, y), reps)
        entry = {"fit_s": fits, "f1": float(f1_score(yt, m.predict(Xt)))}
        if split_name == spec["batchSplit"]:
            entry["batch_s"] = timed(lambda: m.predict(big), reps)
            if name == "random_forest":
                m.set_params(n_jobs=1)
                entry["batch_s_single_thread"] = timed(lambda: m.predict(big), reps)
                m.set_params(n_jobs=2)
            one = []
            for i in range(200):
                t0 = time.perf_counter()
                m.predict(Xt[i:i + 1])
                one.append(time.perf_counter() - t0)
            entry["one_row_s_median"] = float(np.median(one))
        res[name] = entry
    result["splits"][split_name] = res
print(json.dumps(result))
