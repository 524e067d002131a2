"""Writes src/data/fixtures/scipy-stats.json: test vectors for src/data/stats.ts from scipy.

Run with the peer venv:  $(bash scripts/peers-venv.sh) scripts/parity-scipy/make_fixtures.py
Samples are stored as (values, counts) pairs so that large ternary samples stay small in JSON;
the order of values does not matter to any of these statistics.
"""
import json
import pathlib

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

OUT = pathlib.Path(__file__).resolve().parents[2] / "src" / "data" / "fixtures" / "scipy-stats.json"
rng = np.random.default_rng(20240611)


def as_counts(sample):
    values, counts = np.unique(np.asarray(sample, dtype=float), return_counts=True)
    return {"values": values.tolist(), "counts": counts.astype(int).tolist()}


def ternary(n, p):
    return rng.choice([-1.0, 0.0, 1.0], size=n, p=p)


def ks_case(name, a, b):
    res = stats.ks_2samp(a, b, method="auto")
    n1, n2 = len(a), len(b)
    return {
        "name": name,
        "a": as_counts(a),
        "b": as_counts(b),
        "statistic": float(res.statistic),
        "pvalue": float(res.pvalue),
        "method": "exact" if max(n1, n2) <= 10000 else "asymp",
    }


ks = [
    ks_case("small continuous, equal sizes", rng.normal(size=10).round(6), rng.normal(0.5, 1, size=10).round(6)),
    ks_case("small continuous, unequal sizes", rng.normal(size=7).round(6), rng.normal(1, 1, size=13).round(6)),
    ks_case("scipy docstring-like shift", rng.normal(size=100).round(4), rng.normal(0.3, 1, size=120).round(4)),
    ks_case("ties, small integers", rng.integers(0, 5, size=40), rng.integers(0, 6, size=55)),
    ks_case("ternary small, no drift", ternary(50, [0.4, 0.1, 0.5]), ternary(70, [0.4, 0.1, 0.5])),
    ks_case("ternary train/test sizes, slight drift", ternary(8844, [0.43, 0.05, 0.52]), ternary(2211, [0.45, 0.06, 0.49])),
    ks_case("ternary equal sizes 5000, drift", ternary(5000, [0.3, 0.2, 0.5]), ternary(5000, [0.35, 0.2, 0.45])),
    ks_case("ternary strong drift", ternary(3000, [0.2, 0.1, 0.7]), ternary(1000, [0.6, 0.1, 0.3])),
    ks_case("ternary large asymptotic, small d", ternary(20000, [0.43, 0.05, 0.52]), ternary(15000, [0.435, 0.05, 0.515])),
    ks_case("ternary large asymptotic, moderate d", ternary(20000, [0.43, 0.05, 0.52]), ternary(5000, [0.45, 0.05, 0.50])),
    ks_case("ternary large asymptotic, strong drift", ternary(30000, [0.3, 0.2, 0.5]), ternary(12000, [0.4, 0.2, 0.4])),
    ks_case("asymptotic with a small second sample", ternary(20000, [0.4, 0.1, 0.5]), ternary(100, [0.5, 0.1, 0.4])),
    ks_case("integers 0..999, asymptotic", rng.integers(0, 1000, size=12000), rng.integers(0, 1000, size=11000)),
    ks_case("one value against many", [0.0], ternary(30, [0.3, 0.2, 0.5])),
    ks_case("very unequal exact sizes", ternary(5, [0.3, 0.2, 0.5]), ternary(9000, [0.3, 0.2, 0.5])),
    ks_case("equal sizes 10000, exact square", ternary(10000, [0.43, 0.05, 0.52]), ternary(10000, [0.44, 0.05, 0.51])),
    ks_case("coprime sizes 9973 and 7919", ternary(9973, [0.43, 0.05, 0.52]), ternary(7919, [0.45, 0.05, 0.50])),
]
same = ternary(60, [0.3, 0.2, 0.5])
ks = ks + [ks_case("identical samples", same, same.copy())]


def chi2_case(name, table, correction=True):
    res = stats.chi2_contingency(np.asarray(table), correction=correction)
    return {
        "name": name,
        "table": table,
        "correction": correction,
        "statistic": float(res.statistic),
        "pvalue": float(res.pvalue),
        "dof": int(res.dof),
        "expected": np.asarray(res.expected_freq).tolist(),
    }


chi2 = [
    chi2_case("2x2 with Yates", [[12, 5], [7, 9]]),
    chi2_case("2x2 without correction", [[12, 5], [7, 9]], correction=False),
    chi2_case("2x2 differences below 0.5", [[10, 10], [10, 11]]),
    chi2_case("2x2 large counts", [[4898, 6157], [1002, 1209]]),
    chi2_case("2x3 ternary feature, train vs test", [[3793, 442, 4609], [995, 133, 1083]]),
    chi2_case("2x3 strong drift, tiny p", [[600, 300, 2100], [600, 100, 300]]),
    chi2_case("2x3 extreme drift, p near underflow", [[9000, 10, 10], [10, 10, 9000]]),
    chi2_case("3x3", [[10, 20, 30], [20, 20, 20], [30, 20, 10]]),
    chi2_case("2x4", [[5, 8, 13, 21], [6, 7, 15, 18]]),
    chi2_case("2x1 one category left", [[10], [20]]),
]
# scipy raises on a category empty in both samples; the drift code drops it first.
zero = [[120, 0, 80], [90, 0, 110]]
dropped = [[120, 80], [90, 110]]
zero_case = chi2_case("2x3 with a zero-count column, dropped", dropped)
zero_case["tableWithZeroColumn"] = zero

chi2_sf = []
for k in [1, 2, 3, 4, 5, 7, 10, 30]:
    for x in [1e-8, 0.01, 0.5, 1.0, 2.7, 6.0, 15.0, 40.0, 150.0, 700.0, 1400.0]:
        chi2_sf.append({"x": x, "k": k, "sf": float(stats.chi2.sf(x, k))})

kstwo_sf = []
for n, d in [(50, 0.01), (50, 0.05), (50, 0.1), (50, 0.2), (50, 0.3), (100, 0.1), (139, 0.15), (140, 0.3),
             (500, 0.01), (500, 0.04), (500, 0.08), (500, 0.2), (5000, 0.005), (5000, 0.01), (5000, 0.02),
             (5000, 0.05), (20000, 0.003), (20000, 0.008), (20000, 0.02), (200000, 0.002), (200000, 0.004), (10, 0.6),
             (10, 0.95)]:
    kstwo_sf.append({"n": n, "d": d, "sf": float(stats.kstwo.sf(d, n))})

js = []
for p, q in [([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), ([0.5, 0.1, 0.4], [0.4, 0.2, 0.4]), ([1, 0, 0], [0, 0, 1]),
             ([3793, 442, 4609], [995, 133, 1083]), ([0.9, 0.1, 0.0], [0.5, 0.2, 0.3])]:
    js.append({"p": p, "q": q, "distance": float(jensenshannon(p, q, base=2))})

doc = {
    "generator": "scripts/parity-scipy/make_fixtures.py",
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "ks2samp": ks,
    "chi2Contingency": chi2 + [zero_case],
    "chi2Sf": chi2_sf,
    "kstwoSf": kstwo_sf,
    "jensenShannon": js,
}
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(doc, indent=1) + "\n")
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
