"""Peer side of the scale benchmark (bench/scale): scikit-learn RandomForestClassifier(100, n_jobs=2)
or XGBoost hist (300 x depth 6, n_jobs=2) on exactly our rows, one family per process.

Usage: python peer.py DATA_DIR ROWS FAMILY REPS [PREDICT_ROWS]
Reads DATA_DIR/train-ROWS.{X,y}.i8 and DATA_DIR/test.{X,y}.i8 (int8, written by data.ts); fits once on
the first 50,000 rows (warm-up, as many as ours.ts's), then REPS timed fits; F1 (Result = 1 positive) on the first 50,000
test rows; with PREDICT_ROWS, REPS timed batch predictions of that many test rows.
Prints one JSON line: {"fit_s", "fit_cpu_s" (CPU seconds of all threads), "f1", "batch_s", "max_rss_mb", "versions"}."""
import json, os, resource, sys, time

import numpy as np
import sklearn
import xgboost as xgb
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score

data_dir, rows, family, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
predict_rows = int(sys.argv[5]) if len(sys.argv) > 5 else 0


def load(name):
    X = np.fromfile(os.path.join(data_dir, name + ".X.i8"), dtype=np.int8).astype(np.float64)
    y = np.fromfile(os.path.join(data_dir, name + ".y.i8"), dtype=np.int8)
    return X.reshape(len(y), -1), (y == 1).astype(int)


def make():
    if family == "random_forest":
        return RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=2)
    return xgb.XGBClassifier(n_estimators=300, tree_method="hist", max_depth=6, learning_rate=0.1, n_jobs=2)


X, y = load("train-" + rows)
WARM_ROWS = 50000  # as in ours.ts
make().fit(X[:WARM_ROWS], y[:WARM_ROWS])
fits = []
cpus = []
m = None
for _ in range(reps):
    m = make()
    t0 = time.perf_counter()
    c0 = time.process_time()
    m.fit(X, y)
    fits.append(time.perf_counter() - t0)
    cpus.append(time.process_time() - c0)
Xt, yt = load("test")
f1 = float(f1_score(yt[:50000], m.predict(Xt[:50000])))
batch = []
if predict_rows:
    big = Xt[:predict_rows]
    m.predict_proba(big[:50000])
    for _ in range(reps):
        t0 = time.perf_counter()
        m.predict_proba(big)
        batch.append(time.perf_counter() - t0)
print(json.dumps({
    "fit_s": fits, "fit_cpu_s": cpus, "f1": f1, "batch_s": batch,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "versions": {"sklearn": sklearn.__version__, "xgboost": xgb.__version__, "numpy": np.__version__},
}))
