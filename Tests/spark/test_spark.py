#!/usr/bin/env python3
"""The Spark job (contrib/spark) in local mode with 2 executor threads, against
one tighten run: on the real samples and on a generated corpus, `scan --format
json` and `diff` over the job's merged summaries must be byte for byte those
of a single run, with and without filters.

    Tests/spark/test_spark.py BINARY CORPUS_DIR   (run with a python that has pyspark)
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "contrib/spark"))
os.environ.setdefault("PYSPARK_SUBMIT_ARGS", "--master local[2] pyspark-shell")
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
os.environ["PYSPARK_PYTHON"] = sys.executable

import tighten_spark  # noqa: E402


def single(binary, folder, command, filters):
    parent, name = os.path.split(os.path.abspath(folder))
    return subprocess.run([binary, *command, name, *filters, "--quiet"], cwd=parent, capture_output=True).stdout


def main():
    binary, corpus = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    cases = [
        (os.path.join(ROOT, "SampleTrails/trails"), [], ["scan", "--format", "json"]),
        (os.path.join(ROOT, "SampleTrails/trails"), ["--since", "2026-11-21"],
         ["diff", "--policy", os.path.join(ROOT, "SampleTrails/policies/deploy-declared.json"), "--format", "json"]),
        (corpus, [], ["scan", "--format", "json"]),
        (corpus, ["--principal", "arn:aws:iam::111122223333:role/orders-api-prod"],
         ["diff", "--policy", os.path.join(ROOT, "Scripts/bench-policies/application.json"), "--format", "markdown"]),
    ]
    work = tempfile.mkdtemp(prefix="tighten-spark-test-")
    for i, (folder, filters, command) in enumerate(cases):
        out = os.path.join(work, f"out-{i}")
        args = ["--trails", folder, "--tighten", binary, "--partitions", "4", "--output", out, *filters, "--", *command]
        code = tighten_spark.main(args)
        with open(out, "rb") as f:
            got = f.read()
        want = single(binary, folder, command, filters)
        label = f"{os.path.basename(folder)} {' '.join(command[:1] + filters)}"
        if got != want or not want:
            print(f"FAIL spark {label}: {len(got)} bytes vs {len(want)} (exit {code})", file=sys.stderr)
            with open(out + ".want", "wb") as f:
                f.write(want)
            sys.exit(1)
        print(f"spark: {label}: identical ({len(want)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
