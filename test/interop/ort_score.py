"""Scores rows with Python's onnxruntime for test/interop/onnx-equality.test.ts.

Usage: python ort_score.py <dir>. The folder holds rows-<set>.f64 (float64, row-major, little-endian) with
rows-<set>.json ({"rows": n, "cols": d}), and <model>.onnx files. For every model and row set this checks
the model with onnx.checker, runs it on the CPU provider and writes <model>.<set>.proba.f64 (n x 2) and
<model>.<set>.label.i64 (n), then prints one JSON line with the versions used.
"""
import json
import pathlib
import sys

import numpy as np
import onnx
import onnxruntime as ort


def main() -> None:
    folder = pathlib.Path(sys.argv[1])
    sets = {}
    for meta in sorted(folder.glob("rows-*.json")):
        name = meta.stem[len("rows-"):]
        shape = json.loads(meta.read_text())
        sets[name] = np.fromfile(folder / f"rows-{name}.f64", dtype="<f8").reshape(shape["rows"], shape["cols"])
    for path in sorted(folder.glob("*.onnx")):
        onnx.checker.check_model(onnx.load(str(path)), full_check=True)
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        for name, rows in sets.items():
            label, proba = session.run(["label", "probabilities"], {"features": rows})
            proba.astype("<f8").tofile(folder / f"{path.stem}.{name}.proba.f64")
            label.astype("<i8").tofile(folder / f"{path.stem}.{name}.label.i64")
    print(json.dumps({"onnxruntime": ort.__version__, "onnx": onnx.__version__}))


if __name__ == "__main__":
    main()
