"""Runs seed_baseline.py unchanged with GridSearchCV(n_jobs=N): the search bench's second peer row.
Usage: python seed_njobs.py N path/to/seed_baseline.py DATA.csv [--quick]"""
import runpy
import sys

import sklearn.model_selection as ms

n_jobs = int(sys.argv[1])
Base = ms.GridSearchCV


class GridSearchCV(Base):
    def __init__(self, estimator, param_grid, **kw):
        kw.setdefault("n_jobs", n_jobs)
        super().__init__(estimator, param_grid, **kw)


# scikit-learn checks constructor signatures when cloning/printing; keep the parent's.
GridSearchCV.__init__.__signature__ = __import__("inspect").signature(Base.__init__)
ms.GridSearchCV = GridSearchCV
script = sys.argv[2]
sys.argv = [script] + sys.argv[3:]
runpy.run_path(script, run_name="__main__")
