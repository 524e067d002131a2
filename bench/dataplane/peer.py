"""The original project's data plane, for the benchmark (bench/dataplane/index.ts runs it).

etl:  the Airflow DAG's way: boto3 downloads the CSV from S3 (endpoint S3_ENDPOINT), then push_data.py's
      way: pandas read_csv, records via json.loads(df.T.to_json()), insert_many.
scan: data_ingestion.py's way: pd.DataFrame(list(collection.find())), drop _id, "na" -> NaN.
boto3 is not in the peers venv; BOTO_SITE names a site-packages folder that has it (the services venv,
same Python), appended after ours so it cannot shadow pandas or pymongo.
Prints one JSON line: {"records", "seconds", "maxRssMb", "cpuSeconds"}.
"""
import json
import os
import resource
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import pymongo


def download(uri: str, path: str) -> None:
    if os.environ.get("BOTO_SITE"):
        sys.path.append(os.environ["BOTO_SITE"])
    import boto3  # noqa: E402 (found through BOTO_SITE)

    bucket, key = uri[len("s3://"):].split("/", 1)
    s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"], region_name="us-east-1",
                      aws_access_key_id="bench", aws_secret_access_key="bench")
    s3.download_file(bucket, key, path)


def main() -> None:
    mode, url, db, coll = sys.argv[1:5]
    client = pymongo.MongoClient(url)
    collection = client[db][coll]
    t0 = time.perf_counter()
    if mode == "etl":
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "records.csv")
            download(sys.argv[5], path)
            data = pd.read_csv(path)
        data.reset_index(drop=True, inplace=True)
        records = list(json.loads(data.T.to_json()).values())
        collection.insert_many(records)
        n = len(records)
    elif mode == "scan":
        df = pd.DataFrame(list(collection.find()))
        if "_id" in df.columns.to_list():
            df = df.drop(columns=["_id"])
        df.replace({"na": np.nan}, inplace=True)
        n = len(df)
    else:
        raise SystemExit(f"unknown mode {mode}")
    seconds = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"records": n, "seconds": seconds, "maxRssMb": round(ru.ru_maxrss / 1024, 1),
                      "cpuSeconds": round(ru.ru_utime + ru.ru_stime, 2)}))


if __name__ == "__main__":
    main()
