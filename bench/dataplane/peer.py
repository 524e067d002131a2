"""The original project's data plane, for the benchmark (bench/dataplane/index.ts runs it).

insert: push_data.py's way: pandas read_csv, records via json.loads(df.T.to_json()), insert_many.
scan:   data_ingestion.py's way: pd.DataFrame(list(collection.find())), drop _id, "na" -> NaN.
Prints one JSON line: {"records", "seconds", "maxRssMb"}.
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
import pymongo


def main() -> None:
    mode, url, db, coll = sys.argv[1:5]
    client = pymongo.MongoClient(url)
    collection = client[db][coll]
    t0 = time.perf_counter()
    if mode == "insert":
        data = pd.read_csv(sys.argv[5])
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
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"records": n, "seconds": seconds, "maxRssMb": round(rss_mb, 1)}))


if __name__ == "__main__":
    main()
