"""Scores rows against our server with Triton's own HTTP client (tritonclient[http]) and prints JSON.

Usage: python triton_client_check.py <host:port> <rows.json>
"""
import json
import sys

import numpy as np
import tritonclient.http as httpclient


def main() -> None:
    url, rows_path = sys.argv[1], sys.argv[2]
    with open(rows_path) as f:
        rows = np.array(json.load(f), dtype=np.float64)
    client = httpclient.InferenceServerClient(url=url)
    meta = client.get_model_metadata("networksecurity")
    # The client's defaults: the tensor goes in Triton's binary extension, outputs are asked for in binary.
    inp = httpclient.InferInput("input-0", list(rows.shape), "FP64")
    inp.set_data_from_numpy(rows)
    outputs = [httpclient.InferRequestedOutput("predict"), httpclient.InferRequestedOutput("predict_proba")]
    result = client.infer("networksecurity", inputs=[inp], outputs=outputs, request_id="triton-check")
    # The same rows as JSON data in an INT8 tensor must give the same labels.
    json_inp = httpclient.InferInput("input-0", list(rows.shape), "INT8")
    json_inp.set_data_from_numpy(rows.astype(np.int8), binary_data=False)
    json_result = client.infer("networksecurity", inputs=[json_inp])
    print(json.dumps({
        "live": client.is_server_live(),
        "ready": client.is_model_ready("networksecurity"),
        "metadata_name": meta["name"],
        "id": result.get_response()["id"],
        "predict": result.as_numpy("predict").reshape(-1).tolist(),
        "predict_json": json_result.as_numpy("predict").reshape(-1).tolist(),
        "predict_proba": result.as_numpy("predict_proba").tolist(),
    }))


if __name__ == "__main__":
    main()
