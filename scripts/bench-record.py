#!/usr/bin/env python3
"""How much does `whymiss record` add to a build, how fast is `whymiss why`, how fast does the
history grow?

  scripts/bench-record.py                    # everything, writes docs/bench-record.md
  scripts/bench-record.py --warm-runs 12     # rounds of the warm comparison (default 10)
  scripts/bench-record.py --cold-runs 3      # rounds of the cold comparison (default 3; 0 skips it)
  scripts/bench-record.py --only lab         # one corpus: lab or cmd-go (implies --no-doc)
  scripts/bench-record.py --records 100      # records in the history `why` reads (default 100)
  scripts/bench-record.py --no-doc           # print only, leave docs/bench-record.md alone

The targets (issue 14): `whymiss record` adds at most 5 % wall time to a warm build and 3 % to a
cold one, of corpus/modules/lab (`go build ./...`) and of the Go distribution's cmd/go
(`go build -o /dev/null cmd/go`, from an empty scratch module); `whymiss why` answers in at most
1 s with 100 records of a cmd/go-sized build in the history; the history grows by at most 10 %
of one log per unchanged rebuild.

What is timed, per corpus, with .toolchains/bin/go1.27.3 and a release build of whymiss
(`cargo build --release`, which the script runs):

  plain    go build ARGS                                   (GOCACHE = the bench's own cache)
  record   whymiss record --go GO --history H -- build ARGS (same cache, same history each round)

interleaved round by round (plain then record, or record then plain, alternating) after one
untimed warm-up of each; warm = the cache already holds every key; cold = a new empty GOCACHE for
each run (so the standard library is compiled too). Wall time, and CPU time (user + sys of the
whole process tree, from the children's rusage). Every command runs with GOENV=off,
GOTOOLCHAIN=local, GOFLAGS and GODEBUG unset. Medians with [min-max]; "paired" is the median of
the per-round ratios (the two commands back to back, under about the same load). The load
average before and after is printed: on a shared machine the spread says more than the median.

`why`: a history holding one cold record of cmd/go, then unchanged warm records up to --records -
1, then one record with -gcflags=-N on cmd/go's own packages (about 100 recompile: the keys
changed); `whymiss why` of that last record is timed (text to /dev/null), 7 times. The history's
size is read after the first warm record and after the last unchanged one: growth per unchanged
rebuild, next to the size of one gocachehash log of the same build (`GODEBUG=gocachehash=1`, with
and without the module index lines, `goindex=0`).
"""

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GO_VERSION = "1.27.3"
DOC = os.path.join(ROOT, "docs", "bench-record.md")
BEGIN = "<!-- bench-record:begin (written by scripts/bench-record.py; edit outside these markers) -->"
END = "<!-- bench-record:end -->"


def die(msg):
    print(f"bench-record: {msg}", file=sys.stderr)
    sys.exit(2)


def base_env(gocache):
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith("GO") or k.startswith("CGO_") or k in ("CC", "CXX"))}
    env.update(GOENV="off", GOTOOLCHAIN="local", GOCACHE=gocache, NO_COLOR="1")
    env.pop("WHYMISS_HISTORY", None)
    return env


def timed(cmd, cwd, env, quiet=True, ok=(0,)):
    """Wall and CPU seconds of one command (its whole process tree); an exit status outside
    `ok` stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env=env,
                       stdout=subprocess.DEVNULL if quiet else None,
                       stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode not in ok:
        die(f"{' '.join(cmd)} failed (exit {r.returncode}) in {cwd}:\n{r.stderr.decode(errors='replace')[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def med(xs):
    return statistics.median(xs)


def span(xs):
    return f"{med(xs):.2f} s [{min(xs):.2f}-{max(xs):.2f}]"


def pct(x):
    return f"{(x - 1) * 100:+.1f} %"


class Corpus:
    def __init__(self, name, scratch, go):
        self.name = name
        self.go = go
        if name == "lab":
            self.dir = os.path.join(scratch, "lab")
            shutil.copytree(os.path.join(ROOT, "corpus/modules/lab"), self.dir)
            self.args = ["build", "./..."]
        else:
            self.dir = os.path.join(scratch, "cmdgo")
            os.makedirs(self.dir)
            with open(os.path.join(self.dir, "go.mod"), "w") as f:
                f.write("module scratch\n\ngo 1.21\n")
            self.args = ["build", "-o", "/dev/null", "cmd/go"]

    def plain(self):
        return [self.go] + self.args

    def record(self, whymiss, history):
        return [whymiss, "record", "-q", "--go", self.go, "--history", history, "--"] + self.args


def compare_runs(corpus, whymiss, scratch, rounds, cold):
    """Interleaved rounds of plain and record; returns lists of (wall, cpu)."""
    history = os.path.join(scratch, f"{corpus.name}-{'cold' if cold else 'warm'}.sqlite")
    warm_cache = os.path.join(scratch, f"gocache-{corpus.name}")
    plain, rec = [], []
    if not cold:
        env = base_env(warm_cache)
        timed(corpus.plain(), corpus.dir, env)
        timed(corpus.record(whymiss, history), corpus.dir, env)
    for i in range(rounds):
        order = [("plain", corpus.plain()), ("record", corpus.record(whymiss, history))]
        if i % 2:
            order.reverse()
        for kind, cmd in order:
            if cold:
                cache = tempfile.mkdtemp(prefix="gocache-cold-", dir=scratch)
                env = base_env(cache)
            else:
                env = base_env(warm_cache)
            w, c = timed(cmd, corpus.dir, env)
            (plain if kind == "plain" else rec).append((w, c))
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
        print(f"  {corpus.name} {'cold' if cold else 'warm'} round {i + 1}: "
              f"plain {plain[-1][0]:.2f} s, record {rec[-1][0]:.2f} s (load {load()})", flush=True)
    return plain, rec


def row(corpus, state, plain, rec, target):
    pw, rw = [p[0] for p in plain], [r[0] for r in rec]
    pc, rc = [p[1] for p in plain], [r[1] for r in rec]
    ratio = med(rw) / med(pw)
    paired = med([r / p for r, p in zip(rw, pw)])
    cpu_ratio = med(rc) / med(pc)
    met = "met" if min(ratio, paired) <= 1 + target else "**missed**"
    return (f"| {corpus} | {state} | {len(pw)} | {span(pw)} | {span(rw)} | {pct(ratio)} "
            f"(paired {pct(paired)}) | {med(pc):.2f} s → {med(rc):.2f} s ({pct(cpu_ratio)}) "
            f"| ≤ +{target * 100:.0f} %: {met} |")


def history_size(path):
    out = subprocess.run(["python3", "-c", f"""
import sqlite3
c = sqlite3.connect({path!r})
print(c.execute('PRAGMA page_count').fetchone()[0] * c.execute('PRAGMA page_size').fetchone()[0]
      - c.execute('PRAGMA freelist_count').fetchone()[0] * c.execute('PRAGMA page_size').fetchone()[0])
"""], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def log_sizes(corpus, scratch):
    env = base_env(os.path.join(scratch, f"gocache-{corpus.name}"))
    sizes = {}
    for godebug in ("gocachehash=1", "gocachehash=1,goindex=0"):
        e = dict(env, GODEBUG=godebug)
        r = subprocess.run(corpus.plain(), cwd=corpus.dir, env=e, capture_output=True)
        sizes[godebug] = len(r.stderr)
    return sizes


def why_bench(whymiss, scratch, records, go):
    d = os.path.join(scratch, "why")
    os.makedirs(d)
    corpus = Corpus("cmd-go", d, go)
    history = os.path.join(d, "history.sqlite")
    cache = os.path.join(scratch, "gocache-cmd-go")
    env = base_env(cache)
    timed(corpus.record(whymiss, history), corpus.dir, env)  # the first: inputs of every key
    first_size = None
    t0 = time.time()
    for i in range(records - 2):
        timed(corpus.record(whymiss, history), corpus.dir, env)
        if i == 0:
            first_size = history_size(history)
        if (i + 1) % 20 == 0:
            print(f"  history: {i + 2} records ({time.time() - t0:.0f} s)", flush=True)
    unchanged = records - 3
    last_size = history_size(history)
    growth = (last_size - first_size) / max(unchanged, 1)
    env_n = dict(env, GOFLAGS="-gcflags=cmd/go/...=-N")
    timed(corpus.record(whymiss, history), corpus.dir, env_n)
    times = []
    for _ in range(7):
        # Exit 1: something ran because its key changed (the -gcflags record), as intended.
        w, _ = timed([whymiss, "why", "--history", history, "-C", corpus.dir], corpus.dir, env,
                     ok=(0, 1))
        times.append(w)
    r = subprocess.run([whymiss, "why", "--history", history, "-C", corpus.dir, "--format", "json"],
                       cwd=corpus.dir, env=env, capture_output=True)
    v = json.loads(r.stdout)
    return times, growth, first_size, last_size, unchanged, v["summary"], corpus


def main():
    ap = argparse.ArgumentParser(add_help=True)
    ap.add_argument("--warm-runs", type=int, default=10)
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--records", type=int, default=100)
    ap.add_argument("--only", choices=["lab", "cmd-go"])
    ap.add_argument("--no-doc", action="store_true")
    a = ap.parse_args()
    write_doc = not a.no_doc and a.only is None
    go = os.path.join(ROOT, ".toolchains", "bin", f"go{GO_VERSION}")
    if not os.access(go, os.X_OK):
        die(f"{go} is missing: run scripts/install-go.sh")
    print("building whymiss (release)…", flush=True)
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    whymiss = os.path.join(ROOT, "target", "release", "whymiss")
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                         text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    load_before = load()
    started = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())
    scratch = tempfile.mkdtemp(prefix="whymiss-bench-record-")
    rows, notes = [], []
    try:
        for name in ["lab", "cmd-go"]:
            if a.only and a.only != name:
                continue
            corpus = Corpus(name, scratch, go)
            print(f"{name}: warm", flush=True)
            p, r = compare_runs(corpus, whymiss, scratch, a.warm_runs, cold=False)
            rows.append(row(name, "warm", p, r, 0.05))
            if a.cold_runs > 0:
                runs = a.cold_runs if name == "lab" else max(1, a.cold_runs - 1)
                print(f"{name}: cold", flush=True)
                p, r = compare_runs(corpus, whymiss, scratch, runs, cold=True)
                rows.append(row(name, "cold", p, r, 0.03))
        why = None
        if a.only in (None, "cmd-go") and a.records >= 3:
            print(f"why: filling a history with {a.records} records of cmd/go", flush=True)
            why = why_bench(whymiss, scratch, a.records, go)
            sizes = log_sizes(why[6], scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    load_after = load()
    out = [
        f"Measured {started} by `scripts/bench-record.py --warm-runs {a.warm_runs} --cold-runs "
        f"{a.cold_runs} --records {a.records}`: whymiss {rev}{' (uncommitted changes)' if dirty else ''} "
        f"(release build), go{GO_VERSION}, {os.cpu_count()} cores, load average {load_before} before "
        f"and {load_after} after.",
        "",
        "| corpus | cache | rounds | `go build` wall | `whymiss record` wall | wall added (median ratio; paired) "
        "| CPU (process tree) | target |",
        "|---|---|---:|---|---|---|---|---|",
    ] + rows
    if why:
        times, growth, first, last, unchanged, summary, _ = why
        worst = max(times)
        out += [
            "",
            f"`whymiss why` of a cmd/go record with {summary['ran']} of {summary['actions']} actions "
            f"run ({summary['key_changed']} with a changed key), {a.records} records in the "
            f"history: {span(times)} over 7 runs (target ≤ 1 s: "
            f"{'met' if worst <= 1 else '**missed**'}).",
            "",
            f"History growth per unchanged cmd/go rebuild: {growth / 1000:.1f} KB "
            f"({(last - first) / 1000:.0f} KB over {unchanged} records; {last / 1e6:.2f} MB in all); "
            f"one gocachehash log of the same build is {sizes['gocachehash=1'] / 1e6:.2f} MB "
            f"({growth / sizes['gocachehash=1'] * 100:.2f} %), "
            f"{sizes['gocachehash=1,goindex=0'] / 1e6:.2f} MB without module-index lines "
            f"({growth / sizes['gocachehash=1,goindex=0'] * 100:.2f} %); target ≤ 10 %: "
            f"{'met' if growth <= 0.1 * sizes['gocachehash=1,goindex=0'] else '**missed**'}.",
        ]
    text = "\n".join(out)
    print()
    print(text)
    if write_doc:
        doc = open(DOC).read()
        i, j = doc.index(BEGIN) + len(BEGIN), doc.index(END)
        open(DOC, "w").write(doc[:i] + "\n" + text + "\n" + doc[j:])
        print(f"\nwrote {os.path.relpath(DOC, ROOT)}")


if __name__ == "__main__":
    main()
