#!/usr/bin/env python3
"""Write a large, realistic Go module for whymiss's dry-mode benchmarks (issue 12).

    scripts/gen-module.py                                  # 1,000 packages, 4 cgo, seed 1
    scripts/gen-module.py --packages 2000 --cgo 6 --seed 7 --out bench-data/big-module

The module (`example.com/genmod`, `go 1.21`, standard library only) is what a mid-sized service
repository looks like to the go command:

* N library packages under internal/<area>/<name>/, in layers: a package of layer L imports one
  package of layer L-1 (so the import graph is as deep as there are layers, about 0.8*sqrt(N))
  and up to three more from lower layers, mostly nearby ones. Dependencies are used for real:
  their types appear in struct fields and their functions are called.
* Each package has several files: a doc comment, a struct with methods, generic types and
  functions (a set, a queue, Map/Reduce/Sum over a type-set constraint), an enum with a String
  method, helpers using standard packages (fmt, strings, sort, strconv, errors, bytes, sync, time,
  slices, math, unicode, hash/fnv, crypto/sha256 + encoding/hex, encoding/json, net/http, regexp,
  bufio + io, context: each package uses a few), and tests (an internal test file with table
  tests, an external example test in some).
* K cgo packages in low layers (so most of the module depends on them): a //go:build cgo file
  with a C preamble, a .c and a .h file, and a //go:build !cgo fallback with the same API, so the
  module also builds with CGO_ENABLED=0. The first one includes its header through
  `#cgo CFLAGS: -I${SRCDIR}/include` (an absolute path in the cache key, even with -trimpath).
* About one package in twenty embeds files (//go:embed, a string and an embed.FS).
* Three commands under cmd/ import the top layers; cmd/genctl has `var version = "dev"` for
  `-ldflags=-X=main.version=...`.

It builds and vets cleanly with go1.21 through go1.27, with cgo on and off. The output is a
function of the arguments only (same arguments, same bytes; checked with Python 3.11). The default output folder, bench-data/,
is git-ignored. An existing output folder is replaced only if this script wrote it (it holds a
GENERATED marker file); anything else is refused.

Standard library only (python3 >= 3.8).
"""

import argparse
import math
import os
import random
import shutil
import sys

MODULE = "example.com/genmod"
MARKER = "GENERATED"

AREAS = [
    "account", "audit", "billing", "catalog", "checkout", "config", "delivery", "discovery",
    "events", "fleet", "gateway", "identity", "index", "inventory", "ledger", "media", "metrics",
    "notify", "orders", "payments", "pricing", "profile", "queue", "ranking", "reports", "search",
    "session", "shipping", "storage", "tenant", "trace", "workflow",
]
NOUNS = [
    "adapter", "agent", "batch", "bucket", "budget", "cache", "cursor", "digest", "draft", "entry",
    "filter", "format", "graph", "guard", "handle", "health", "hint", "intent", "journal", "key",
    "lease", "limit", "lookup", "mapper", "marker", "merge", "model", "notice", "offset", "outbox",
    "parcel", "patch", "plan", "policy", "pool", "probe", "quota", "range", "record", "region",
    "relay", "replica", "rollup", "route", "rule", "sample", "schema", "scope", "shard", "signal",
    "slot", "snapshot", "source", "span", "stage", "state", "stream", "table", "task", "ticket",
    "token", "tracker", "view", "vote", "window", "worker",
]
WORDS = [
    "alpha", "amber", "basil", "cedar", "delta", "ember", "fable", "glade", "harbor", "iris",
    "juniper", "kestrel", "lumen", "maple", "nectar", "onyx", "pebble", "quartz", "raven",
    "sable", "tundra", "umber", "velvet", "willow", "yarrow", "zephyr",
]


def go_string(s):
    """A Go interpreted string literal for plain ASCII text."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------------------------------
# Standard-library snippets: (imports, code). Each uses all of its imports; `{p}` is the package
# name, `{T}` the package's main struct type, `{n}` a per-package number.

STD_SNIPPETS = {
    "fmt": (["fmt"], '''
// Describe formats r for logs.
func Describe(r *{T}) string {{
	return fmt.Sprintf("{p}:%s#%d(%.2f)", r.Name, r.ID, r.Score)
}}
'''),
    "strings": (["strings"], '''
// Normalize lower-cases s, trims it and collapses inner runs of spaces.
func Normalize(s string) string {{
	fields := strings.Fields(strings.ToLower(strings.TrimSpace(s)))
	return strings.Join(fields, " ")
}}

// HasPrefixFold reports whether s starts with prefix, ignoring case.
func HasPrefixFold(s, prefix string) bool {{
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}}
'''),
    "sort": (["sort"], '''
// SortedKeys returns the keys of m in increasing order.
func SortedKeys(m map[string]int) []string {{
	keys := make([]string, 0, len(m))
	for k := range m {{
		keys = append(keys, k)
	}}
	sort.Strings(keys)
	return keys
}}
'''),
    "strconv": (["strconv"], '''
// ParseID parses a decimal identifier, returning -1 when s is not one.
func ParseID(s string) int {{
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {{
		return -1
	}}
	return n
}}

// FormatID formats id the way ParseID reads it.
func FormatID(id int) string {{ return strconv.Itoa(id) }}
'''),
    "errors": (["errors"], '''
// ErrEmpty is returned for empty input.
var ErrEmpty = errors.New("{p}: empty input")

// Validate checks r's required fields.
func Validate(r *{T}) error {{
	if r == nil || r.Name == "" {{
		return ErrEmpty
	}}
	if r.ID < 0 {{
		return errors.Join(ErrEmpty, errors.New("{p}: negative id"))
	}}
	return nil
}}
'''),
    "bytes": (["bytes"], '''
// Join concatenates parts with sep into one buffer.
func Join(sep byte, parts ...string) []byte {{
	var buf bytes.Buffer
	for i, p := range parts {{
		if i > 0 {{
			buf.WriteByte(sep)
		}}
		buf.WriteString(p)
	}}
	return buf.Bytes()
}}
'''),
    "sync": (["sync"], '''
// Counter is a concurrency-safe tally.
type Counter struct {{
	mu sync.Mutex
	n  map[string]int
}}

// Inc adds one to key and returns the new count.
func (c *Counter) Inc(key string) int {{
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {{
		c.n = make(map[string]int)
	}}
	c.n[key]++
	return c.n[key]
}}
'''),
    "time": (["time"], '''
// Backoff returns the delay before retry attempt n (capped at max).
func Backoff(n int, base, max time.Duration) time.Duration {{
	d := base
	for i := 0; i < n && d < max; i++ {{
		d *= 2
	}}
	if d > max {{
		return max
	}}
	return d
}}
'''),
    "slices": (["slices"], '''
// TopScores returns the n highest scores, highest first.
func TopScores(items []*{T}, n int) []float64 {{
	scores := make([]float64, 0, len(items))
	for _, it := range items {{
		scores = append(scores, it.Score)
	}}
	slices.Sort(scores)
	slices.Reverse(scores)
	if len(scores) > n {{
		scores = scores[:n]
	}}
	return scores
}}
'''),
    "math": (["math"], '''
// Distance is the Euclidean distance between (x1, y1) and (x2, y2).
func Distance(x1, y1, x2, y2 float64) float64 {{
	return math.Hypot(x2-x1, y2-y1)
}}

// RoundTo rounds v to the given number of decimals.
func RoundTo(v float64, decimals int) float64 {{
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}}
'''),
    "unicode": (["unicode"], '''
// IsIdent reports whether s is a simple identifier.
func IsIdent(s string) bool {{
	if s == "" {{
		return false
	}}
	for i, r := range s {{
		if !unicode.IsLetter(r) && r != '_' && (i == 0 || !unicode.IsDigit(r)) {{
			return false
		}}
	}}
	return true
}}
'''),
    "fnv": (["hash/fnv"], '''
// Bucket maps key to one of n buckets.
func Bucket(key string, n int) int {{
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}}
'''),
    "sha256": (["crypto/sha256", "encoding/hex"], '''
// Fingerprint is the hex SHA-256 of the record's name and id.
func Fingerprint(r *{T}) string {{
	sum := sha256.Sum256([]byte(r.Name + "/" + string(rune('A'+r.ID%26))))
	return hex.EncodeToString(sum[:8])
}}
'''),
    "json": (["encoding/json"], '''
// wire is the JSON form of {T}.
type wire struct {{
	ID    int      `json:"id"`
	Name  string   `json:"name"`
	Tags  []string `json:"tags,omitempty"`
	Score float64  `json:"score"`
}}

// Encode returns r as JSON.
func Encode(r *{T}) ([]byte, error) {{
	return json.Marshal(wire{{ID: r.ID, Name: r.Name, Tags: r.Tags, Score: r.Score}})
}}

// Decode reads a {T} written by Encode.
func Decode(data []byte) (*{T}, error) {{
	var w wire
	if err := json.Unmarshal(data, &w); err != nil {{
		return nil, err
	}}
	r := New{T}(w.ID, w.Name)
	r.Tags = w.Tags
	r.Score = w.Score
	return r, nil
}}
'''),
    "http": (["net/http"], '''
// Handler serves the package's status under prefix.
func Handler(prefix string) http.Handler {{
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {{
		if req.Method != http.MethodGet {{
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(prefix + req.URL.Path))
	}})
}}
'''),
    "regexp": (["regexp"], '''
var tokenPattern = regexp.MustCompile(`^[a-z]+-[0-9]{{{n}}}$`)

// IsToken reports whether s looks like one of this package's tokens.
func IsToken(s string) bool {{ return tokenPattern.MatchString(s) }}
'''),
    "bufio": (["bufio", "io"], '''
// CountLines counts the lines r yields.
func CountLines(r io.Reader) (int, error) {{
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {{
		n++
	}}
	return n, sc.Err()
}}
'''),
    "context": (["context", "time"], '''
// WithBudget returns a context that ends after ms milliseconds.
func WithBudget(parent context.Context, ms int) (context.Context, context.CancelFunc) {{
	return context.WithTimeout(parent, time.Duration(ms)*time.Millisecond)
}}
'''),
}

# How often each snippet is picked (net/http and encoding/json are heavier: "some" packages).
STD_WEIGHTS = {
    "fmt": 6, "strings": 8, "sort": 5, "strconv": 5, "errors": 5, "bytes": 3, "sync": 3,
    "time": 3, "slices": 3, "math": 3, "unicode": 2, "fnv": 2, "sha256": 2, "json": 2,
    "http": 1, "regexp": 1, "bufio": 2, "context": 1,
}


class Package:
    def __init__(self, index, layer, area, name):
        self.index = index
        self.layer = layer
        self.area = area
        self.name = name
        self.path = f"internal/{area}/{name}"
        self.deps = []       # Package objects
        self.std = []        # snippet keys
        self.cgo = None      # None, "srcdir" or "plain"
        self.embed = False
        self.example = False
        self.type = name[0].upper() + name[1:].rstrip("0123456789") + "Record"
        self.weight = 0

    @property
    def import_path(self):
        return f"{MODULE}/{self.path}"


def plan(args):
    rng = random.Random(args.seed)
    n = args.packages
    layers = max(4, round(0.8 * math.sqrt(n)))
    per_layer = [n // layers + (1 if i < n % layers else 0) for i in range(layers)]
    used = set()
    pkgs = []
    # Names are <noun><number>; keep the space of names well above N so the loop ends quickly.
    top = 1000 if n <= 8000 else 8 * n // len(NOUNS)
    for layer, count in enumerate(per_layer):
        for _ in range(count):
            while True:
                area = rng.choice(AREAS)
                name = f"{rng.choice(NOUNS)}{rng.randrange(1, top)}"
                if name not in used:
                    break
            used.add(name)
            p = Package(len(pkgs), layer, area, name)
            p.weight = rng.randrange(3, 97)
            pkgs.append(p)
    by_layer = [[p for p in pkgs if p.layer == i] for i in range(layers)]

    # cgo packages: low in the graph (layers 1..3), so most of the module depends on them;
    # other layers only when those run out.
    low = [p for p in pkgs if 1 <= p.layer <= 3]
    chosen = rng.sample(low, min(args.cgo, len(low)))
    if len(chosen) < args.cgo:
        rest = [p for p in pkgs if not 1 <= p.layer <= 3]
        chosen += random.Random(f"{args.seed}/cgo").sample(rest, args.cgo - len(chosen))
    for i, p in enumerate(chosen):
        p.cgo = "srcdir" if i == 0 else "plain"

    keys = list(STD_WEIGHTS)
    weights = [STD_WEIGHTS[k] for k in keys]
    for p in pkgs:
        if p.layer > 0:
            deps = {rng.choice(by_layer[p.layer - 1]).index}
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
                # Mostly nearby layers, sometimes far down.
                lo = max(0, p.layer - 4) if rng.random() < 0.8 else 0
                layer = rng.randrange(lo, p.layer)
                deps.add(rng.choice(by_layer[layer]).index)
            p.deps = [pkgs[i] for i in sorted(deps)]
        std = set()
        while len(std) < rng.randrange(2, 6):
            std.add(rng.choices(keys, weights)[0])
        p.std = sorted(std)
        p.embed = rng.random() < 0.05
        p.example = rng.random() < 0.3
    # Every cgo package has an importer (when there is a layer above it).
    for p in pkgs:
        if p.cgo and p.layer + 1 < layers and not any(p in q.deps for q in pkgs):
            q = rng.choice(by_layer[p.layer + 1])
            q.deps = sorted(set(q.deps) | {p}, key=lambda d: d.index)
    return pkgs, by_layer, rng


def header(p):
    return f"package {p.name}\n"


def imports_block(paths):
    if not paths:
        return ""
    std = sorted(x for x in paths if not x.startswith(MODULE))
    own = sorted(x for x in paths if x.startswith(MODULE))
    lines = ["import ("]
    lines += [f'\t"{x}"' for x in std]
    if std and own:
        lines.append("")
    lines += [f'\t"{x}"' for x in own]
    lines.append(")")
    return "\n".join(lines) + "\n"


def file_doc(p, rng):
    verb = rng.choice(["tracks", "computes", "validates", "indexes", "aggregates", "routes"])
    what = rng.choice(NOUNS)
    return (
        f"// Package {p.name} {verb} {what} data for the {p.area} service.\n"
        f"//\n"
        f"// It is generated by scripts/gen-module.py (layer {p.layer}); the code is realistic in\n"
        f"// shape, not in purpose.\n"
        + header(p)
    )


def file_types(p, rng):
    """The package's record type, its methods, an enum, and the dependency-carrying bundle."""
    T = p.type
    fields = []
    for i, d in enumerate(p.deps[:3]):
        fields.append(f"\tdep{i} *{d.name}.{d.type}")
    dep_fields = ("\n\n\t// The records this one builds on (see Wrap).\n" + "\n".join(fields)
                  if fields else "")
    imports = imports_block([d.import_path for d in p.deps])
    imports = imports + "\n" if imports else ""
    calls = []
    for i, d in enumerate(p.deps):
        calls.append(f"\tacc = acc*31 + {d.name}.Hash(key+{go_string(str(i))})")
        calls.append(f"\tacc ^= uint32({d.name}.Weight)")
    wrapped = p.deps[:3]
    wrap_params = ", ".join(f"d{i} *{d.name}.{d.type}" for i, d in enumerate(wrapped))
    wrap_sets = "\n".join(f"\tr.dep{i} = d{i}" for i in range(len(wrapped)))
    dep_score = "".join(
        f"\n\tif r.dep{i} != nil {{\n\t\tt += r.dep{i}.Depth()\n\t}}" for i in range(len(wrapped)))
    wrap = f"""
// Wrap attaches the records this one builds on.
func (r *{T}) Wrap({wrap_params}) {{
{wrap_sets}
}}
""" if wrapped else ""
    states = rng.sample(["Idle", "Queued", "Running", "Paused", "Done", "Failed", "Retrying",
                         "Draining", "Archived"], rng.randrange(3, 7))
    state_type = T.replace("Record", "State")
    enum_consts = "\n".join(
        f"\t{state_type}{s}" + (f" {state_type} = iota" if i == 0 else "")
        for i, s in enumerate(states))
    enum_cases = "\n".join(
        f"\tcase {state_type}{s}:\n\t\treturn {go_string(s.lower())}" for s in states)
    src = f"""{header(p)}
{imports}// Weight is this package's contribution to the hashes of packages that import it.
const Weight = {p.weight}

// {T} is one {p.area} entry.
type {T} struct {{
	ID    int
	Name  string
	Tags  []string
	Score float64
	State {state_type}
	parts map[string]int{dep_fields}
}}

// New{T} returns an empty {T}.
func New{T}(id int, name string) *{T} {{
	return &{T}{{ID: id, Name: name, parts: make(map[string]int)}}
}}
{wrap}
// Add records n units under key.
func (r *{T}) Add(key string, n int) {{
	if r.parts == nil {{
		r.parts = make(map[string]int)
	}}
	r.parts[key] += n
	r.Score += float64(n) / float64(len(key)+1)
}}

// Total is the sum of every key's units.
func (r *{T}) Total() int {{
	t := 0
	for _, v := range r.parts {{
		t += v
	}}
	return t
}}

// Depth is the total of this record and the records it wraps.
func (r *{T}) Depth() int {{
	t := r.Total(){dep_score}
	return t
}}

// Tag adds a tag once.
func (r *{T}) Tag(t string) {{
	for _, have := range r.Tags {{
		if have == t {{
			return
		}}
	}}
	r.Tags = append(r.Tags, t)
}}

// {state_type} is where a {T} is in its life cycle.
type {state_type} int

// The states of a {T}.
const (
{enum_consts}
)

// String names the state.
func (s {state_type}) String() string {{
	switch s {{
{enum_cases}
	}}
	return "unknown"
}}

// Hash mixes key with this package's dependencies' weights and hashes.
func Hash(key string) uint32 {{
	acc := uint32({p.weight})
	for i := 0; i < len(key); i++ {{
		acc = acc*16777619 ^ uint32(key[i])
	}}
{chr(10).join(calls)}
	return acc
}}
"""
    return src


def file_generic(p, rng):
    n = p.index
    extra = []
    for i in range(rng.randrange(3, 9)):
        kind = rng.randrange(4)
        if kind == 0:
            extra.append(f"""
// Clamp{i} limits v to [lo, hi].
func Clamp{i}[T int | int64 | float64](v, lo, hi T) T {{
	return max(lo, min(v, hi))
}}
""")
        elif kind == 1:
            extra.append(f"""
// Filter{i} keeps the elements for which keep is true.
func Filter{i}[T any](xs []T, keep func(T) bool) []T {{
	var out []T
	for _, x := range xs {{
		if keep(x) {{
			out = append(out, x)
		}}
	}}
	return out
}}
""")
        elif kind == 2:
            extra.append(f"""
// Mix{i} is a small integer mixer.
func Mix{i}(a, b int) int {{
	x := a*{n % 89 + 3} + b*{i + 7}
	if x < 0 {{
		x = -x
	}}
	return x % {1000 + n}
}}
""")
        else:
            extra.append(f"""
// Window{i} returns the sums of every window of size w.
func Window{i}(xs []int, w int) []int {{
	if w <= 0 || w > len(xs) {{
		return nil
	}}
	out := make([]int, 0, len(xs)-w+1)
	s := 0
	for i, x := range xs {{
		s += x
		if i >= w {{
			s -= xs[i-w]
		}}
		if i >= w-1 {{
			out = append(out, s)
		}}
	}}
	return out
}}
""")
    return f"""{header(p)}
// Number is any value Sum can add.
type Number interface {{
	~int | ~int32 | ~int64 | ~float32 | ~float64
}}

// Sum adds xs.
func Sum[T Number](xs ...T) T {{
	var s T
	for _, x := range xs {{
		s += x
	}}
	return s
}}

// Map applies f to every element.
func Map[T, U any](xs []T, f func(T) U) []U {{
	out := make([]U, len(xs))
	for i, x := range xs {{
		out[i] = f(x)
	}}
	return out
}}

// Reduce folds xs into acc.
func Reduce[T, A any](xs []T, acc A, f func(A, T) A) A {{
	for _, x := range xs {{
		acc = f(acc, x)
	}}
	return acc
}}

// Set is a set of comparable values.
type Set[T comparable] struct {{
	m map[T]struct{{}}
}}

// NewSet returns a set holding items.
func NewSet[T comparable](items ...T) *Set[T] {{
	s := &Set[T]{{m: make(map[T]struct{{}}, len(items))}}
	for _, it := range items {{
		s.m[it] = struct{{}}{{}}
	}}
	return s
}}

// Add inserts v.
func (s *Set[T]) Add(v T) {{ s.m[v] = struct{{}}{{}} }}

// Has reports whether v is in the set.
func (s *Set[T]) Has(v T) bool {{
	_, ok := s.m[v]
	return ok
}}

// Len is the number of elements.
func (s *Set[T]) Len() int {{ return len(s.m) }}

// Queue is a FIFO queue.
type Queue[T any] struct {{
	items []T
}}

// Push appends v.
func (q *Queue[T]) Push(v T) {{ q.items = append(q.items, v) }}

// Pop removes the oldest element.
func (q *Queue[T]) Pop() (T, bool) {{
	var zero T
	if len(q.items) == 0 {{
		return zero, false
	}}
	v := q.items[0]
	q.items = q.items[1:]
	return v, true
}}
{"".join(extra)}"""


def file_std(p):
    imports = set()
    bodies = []
    for key in p.std:
        imps, code = STD_SNIPPETS[key]
        imports.update(imps)
        bodies.append(code.format(p=p.name, T=p.type, n=p.index % 5 + 2))
    return header(p) + "\n" + imports_block(sorted(imports)) + "".join(bodies)


def file_test(p, rng):
    T = p.type
    cases = "\n".join(
        f"\t\t{{{go_string(rng.choice(WORDS))}, {rng.randrange(1, 50)}}}," for _ in range(4))
    tests = [f"""{header(p)}
import "testing"

func TestAddTotal(t *testing.T) {{
	cases := []struct {{
		key string
		n   int
	}}{{
{cases}
	}}
	r := New{T}(1, "t")
	want := 0
	for _, c := range cases {{
		r.Add(c.key, c.n)
		want += c.n
	}}
	if got := r.Total(); got != want {{
		t.Fatalf("Total() = %d, want %d", got, want)
	}}
}}

func TestHashStable(t *testing.T) {{
	if Hash("a") != Hash("a") {{
		t.Fatal("Hash is not deterministic")
	}}
}}

func TestGenerics(t *testing.T) {{
	if got := Sum(1, 2, 3); got != 6 {{
		t.Fatalf("Sum = %d", got)
	}}
	words := Map([]int{{1, 2}}, func(i int) string {{ return string(rune('a' + i)) }})
	if len(words) != 2 || words[0] != "b" {{
		t.Fatalf("Map = %v", words)
	}}
	s := NewSet("x", "y")
	s.Add("x")
	if s.Len() != 2 || !s.Has("y") {{
		t.Fatal("Set")
	}}
	var q Queue[int]
	q.Push(4)
	if v, ok := q.Pop(); !ok || v != 4 {{
		t.Fatal("Queue")
	}}
}}
"""]
    return "".join(tests)


def file_example(p):
    return f"""package {p.name}_test

import (
	"fmt"

	"{p.import_path}"
)

func ExampleSum() {{
	fmt.Println({p.name}.Sum(1.5, 2.5))
	// Output: 4
}}
"""


def file_embed(p):
    return f"""{header(p)}
import (
	"embed"
	"strings"
)

//go:embed assets/banner.txt
var banner string

//go:embed assets/*.tmpl
var templates embed.FS

// Banner is the embedded banner's first line.
func Banner() string {{
	first, _, _ := strings.Cut(banner, "\\n")
	return first
}}

// Template returns one embedded template by name.
func Template(name string) (string, error) {{
	b, err := templates.ReadFile("assets/" + name + ".tmpl")
	return string(b), err
}}
"""


def files_cgo(p):
    """cgo.go (cgo on), nocgo.go (cgo off), the C source and header; `srcdir` puts the header
    in include/ and finds it through ${SRCDIR}."""
    cname = f"{p.name}_scale"
    header_name = f"{p.name}.h"
    if p.cgo == "srcdir":
        flags = "#cgo CFLAGS: -I${SRCDIR}/include -O2"
        header_path = f"include/{header_name}"
    else:
        flags = f"#cgo CFLAGS: -O2 -DGEN_FACTOR={p.index % 7 + 2}"
        header_path = header_name
    factor = p.index % 7 + 2
    out = {}
    out["cgo.go"] = f"""//go:build cgo

{header(p)}
/*
{flags}
#include "{header_name}"
*/
import "C"

// UsesCgo reports whether the C implementation is linked in.
const UsesCgo = true

// Scale multiplies x in C.
func Scale(x int) int {{
	return int(C.{cname}(C.int(x)))
}}
"""
    out["nocgo.go"] = f"""//go:build !cgo

{header(p)}
// UsesCgo reports whether the C implementation is linked in.
const UsesCgo = false

// Scale multiplies x by the C implementation's factor.
func Scale(x int) int {{
	return x * {factor}
}}
"""
    out[f"{p.name}.c"] = f"""//go:build cgo

#include "{header_name}"

int {cname}(int x) {{
	return x * GEN_FACTOR;
}}
"""
    out[header_path] = f"""#ifndef {p.name.upper()}_H
#define {p.name.upper()}_H

#ifndef GEN_FACTOR
#define GEN_FACTOR {factor}
#endif

int {cname}(int x);

#endif
"""
    return out


def file_main(name, top, version_var):
    imports = [d.import_path for d in top] + ["flag", "fmt", "os"]
    uses = "\n".join(
        f"\tr{i} := {d.name}.New{d.type}({i}, *name)\n"
        f"\tr{i}.Add(\"start\", {i + 1})\n"
        f"\ttotal += r{i}.Depth() + int({d.name}.Hash(*name)%97)"
        for i, d in enumerate(top))
    version = '\n// version is set with -ldflags=-X=main.version=...\nvar version = "dev"\n' \
        if version_var else ""
    show_version = '\n\tif *name == "version" {\n\t\tfmt.Println(version)\n\t\treturn\n\t}' \
        if version_var else ""
    return f"""// Command {name} drives the generated packages from the command line.
package main

{imports_block(imports)}{version}
func main() {{
	name := flag.String("name", "{name}", "record name")
	flag.Parse(){show_version}
	total := 0
{uses}
	if total < 0 {{
		fmt.Fprintln(os.Stderr, "overflow")
		os.Exit(1)
	}}
	fmt.Println(total)
}}
"""


def write(root, rel, text, written):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    written.append((rel, len(text.encode())))


def generate(args):
    pkgs, by_layer, _ = plan(args)
    out = args.out
    if os.path.exists(out):
        if not os.path.isdir(out):
            sys.exit(f"gen-module: {out} exists and is not a directory")
        if os.listdir(out) and not os.path.exists(os.path.join(out, MARKER)):
            sys.exit(f"gen-module: {out} is not empty and was not written by this script "
                     f"(no {MARKER} file); refusing to replace it")
        shutil.rmtree(out)
    os.makedirs(out)
    written = []
    write(out, "go.mod", f"module {MODULE}\n\ngo 1.21\n", written)
    for p in pkgs:
        # Each package's files get their own generator, so one package's content does not
        # depend on how much randomness another one used.
        rng = random.Random(f"{args.seed}/{p.index}")
        base = p.path
        write(out, f"{base}/doc.go", file_doc(p, rng), written)
        write(out, f"{base}/{p.name}.go", file_types(p, rng), written)
        write(out, f"{base}/generic.go", file_generic(p, rng), written)
        write(out, f"{base}/helpers.go", file_std(p), written)
        write(out, f"{base}/{p.name}_test.go", file_test(p, rng), written)
        if p.example:
            write(out, f"{base}/example_test.go", file_example(p), written)
        if p.embed:
            write(out, f"{base}/embed.go", file_embed(p), written)
            write(out, f"{base}/assets/banner.txt", f"{p.name} {p.area}\nlayer {p.layer}\n",
                  written)
            write(out, f"{base}/assets/row.tmpl", "{{.Name}}: {{.Score}}\n", written)
            write(out, f"{base}/assets/head.tmpl", f"# {p.name}\n", written)
        if p.cgo:
            for rel, text in files_cgo(p).items():
                write(out, f"{base}/{rel}", text, written)
    top = by_layer[-1]
    cgo_pkgs = [p for p in pkgs if p.cgo]
    rng = random.Random(f"{args.seed}/cmd")
    mains = [
        ("genctl", sorted(rng.sample(top, min(6, len(top))), key=lambda p: p.index), True),
        ("gend", sorted(rng.sample(by_layer[-2] if len(by_layer) > 1 else top,
                                   min(6, len(top))), key=lambda p: p.index), False),
        ("genload", sorted(set(rng.sample(top, min(3, len(top)))) | set(cgo_pkgs[:1]),
                           key=lambda p: p.index), False),
    ]
    for name, deps, version in mains:
        write(out, f"cmd/{name}/main.go", file_main(name, deps, version), written)
    go_files = sum(1 for rel, _ in written if rel.endswith(".go"))
    total = sum(size for _, size in written)
    edges = sum(len(p.deps) for p in pkgs)
    summary = (
        f"Written by scripts/gen-module.py --packages {args.packages} --cgo {args.cgo} "
        f"--seed {args.seed}; do not edit. This folder is replaced when the script runs again.\n"
        f"module {MODULE}: {len(pkgs)} library packages in {len(by_layer)} layers, "
        f"{len(mains)} commands, {len(cgo_pkgs)} cgo packages, "
        f"{sum(1 for p in pkgs if p.embed)} with embedded files, {edges} internal import edges; "
        f"{len(written)} files ({go_files} .go), {total} bytes\n"
    )
    with open(os.path.join(out, MARKER), "w", encoding="utf-8") as f:
        f.write(summary)
    print(summary, end="")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packages", type=int, default=1000,
                    help="library packages to write (default 1000; 3 commands come on top)")
    ap.add_argument("--cgo", type=int, default=4, help="how many of them use cgo (default 4)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", default=os.path.join(here, "..", "bench-data", "genmod"),
                    help="output folder (default bench-data/genmod, git-ignored)")
    args = ap.parse_args()
    if args.packages < 4:
        ap.error("--packages must be at least 4")
    if args.cgo < 0 or args.cgo > args.packages:
        ap.error("--cgo must be between 0 and --packages")
    args.out = os.path.normpath(args.out)
    generate(args)


if __name__ == "__main__":
    main()
