"""Reads back what networksecurity wrote to an MLflow server, with MLflow's own Python API.

Used by test/mlflow to prove that a team's Python code finds our runs and models:
  python check.py runs --experiment NAME        -> JSON list of runs (id, name, parent, status, metrics, params)
  python check.py alias --model NAME --alias A  -> JSON of the model version the alias resolves to
The server comes from MLFLOW_TRACKING_URI, as for any MLflow client.
"""
import argparse
import json
import math
import sys

import mlflow
from mlflow import MlflowClient


def runs(experiment: str) -> list:
    frame = mlflow.search_runs(experiment_names=[experiment])
    out = []
    for _, row in frame.iterrows():
        def prefixed(prefix: str) -> dict:
            return {
                col[len(prefix):]: row[col]
                for col in frame.columns
                if col.startswith(prefix) and row[col] is not None and not (isinstance(row[col], float) and math.isnan(row[col]))
            }
        tags = prefixed("tags.")
        out.append({
            "run_id": row["run_id"],
            "name": tags.get("mlflow.runName"),
            "parent": tags.get("mlflow.parentRunId"),
            "local_run_id": tags.get("networksecurity.local_run_id"),
            "status": row["status"],
            "metrics": {k: float(v) for k, v in prefixed("metrics.").items()},
            "params": {k: str(v) for k, v in prefixed("params.").items()},
        })
    return out


def alias(model: str, name: str) -> dict:
    version = MlflowClient().get_model_version_by_alias(model, name)
    return {"name": version.name, "version": str(version.version), "run_id": version.run_id, "source": version.source,
            "aliases": list(version.aliases), "tags": dict(version.tags)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_runs = sub.add_parser("runs")
    p_runs.add_argument("--experiment", required=True)
    p_alias = sub.add_parser("alias")
    p_alias.add_argument("--model", required=True)
    p_alias.add_argument("--alias", required=True)
    args = parser.parse_args()
    result = runs(args.experiment) if args.command == "runs" else alias(args.model, args.alias)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
