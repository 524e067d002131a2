"""Holdout ceiling for the default preset (issue 12): reads holdout-probe.ts output (probs-<seed>.json) and
prints, per seed, each family's CV F1 and holdout F1 (phishing, p >= 0.5), the train stage's rule
(best family by CV, or the top-2/3 soft vote when its CV F1 is higher), two rules chosen by CV only
(soft vote of the best subset of any size; the rule's model with its threshold tuned on out-of-fold
probabilities), and two NOT honest figures that look at the holdout: the best single family and the best
subset vote by holdout F1 (the ceiling of choosing among these models).

  .cache/venv-peers/bin/python bench/quality/holdout_ceiling.py /tmp/probe-dir
"""
import itertools
import json
import sys
from pathlib import Path

import numpy as np

PH = -1.0


def f1(y, p, t=0.5):
    pred = p >= t
    pos = y == PH
    tp = np.sum(pred & pos)
    fp = np.sum(pred & ~pos)
    fn = np.sum(~pred & pos)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def cvf1(y, oof, folds, t=0.5):
    return float(np.mean([f1(y[f], oof[f], t) for f in folds]))


rows = {}
for path in sorted(Path(sys.argv[1]).glob("probs-*.json")):
    d = json.loads(path.read_text())
    ytr, yte = np.array(d["ytr"]), np.array(d["yte"])
    folds = [np.array(f) for f in d["folds"]]
    fams = sorted(d["families"], key=lambda f: -f["cv"])
    oof = [np.array(f["oof"]) for f in fams]
    te = [np.array(f["test"]) for f in fams]
    r = {}
    for f, o, t in zip(fams, oof, te):
        r[f"family {f['name']}"] = (f["cv"], f1(yte, t))
    # The train stage's rule (softVoteTopK).
    best = (fams[0]["cv"], f1(yte, te[0]), fams[0]["name"], oof[0], te[0])
    for k in (2, 3):
        o, t = np.mean(oof[:k], axis=0), np.mean(te[:k], axis=0)
        c = cvf1(ytr, o, folds)
        if c > best[0]:
            best = (c, f1(yte, t), f"vote top {k}", o, t)
    r["train stage rule"] = best[:2]
    chosen = best[2]
    # Soft vote of any subset, chosen by CV.
    subs = []
    for k in range(2, len(fams) + 1):
        for s in itertools.combinations(range(len(fams)), k):
            o, t = np.mean([oof[i] for i in s], axis=0), np.mean([te[i] for i in s], axis=0)
            subs.append((cvf1(ytr, o, folds), f1(yte, t), "+".join(fams[i]["name"] for i in s)))
    bc = max(subs, key=lambda x: x[0])
    r["vote, best subset by CV"] = bc[:2] if bc[0] > r["train stage rule"][0] else r["train stage rule"]
    # Threshold of the rule's model tuned on out-of-fold probabilities.
    ts = np.arange(0.30, 0.71, 0.01)
    tb = max(ts, key=lambda t: cvf1(ytr, best[3], folds, t))
    r["rule + CV threshold"] = (cvf1(ytr, best[3], folds, tb), f1(yte, best[4], tb))
    # Not honest: chosen by the holdout.
    r["NOT HONEST best family by holdout"] = max((v for k, v in r.items() if k.startswith("family")), key=lambda x: x[1])
    r["NOT HONEST best subset by holdout"] = max(subs, key=lambda x: x[1])[:2]
    rows[d["seed"]] = (r, chosen, bc[2], float(tb))

seeds = list(rows)
print(f"{'method':44s}" + "".join(f"{s:>8d}" for s in seeds) + "    mean  meanCV")
for k in rows[seeds[0]][0]:
    vals = [rows[s][0][k][1] for s in seeds]
    cvs = [rows[s][0][k][0] for s in seeds]
    print(f"{k:44s}" + "".join(f"{v:8.4f}" for v in vals) + f"  {np.mean(vals):.4f}  {np.mean(cvs):.4f}")
for s in seeds:
    print(f"seed {s}: rule chose {rows[s][1]}; best subset by CV {rows[s][2]}; CV threshold {rows[s][3]:.2f}")
