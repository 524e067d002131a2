"""scikit-learn twins of our logistic regression and SVC on the original split (issue 3, accuracy row).
Splits the bundled data exactly as the original project (train_test_split(test_size=0.2, random_state=42)),
maps Result -1 -> 0 and fits LogisticRegression() and SVC() with their defaults; prints JSON with each
model's test F1 (Result = 1 positive) and fit time, plus a checksum of the test row indices so the caller
can confirm it used the same split.
Usage: python peer_twins.py DATA.csv"""
import json
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

df = pd.read_csv(sys.argv[1])
train, test = train_test_split(df, test_size=0.2, random_state=42)
Xtr, ytr = train.drop(columns=["Result"]).to_numpy(float), train["Result"].replace(-1, 0).to_numpy()
Xte, yte = test.drop(columns=["Result"]).to_numpy(float), test["Result"].replace(-1, 0).to_numpy()
out = {
    "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
    "test_index_checksum": int((test.index.to_numpy().astype(np.int64) * np.arange(len(test))).sum()),
}
for name, model in (("logistic_regression", LogisticRegression()), ("svc", SVC())):
    t = time.perf_counter()
    model.fit(Xtr, ytr)
    fit_s = time.perf_counter() - t
    out[name] = {"f1": float(f1_score(yte, model.predict(Xte))), "fit_s": round(fit_s, 3)}
print(json.dumps(out))
