"""Soft-vote rules for the train stage (issue 12), judged on the leakage-aware holdout of many seeds from
the per-family out-of-fold and test probabilities that bench/quality/holdout-probe.ts writes (the default
plan, 5 group folds, each family's setting chosen by CV). Every rule uses only the out-of-fold ones:
  earlier   `train`'s rule (softVoteTopK): the better (by CV F1) of the top-2 and top-3 vote, taken when
            it beats the best single family's CV F1
  single    the best family by CV F1
  topK      always the soft vote of the K best families by CV F1
  top3 m    top3 among the families within 0.01 of the best CV F1
Prints each rule's mean test F1 (phishing positive), its paired difference from `earlier` with its
standard error, and the wins and losses. A probe, not part of `npm run bench`:

  nice node --import tsx bench/quality/holdout-probe.ts --out /tmp/q --seeds $(seq -s, 100 119)
  .cache/venv-peers/bin/python bench/quality/vote_rules.py /tmp/q $(seq -s' ' 100 119)
"""
import json
import sys

import numpy as np
from sklearn.metrics import f1_score

out, seeds = sys.argv[1], [int(s) for s in sys.argv[2:]]
R: dict[str, list[float]] = {}
for seed in seeds:
    P = json.load(open(f"{out}/probs-{seed}.json"))
    ytr, yte = np.array(P["ytr"]) == -1, np.array(P["yte"]) == -1
    fams = sorted(P["families"], key=lambda f: -f["cv"])

    def vote(members):
        oof = np.mean([np.array(f["oof"]) for f in members], 0)
        test = np.mean([np.array(f["test"]) for f in members], 0)
        return np.mean([f1_score(ytr[f], oof[f] >= 0.5) for f in P["folds"]]), f1_score(yte, test >= 0.5)

    single = (fams[0]["cv"], f1_score(yte, np.array(fams[0]["test"]) >= 0.5))
    top = {k: vote(fams[:k]) for k in (2, 3, 4, 5)}
    better = max(top[2], top[3], key=lambda v: v[0])
    close = [f for f in fams[:3] if f["cv"] >= fams[0]["cv"] - 0.01]
    rules = {"earlier": better if better[0] > single[0] else single, "single": single,
             **{f"top{k}": v for k, v in top.items()}, "top3 m": vote(close) if len(close) > 1 else single}
    for name, v in rules.items():
        R.setdefault(name, []).append(v[1])
base = np.array(R["earlier"])
for name, v in R.items():
    v = np.array(v)
    d = v - base
    se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else 0.0
    print(f"{name:8s} mean {v.mean():.4f} (min {v.min():.4f}, max {v.max():.4f}, >= 0.955 on {(v >= 0.955).sum()}/{len(v)})"
          f"  vs earlier {d.mean():+.4f} (se {se:.4f}), wins {(d > 0).sum()}, losses {(d < 0).sum()}")
