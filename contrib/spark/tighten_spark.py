#!/usr/bin/env python3
"""Runs tighten over an organisation's CloudTrail bucket on Spark.

Spark lists the delivery files under a prefix (local or s3a://), passes over
those whose name puts them outside --since/--until, spreads the rest across
the executors, and each partition runs `tighten summarize` on its files. The
summaries (tens of times smaller than the gzip'd trails) come back to the
driver, where one `tighten` run merges them: its output is byte for byte what
one tighten run over all the files gives. tighten's own mapping is the only
code that turns events into permissions.

    spark-submit contrib/spark/tighten_spark.py --trails s3a://bucket/AWSLogs/ \\
        --tighten ./tighten --partitions 200 --since 2026-08-01 -- diff --policy app.json --format markdown

Everything after `--` is the tighten command run on the driver over the
summaries (default: `scan --format json`); --principal, --region, --account,
--since and --until apply to the summaries and to that command alike. The
tighten binary must be at the same path on every node, or shipped with
`spark-submit --files tighten` and named by its file name.

Files are named as `tighten` run in the prefix's parent folder names them
(`corpus/AWSLogs/...` for a prefix `/data/corpus`), so that failures and
warnings read the same as in a single run.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone

DELIVERY = re.compile(r"_CloudTrail_[^_]+_(\d{8})T(\d{4})Z_")
ENDINGS = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".gz")
LATE_DELIVERY = 86_400  # as tighten's walker: a file written a day after --until may still hold calls before it


def parse_time(text, end_of_day=False):
    if text is None:
        return None
    if len(text) == 10:
        t = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()
        return int(t) + (86_399 if end_of_day else 0)
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def wanted(name, since, until):
    """tighten's walker rules: trail names only, no digests, delivery time within the window."""
    base = name.rsplit("/", 1)[-1]
    if "CloudTrail-Digest" in name or base.startswith(".") or not base.lower().endswith(ENDINGS):
        return False
    m = DELIVERY.search(base)
    if m:
        written = int(datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M").replace(tzinfo=timezone.utc).timestamp())
        if since is not None and written + 60 < since:
            return False
        if until is not None and written - LATE_DELIVERY > until:
            return False
    return True


def list_files(spark, prefix):
    """Every file under the prefix, through Hadoop's file systems (file:, s3a:, hdfs:)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(prefix)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    files = fs.listFiles(path, True)
    out = []
    while files.hasNext():
        out.append(files.next().getPath().toString())
    return sorted(out)


def normalize(uri):
    """A file's URI as one spelling: `file:/a`, `file:///a` and `/a` are the same file."""
    if uri.startswith("file:"):
        return "/" + uri[len("file:"):].lstrip("/")
    return uri


def hidden(relative):
    """In a folder tighten's walker does not enter (`.git` and the like)."""
    return any(part.startswith(".") for part in relative.strip("/").split("/")[:-1])


def summarize_partition(tighten, top, filters, jobs):
    """The executor's side: write the partition's files under their names, summarise the folder."""

    def run(rows):
        rows = list(rows)
        if not rows:
            return
        work = tempfile.mkdtemp(prefix="tighten-spark-")
        try:
            for name, content in rows:
                target = os.path.join(work, name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(content)
            binary = tighten if os.path.isabs(tighten) and os.path.exists(tighten) else _shipped(tighten)
            out = os.path.join(work, ".summary.gz")
            p = subprocess.run(
                [binary, "summarize", top, "--output", out, "--quiet", "--jobs", str(jobs), *filters],
                cwd=work, capture_output=True, text=True)
            if p.returncode not in (0, 3):
                raise RuntimeError(f"tighten summarize failed ({p.returncode}): {p.stderr.strip()}")
            with open(out, "rb") as f:
                yield f.read()
        finally:
            shutil.rmtree(work, ignore_errors=True)

    return run


def _shipped(name):
    from pyspark import SparkFiles
    return SparkFiles.get(os.path.basename(name))


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    command = ["scan", "--format", "json"]
    if "--" in argv:
        i = argv.index("--")
        argv, command = argv[:i], argv[i + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trails", required=True, help="the prefix: a folder, or s3a://bucket/AWSLogs/…")
    parser.add_argument("--tighten", required=True, help="the tighten binary (a path on every node, or a --files name)")
    parser.add_argument("--partitions", type=int, default=0, help="default: Spark's default parallelism")
    parser.add_argument("--jobs", type=int, default=1, help="tighten's threads per task")
    parser.add_argument("--output", help="write the command's output here (default: standard output)")
    parser.add_argument("--keep-summaries", help="also keep the partitions' summaries in this folder")
    parser.add_argument("--principal", action="append", default=[])
    parser.add_argument("--region", action="append", default=[])
    parser.add_argument("--account", action="append", default=[])
    parser.add_argument("--since")
    parser.add_argument("--until")
    args = parser.parse_args(argv)
    filters = [f for p in args.principal for f in ("--principal", p)]
    filters += [f for r in args.region for f in ("--region", r)]
    filters += [f for a in args.account for f in ("--account", a)]
    filters += ["--since", args.since] if args.since else []
    filters += ["--until", args.until] if args.until else []

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("tighten").getOrCreate()
    sc = spark.sparkContext
    sc.addPyFile(os.path.abspath(__file__))  # the executors' functions live in this module
    prefix = args.trails.rstrip("/")
    if "://" not in prefix and not prefix.startswith("file:"):
        prefix = os.path.abspath(prefix)
    since, until = parse_time(args.since), parse_time(args.until, end_of_day=True)
    base, top = normalize(prefix), os.path.basename(prefix)
    listed = [u for u in list_files(spark, prefix) if not hidden(normalize(u)[len(base):])]
    files = [u for u in listed if wanted(u, since, until)]
    if not files:
        print(f"tighten-spark: no trail files under {args.trails} within the window", file=sys.stderr)
        return 2
    partitions = args.partitions or sc.defaultParallelism
    # Each file named as tighten run in the prefix's parent folder names it; the files
    # passed over (digests, other names, outside the window) travel as empty
    # stand-ins, so that tighten's walker counts them as one run would.
    names = sc.broadcast({normalize(u): f"{top}/{normalize(u)[len(base):].lstrip('/')}" for u in listed})
    content = sc.binaryFiles(",".join(files), minPartitions=partitions).map(
        lambda kv: (names.value[normalize(kv[0])], kv[1]))
    chosen = set(files)
    passed_over = sc.parallelize([(names.value[normalize(u)], b"") for u in listed if u not in chosen] or [], 1)
    summaries = (
        content.union(passed_over).repartition(partitions)
        .mapPartitions(summarize_partition(args.tighten, top, filters, args.jobs)).collect())
    spark.stop()

    work = args.keep_summaries or tempfile.mkdtemp(prefix="tighten-spark-driver-")
    os.makedirs(work, exist_ok=True)
    paths = []
    for i, data in enumerate(summaries):
        path = os.path.join(work, f"part-{i:05d}.summary.gz")
        with open(path, "wb") as f:
            f.write(data)
        paths.append(path)
    sent = sum(len(s) for s in summaries)
    print(f"tighten-spark: {len(files)} files in {len(summaries)} summaries ({sent} bytes back to the driver)", file=sys.stderr)
    out = open(args.output, "wb") if args.output else sys.stdout.buffer
    p = subprocess.run([args.tighten, *command, *paths, *filters, "--quiet"], stdout=out)
    if args.output:
        out.close()
    if not args.keep_summaries:
        shutil.rmtree(work, ignore_errors=True)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
