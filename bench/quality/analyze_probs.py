"""Offline analysis of bench/quality/holdout-probe.ts output: the train stage's rule (best family by CV
F1, or a soft vote of the top 2/3 by CV when its CV F1 is higher) and alternatives, each chosen by CV
on the training side only; test F1 reported per seed, mean and range. Phishing (-1) is positive.

  .cache/venv-peers/bin/python bench/quality/analyze_probs.py /tmp/q [suffix ...]
"""
import itertools
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

out, suffixes = sys.argv[1], sys.argv[2:]


def f1(y, p, t=0.5):
    pred = p >= t
    pos = y == -1
    tp = np.sum(pred & pos)
    return 2 * tp / (np.sum(pred) + np.sum(pos)) if tp else 0.0


def cvf1(y, oof, folds):
    return float(np.mean([f1(y[f], oof[f]) for f in folds]))


def logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def stack(fams, y, folds, te_n):
    """Logistic meta-learner on the logits of the families' OOF probabilities: CV F1 from folds
    (meta fit on the other folds' OOF rows), test probabilities from a meta fit on all OOF rows."""
    Z = np.column_stack([logit(f["oof"]) for f in fams])
    Zt = np.column_stack([logit(f["test"]) for f in fams])
    t = (y == -1).astype(int)
    oof = np.zeros(len(y))
    for f in folds:
        mask = np.ones(len(y), bool)
        mask[f] = False
        m = LogisticRegression(C=1.0, max_iter=1000).fit(Z[mask], t[mask])
        oof[f] = m.predict_proba(Z[f])[:, 1]
    m = LogisticRegression(C=1.0, max_iter=1000).fit(Z, t)
    return oof, m.predict_proba(Zt)[:, 1]


seeds_rows = {}
for path in sorted(__import__("glob").glob(f"{out}/probs-*.json")):
    d = json.load(open(path))
    seeds_rows.setdefault(d["seed"], []).append(d)

results = {}
for seed, ds in sorted(seeds_rows.items()):
    d = ds[0]
    y, yt = np.array(d["ytr"]), np.array(d["yte"])
    folds = [np.array(f) for f in d["folds"]]
    fams = []
    for dd in ds:
        for f in dd["families"]:
            if f["name"] in {g["name"] for g in fams}:
                continue
            fams.append({**f, "oof": np.array(f["oof"]), "test": np.array(f["test"])})
    base = [f for f in fams if f["name"] in {"Logistic Regression", "Decision Tree", "Random Forest", "Extra Trees", "Gradient Boosting", "AdaBoost", "SVC", "KNN", "Naive Bayes"}]
    r = {}

    def rule(pool):
        ranked = sorted(pool, key=lambda f: -f["cv"])
        best = (ranked[0]["cv"], ranked[0]["test"], ranked[0]["name"])
        for k in (2, 3):
            oof = np.mean([m["oof"] for m in ranked[:k]], axis=0)
            c = cvf1(y, oof, folds)
            if c > best[0]:
                best = (c, np.mean([m["test"] for m in ranked[:k]], axis=0), f"vote{k}")
        return best

    c, p, name = rule(base)
    r["rule"] = (f1(yt, p), c, name)
    c2, p2, name2 = rule(fams)
    r["rule+extra"] = (f1(yt, p2), c2, name2)
    for f in fams:
        r[f["name"]] = (f1(yt, f["test"]), f["cv"], "")
    # stacking of all families / of the base families
    for label, pool in (("stack-base", base), ("stack-all", fams)):
        so, st = stack(pool, y, folds, len(yt))
        r[label] = (f1(yt, st), cvf1(y, so, folds), "")
    # stacking chosen by CV against the rule
    for label, pool in (("rule|stack", base), ("rule|stack-all", fams)):
        so, st = stack(pool, y, folds, len(yt))
        cs = cvf1(y, so, folds)
        rc = rule(pool)
        r[label] = (f1(yt, st), cs, "stack") if cs > rc[0] else (f1(yt, rc[1]), rc[0], rc[2])
    results[seed] = r

keys = list(next(iter(results.values())).keys())
print(f"{'method':28s} " + " ".join(f"{s:>7d}" for s in results) + "    mean     min     max  meanCV")
for k in keys:
    vals = [results[s][k][0] for s in results if k in results[s]]
    cvs = [results[s][k][1] for s in results if k in results[s]]
    print(f"{k:28s} " + " ".join(f"{v:7.4f}" for v in vals) + f"  {np.mean(vals):.4f}  {np.min(vals):.4f}  {np.max(vals):.4f}  {np.mean(cvs):.4f}")
print("chosen:", {s: (results[s]["rule"][2], results[s]["rule+extra"][2], results[s]["rule|stack-all"][2]) for s in results})
