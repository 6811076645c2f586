#!/usr/bin/env python3
"""Property test of usage summaries (issue 14), on the built binary.

Random shardings of the real samples and of a generated corpus (1, 2, 7 and
50 shards; files split across shards in random order, each shard summarised
with a random --jobs from 1 to 8), merged by giving the summaries (in random
order, some shards given as their trail files instead) to `scan`, `diff` and
`generate`, must give byte-identical output and exit status to one run over
all the files, for every format and under each filter. Then `--cache`: a cold
run, a warm run, and a run after 5% of the files changed, each identical to a
run without the cache; and a half-written entry left by a killed run is
never trusted.

    Tests/summaries/test_shardings.py BINARY CORPUS_DIR [--seed N]

Exits 1 on the first difference, naming the case.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENDINGS = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".gz")


def trail_files(*folders):
    """The files the walker reads, relative to the package root, sorted."""
    out = []
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "CloudTrail-Digest"]
            for name in filenames:
                if name.startswith(".") or "CloudTrail-Digest" in name or not name.lower().endswith(ENDINGS):
                    continue
                out.append(os.path.relpath(os.path.join(dirpath, name), ROOT))
    return sorted(out)


class Case:
    def __init__(self, binary, work, rng):
        self.binary, self.work, self.rng, self.checked = binary, work, rng, 0

    def run(self, args, out_dir=None):
        jobs = str(self.rng.randint(1, 8))
        p = subprocess.run([self.binary] + args + ["--jobs", jobs, "--quiet"], cwd=ROOT, capture_output=True)
        files = {}
        if out_dir and os.path.isdir(out_dir):
            for name in sorted(os.listdir(out_dir)):
                with open(os.path.join(out_dir, name), "rb") as f:
                    files[name] = f.read()
        return p.returncode, p.stdout, files

    def commands(self, policy, filters):
        """(name, arguments, output folder or None) of every command and format checked; `generate`
        under a --principal filter (a summary is read only with the filters it was made with)."""
        gen_dir = os.path.join(self.work, "generated")
        generate = [
            ("generate", ["generate", "--resources", "prefix", "--output", gen_dir, "--force"], gen_dir),
            ("generate json", ["generate", "--format", "json", "--lifecycle", "observed"], None),
        ]
        return (generate if "--principal" in filters else []) + [
            ("scan json", ["scan", "--format", "json"], None),
            ("scan text", ["scan"], None),
            ("diff json", ["diff", "--policy", policy, "--format", "json"], None),
            ("diff markdown", ["diff", "--policy", policy, "--format", "markdown"], None),
            ("diff sarif", ["diff", "--policy", policy, "--format", "sarif"], None),
            ("diff text", ["diff", "--policy", policy], None),
        ]

    def compare(self, label, reference_inputs, inputs, filters, policy):
        for name, args, out_dir in self.commands(policy, filters):
            if out_dir:
                shutil.rmtree(out_dir, ignore_errors=True)
            want = self.run(args + reference_inputs + filters, out_dir)
            if out_dir:
                shutil.rmtree(out_dir, ignore_errors=True)
            got = self.run(args + inputs + filters, out_dir)
            self.checked += 1
            if want != got:
                print(f"FAIL {label}: {name} {' '.join(filters)}: exit {want[0]} vs {got[0]}", file=sys.stderr)
                for path, data in (("want", want[1]), ("got", got[1])):
                    with open(os.path.join(self.work, path), "wb") as f:
                        f.write(data)
                print(f"  outputs in {self.work}/want and {self.work}/got", file=sys.stderr)
                sys.exit(1)

    def summarize(self, files, filters, out):
        code, stdout, _ = self.run(["summarize"] + files + ["--output", out] + filters)
        if code not in (0, 3):
            print(f"FAIL summarize exit {code}: {stdout.decode()}", file=sys.stderr)
            sys.exit(1)


def shardings(case, name, files, filter_sets, policy, shard_counts):
    for shards in shard_counts:
        for filters in filter_sets if shards < 50 else filter_sets[:1]:
            groups = [[] for _ in range(shards)]
            for f in files:
                groups[case.rng.randrange(shards)].append(f)
            inputs = []
            for i, group in enumerate(groups):
                if not group:
                    continue
                case.rng.shuffle(group)
                if shards > 1 and case.rng.random() < 0.25:
                    inputs += group  # this shard's trail files themselves, mixed with the summaries
                    continue
                out = os.path.join(case.work, f"shard-{i}.summary.gz")
                if os.path.exists(out):
                    os.remove(out)
                case.summarize(group, filters, out)
                inputs.append(out)
            case.rng.shuffle(inputs)
            case.compare(f"{name}, {shards} shards", files, inputs, filters, policy)
            for entry in os.listdir(case.work):
                if entry.startswith("shard-"):
                    os.remove(os.path.join(case.work, entry))
        print(f"{name}: {shards} shards: identical", file=sys.stderr)


def cache(case, name, files, filters, policy):
    """Cold, warm, after changes, after a killed run: each as without the cache."""
    folder = os.path.join(case.work, "cache")
    shutil.rmtree(folder, ignore_errors=True)
    copies = os.path.join(case.work, "copies")
    shutil.rmtree(copies, ignore_errors=True)
    # Copies, so that some can change: a nightly run sees new and rewritten files.
    local = []
    for f in files:
        target = os.path.join(copies, f)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, f), target)
        local.append(os.path.relpath(target, ROOT))
    with_cache = ["--cache", folder]
    case.compare(f"{name}, cold cache", local, local + with_cache, filters, policy)
    case.compare(f"{name}, warm cache", local, local + with_cache, filters, policy)
    timed = "--since" in filters
    # Files that fail are never cached: they are read again each time.
    scan = subprocess.run([case.binary, "scan", *local, *filters, "--format", "json", "--quiet"], cwd=ROOT,
                          capture_output=True, text=True)
    failed = {f["path"] for f in json.loads(scan.stdout)["files"]["failed"]}
    expect_cache_use(case, local + with_cache + filters, None if timed else (len(local) - len(failed), len(failed)))
    changed = case.rng.sample(local, max(1, len(local) // 20))
    for f in changed:  # the same content, a new modification time: the key changes
        os.utime(os.path.join(ROOT, f), ns=(1, case.rng.randint(10**18, 2 * 10**18)))
    reread = len(failed | set(changed))
    expect_cache_use(case, local + with_cache + filters, None if timed else (len(local) - reread, reread))
    for f in changed:
        os.utime(os.path.join(ROOT, f), ns=(1, case.rng.randint(10**18, 2 * 10**18)))
    case.compare(f"{name}, changed files", local, local + with_cache, filters, policy)
    # A killed run: a half-written temporary file, and an entry cut short, are never trusted.
    entries = [os.path.join(d, n) for d, _, ns in os.walk(folder) for n in ns if n.endswith(".summary.gz")]
    for victim in case.rng.sample(entries, max(1, len(entries) // 10)):
        with open(victim, "r+b") as f:
            f.truncate(os.path.getsize(victim) // 2)
    with open(os.path.join(folder, ".tmp-killed"), "wb") as f:
        f.write(b"\x1f\x8b")
    case.compare(f"{name}, damaged cache", local, local + with_cache, filters, policy)
    print(f"{name}: cache cold, warm, changed, damaged: identical", file=sys.stderr)


def expect_cache_use(case, args, want):
    """The warm run reads its files from the cache: `want` is (from the cache, read), None for just some."""
    p = subprocess.run([case.binary, "scan"] + args, cwd=ROOT, capture_output=True, text=True)
    line = [l for l in p.stderr.splitlines() if l.startswith("tighten: cache: ")]
    words = line[0].split() if line else []
    got = (int(words[2]), int(words[7])) if len(words) > 7 else None
    if got is None or (want is not None and got != want) or (want is None and got[0] == 0):
        print(f"FAIL cache use: {line} (want {want})", file=sys.stderr)
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("corpus")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="tighten-summaries-")
    case = Case(os.path.abspath(args.binary), work, random.Random(args.seed))
    samples = trail_files(os.path.join(ROOT, "SampleTrails/trails"), os.path.join(ROOT, "Tests/TightenCoreTests/Fixtures/trails"))
    exec_role = "arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"
    sample_filters = [[], ["--principal", exec_role], ["--region", "us-east-1"], ["--since", "2026-11-21", "--until", "2026-11-22"]]
    policy = "SampleTrails/policies/deploy-declared.json"
    shardings(case, "samples", samples, sample_filters, policy, [1, 2, 7, 50])
    cache(case, "samples", samples, ["--principal", exec_role], policy)
    cache(case, "samples", samples, ["--since", "2026-11-21T12:00:00Z"], policy)
    corpus = trail_files(args.corpus)
    role = "arn:aws:iam::111122223333:role/orders-api-prod"
    corpus_filters = [[], ["--principal", role], ["--region", "eu-west-1"]]
    bench_policy = "Scripts/bench-policies/application.json"
    shardings(case, "generated corpus", corpus, corpus_filters, bench_policy, [1, 2, 7, 50])
    cache(case, "generated corpus", corpus, ["--principal", role], bench_policy)
    print(f"summaries: {case.checked} comparisons, all identical", file=sys.stderr)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
