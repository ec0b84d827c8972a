// Command cacheprog is a small GOCACHEPROG program with a disk store, for testing tools that
// watch the cache protocol (whymiss's cacheprog proxy). It can lose entries on purpose.
//
// It speaks the protocol of cmd/go/internal/cacheprog (Go 1.24+): newline-separated JSON
// requests on stdin, a base64 JSON string after a "put" whose BodySize > 0, JSON responses on
// stdout matched by ID, and a first response with ID 0 listing KnownCommands. Requests are
// answered concurrently, so responses can come back out of order (as the protocol allows).
//
//	cacheprog -dir DIR [-drop-every N] [-fail-every N] [-delay D] [-v]
//
// The store: DIR/o/<output id> holds a body (content-addressed, so DiskPath stays valid);
// DIR/a/<action id> holds "<output id> <size> <unix nanoseconds>". A dropped put writes the
// body (the go command reads DiskPath right away) but not the action entry, so a later get of
// that action misses.
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// request is cmd/go/internal/cacheprog.Request. ObjectID is the name OutputID had in the
// GOEXPERIMENT=cacheprog builds of Go 1.21-1.23 (and, alongside OutputID, in Go 1.24 when
// that experiment was on).
type request struct {
	ID       int64
	Command  string
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	ObjectID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

// response is cmd/go/internal/cacheprog.Response.
type response struct {
	ID            int64
	Err           string     `json:",omitempty"`
	KnownCommands []string   `json:",omitempty"`
	Miss          bool       `json:",omitempty"`
	OutputID      []byte     `json:",omitempty"`
	Size          int64      `json:",omitempty"`
	Time          *time.Time `json:",omitempty"`
	DiskPath      string     `json:",omitempty"`
}

type store struct {
	dir       string
	dropEvery int64
	failEvery int64
	delay     time.Duration
	verbose   bool

	puts, gets                          atomic.Int64
	hits, misses, dropped, failed, errs atomic.Int64

	outMu sync.Mutex
	out   *bufio.Writer
	enc   *json.Encoder
}

func main() {
	dir := flag.String("dir", "", "directory of the store (created if missing; required)")
	dropEvery := flag.Int64("drop-every", 0, "acknowledge every Nth put without storing its action entry (0: never)")
	failEvery := flag.Int64("fail-every", 0, "answer every Nth get with an error (0: never)")
	delay := flag.Duration("delay", 0, "wait this long before answering each get and put")
	verbose := flag.Bool("v", false, "log every request and a summary at close to stderr")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("cacheprog: ")
	if *dir == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, sub := range []string{"a", "o", "tmp"} {
		if err := os.MkdirAll(filepath.Join(abs, sub), 0o777); err != nil {
			log.Fatal(err)
		}
	}
	s := &store{dir: abs, dropEvery: *dropEvery, failEvery: *failEvery, delay: *delay, verbose: *verbose}
	s.out = bufio.NewWriter(os.Stdout)
	s.enc = json.NewEncoder(s.out)
	if err := s.serve(os.Stdin); err != nil {
		log.Fatal(err)
	}
}

// serve answers requests until "close" or the end of stdin.
func (s *store) serve(in io.Reader) error {
	s.send(&response{ID: 0, KnownCommands: []string{"get", "put", "close"}})
	dec := json.NewDecoder(bufio.NewReaderSize(in, 64<<10))
	var wg sync.WaitGroup
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			wg.Wait()
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("reading request: %v", err)
		}
		var body []byte
		if req.Command == "put" && req.BodySize > 0 {
			// The body is a separate JSON string holding base64; decoding into []byte undoes it.
			if err := dec.Decode(&body); err != nil {
				return fmt.Errorf("reading body of request %d: %v", req.ID, err)
			}
			if int64(len(body)) != req.BodySize {
				return fmt.Errorf("request %d: body has %d bytes, BodySize says %d", req.ID, len(body), req.BodySize)
			}
		}
		if req.Command == "close" {
			wg.Wait()
			s.summary()
			s.send(&response{ID: req.ID})
			return nil
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.delay > 0 {
				time.Sleep(s.delay)
			}
			s.send(s.handle(&req, body))
		}()
	}
}

func (s *store) handle(req *request, body []byte) *response {
	switch req.Command {
	case "get":
		return s.get(req)
	case "put":
		return s.put(req, body)
	default:
		s.errs.Add(1)
		return &response{ID: req.ID, Err: "unknown command " + strconv.Quote(req.Command)}
	}
}

func (s *store) get(req *request) *response {
	n := s.gets.Add(1)
	if s.failEvery > 0 && n%s.failEvery == 0 {
		s.failed.Add(1)
		s.logf("get %x: injected failure", req.ActionID)
		return &response{ID: req.ID, Err: "cacheprog: injected failure"}
	}
	entry, err := os.ReadFile(s.actionPath(req.ActionID))
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			s.errs.Add(1)
			return &response{ID: req.ID, Err: err.Error()}
		}
		s.misses.Add(1)
		s.logf("get %x: miss", req.ActionID)
		return &response{ID: req.ID, Miss: true}
	}
	var outHex string
	var size, nanos int64
	if _, err := fmt.Sscanf(string(entry), "%s %d %d", &outHex, &size, &nanos); err != nil {
		s.errs.Add(1)
		return &response{ID: req.ID, Err: fmt.Sprintf("corrupt entry %x: %v", req.ActionID, err)}
	}
	out, err := hex.DecodeString(outHex)
	if err != nil {
		s.errs.Add(1)
		return &response{ID: req.ID, Err: fmt.Sprintf("corrupt entry %x: %v", req.ActionID, err)}
	}
	path := s.outputPath(out)
	if info, err := os.Stat(path); err != nil || info.Size() != size {
		// The body is gone or damaged: a miss, as a real backend would answer.
		s.misses.Add(1)
		s.logf("get %x: body missing", req.ActionID)
		return &response{ID: req.ID, Miss: true}
	}
	s.hits.Add(1)
	s.logf("get %x: hit %x", req.ActionID, out)
	t := time.Unix(0, nanos)
	return &response{ID: req.ID, OutputID: out, Size: size, Time: &t, DiskPath: path}
}

func (s *store) put(req *request, body []byte) *response {
	out := req.OutputID
	if len(out) == 0 {
		out = req.ObjectID
	}
	if len(req.ActionID) == 0 || len(out) == 0 {
		s.errs.Add(1)
		return &response{ID: req.ID, Err: "put without ActionID or OutputID"}
	}
	path := s.outputPath(out)
	if err := writeAtomic(s.dir, path, body); err != nil {
		s.errs.Add(1)
		return &response{ID: req.ID, Err: err.Error()}
	}
	n := s.puts.Add(1)
	if s.dropEvery > 0 && n%s.dropEvery == 0 {
		s.dropped.Add(1)
		s.logf("put %x: dropped", req.ActionID)
		return &response{ID: req.ID, DiskPath: path}
	}
	entry := fmt.Sprintf("%x %d %d\n", out, len(body), time.Now().UnixNano())
	if err := writeAtomic(s.dir, s.actionPath(req.ActionID), []byte(entry)); err != nil {
		s.errs.Add(1)
		return &response{ID: req.ID, Err: err.Error()}
	}
	s.logf("put %x: %x (%d bytes)", req.ActionID, out, len(body))
	return &response{ID: req.ID, DiskPath: path}
}

func (s *store) actionPath(id []byte) string { return filepath.Join(s.dir, "a", fmt.Sprintf("%x", id)) }
func (s *store) outputPath(id []byte) string { return filepath.Join(s.dir, "o", fmt.Sprintf("%x", id)) }

// writeAtomic writes through a temporary file and a rename, so a concurrent reader (another
// go command sharing the store) never sees half a file.
func writeAtomic(dir, path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Join(dir, "tmp"), "put-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}

func (s *store) send(r *response) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	if err := s.enc.Encode(r); err != nil {
		log.Fatalf("writing response: %v", err)
	}
	if err := s.out.Flush(); err != nil {
		log.Fatalf("writing response: %v", err)
	}
}

func (s *store) logf(format string, args ...any) {
	if s.verbose {
		log.Printf(format, args...)
	}
}

func (s *store) summary() {
	if !s.verbose {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "gets %d (hits %d, misses %d, failed %d), puts %d (dropped %d), errors %d",
		s.gets.Load(), s.hits.Load(), s.misses.Load(), s.failed.Load(), s.puts.Load(), s.dropped.Load(), s.errs.Load())
	log.Print(b.String())
}
