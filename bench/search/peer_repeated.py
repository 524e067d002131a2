"""XGBoost twin of bench/search/repeated.ts: test F1 (Result = 1 positive) of XGBoost `hist` with the
boosting setting of our row (learning rate 0.1, depth 10, 300 rounds, n_jobs 2) on the original split
(random_state 42) and on random_state 0..19, each made by train_test_split(test_size=0.2).
Usage: python peer_repeated.py DATA.csv  -> JSON {"splits": [{"seed": s, "boosting": f1, "testChecksum": c}, ...]}"""
import json
import sys

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

df = pd.read_csv(sys.argv[1])
out = []
for seed in [42, *range(20)]:
    train, test = train_test_split(df, test_size=0.2, random_state=seed)
    Xtr, ytr = train.drop(columns=["Result"]).to_numpy(float), train["Result"].replace(-1, 0).to_numpy()
    Xte, yte = test.drop(columns=["Result"]).to_numpy(float), test["Result"].replace(-1, 0).to_numpy()
    model = xgb.XGBClassifier(n_estimators=300, tree_method="hist", max_depth=10, learning_rate=0.1, n_jobs=2)
    model.fit(Xtr, ytr)
    f1 = float(f1_score(yte, model.predict(Xte)))
    print(f"split {seed}: xgboost {f1:.4f}", file=sys.stderr, flush=True)
    checksum = int((test.index.to_numpy().astype(np.int64) * np.arange(len(test))).sum())
    out.append({"seed": seed, "boosting": f1, "testChecksum": checksum})
print(json.dumps({"splits": out}))
