"""Loads a registered networksecurity model through MLflow's Python client, as a user would, and scores
a CSV with it (for test/interop/mlflow-pyfunc.test.ts).

Usage: python pyfunc_predict.py <tracking-uri> <model-uri> <features.csv> <out.json>. Writes the labels,
phishing probabilities, the signature's input names, the MLmodel flavors, the pinned requirements of the
model and the versions installed here, and the input example scored by the model.
"""
import importlib.metadata
import json
import pathlib
import sys

import mlflow
import mlflow.pyfunc
import pandas as pd
from mlflow.models import Model


def main() -> None:
    tracking_uri, model_uri, csv_path, out_path = sys.argv[1:5]
    mlflow.set_tracking_uri(tracking_uri)
    model = mlflow.pyfunc.load_model(model_uri)
    names = [c.name for c in model.metadata.get_input_schema().inputs]
    # The CSV's feature columns are in schema order before the label; the signature names them.
    frame = pd.read_csv(csv_path).drop(columns=["Result"]).astype("float64")
    assert len(frame.columns) == len(names), (list(frame.columns), names)
    frame.columns = names
    predicted = model.predict(frame)
    local = pathlib.Path(mlflow.artifacts.download_artifacts(model_uri))
    meta = Model.load(str(local / "MLmodel"))
    example = meta.load_input_example(str(local))
    requirements = (local / "requirements.txt").read_text().split()
    installed = {r.split("==")[0]: importlib.metadata.version(r.split("==")[0]) for r in requirements}
    out = {
        "labels": predicted["label"].astype(int).tolist(),
        "probPhishing": predicted["phishing_probability"].astype(float).tolist(),
        "inputNames": names,
        "outputNames": [c.name for c in model.metadata.get_output_schema().inputs],
        "flavors": sorted(meta.flavors.keys()),
        "loaderModule": meta.flavors["python_function"]["loader_module"],
        "requirements": requirements,
        "installed": installed,
        "exampleRows": len(example),
        "examplePrediction": model.predict(example)["label"].astype(int).tolist(),
        "files": sorted(p.name for p in local.iterdir()),
    }
    pathlib.Path(out_path).write_text(json.dumps(out))


if __name__ == "__main__":
    main()
