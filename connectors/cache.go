package connectors

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultMaxAge is how long a cached document is used without asking the
// server when Cache.MaxAge is zero.
const DefaultMaxAge = 24 * time.Hour

// Cache keeps fetched registry and metadata documents on disk.
//
// Location: one file per document URL in Dir, named after the URL's
// SHA-256; DefaultCacheDir gives os.UserCacheDir()/airbyte-go/connectors.
//
// Freshness: a document younger than MaxAge is used without a request.
// An older one is revalidated with If-None-Match (its ETag) and
// If-Modified-Since (its Last-Modified); a 304 answer makes it fresh
// again, a 200 answer replaces it. When StaleIfError is set, a stale copy
// is used if the request fails on the network or the server answers a
// 5xx status.
//
// Writes: a document is stored only after it parsed, by writing a temporary
// file in Dir and renaming it over the old one, so a reader never sees a
// half-written file. A file that cannot be read back is ignored and
// fetched again; a cache that cannot be written costs a refetch, not an
// error.
type Cache struct {
	// Dir holds the cache's files; it is created (0700) when needed.
	Dir string
	// MaxAge is how long a document stays fresh; 0 means DefaultMaxAge,
	// a negative value revalidates on every use.
	MaxAge time.Duration
	// StaleIfError serves a stale copy when the server cannot be reached
	// or fails with a 5xx status.
	StaleIfError bool
	// Now is the cache's clock; nil means time.Now (tests set it).
	Now func() time.Time

	// parsed keeps, per URL, the document last parsed and when it was
	// fetched: while it is fresh, it is used without reading the file or
	// parsing it again (a registry is megabytes).
	mu     sync.Mutex
	parsed map[string]parsedDoc
}

type parsedDoc struct {
	v         any
	fetchedAt time.Time
	file      os.FileInfo // the cache file as it was when v was parsed
}

// remembered returns the parsed document of url while it is fresh and
// its file is unchanged (same size and time; another writer, or damage,
// sends the caller back to the file).
func (c *Cache) remembered(url string) (any, bool) {
	c.mu.Lock()
	p, ok := c.parsed[url]
	c.mu.Unlock()
	if !ok || !c.fresh(&cacheEntry{FetchedAt: p.fetchedAt}) {
		return nil, false
	}
	fi, err := os.Stat(c.Path(url))
	if err != nil || p.file == nil || fi.Size() != p.file.Size() || !fi.ModTime().Equal(p.file.ModTime()) {
		return nil, false
	}
	return p.v, true
}

// remember keeps v, the parsed document of url fetched at fetchedAt, as
// its cache file now stands.
func (c *Cache) remember(url string, v any, fetchedAt time.Time) {
	fi, err := os.Stat(c.Path(url))
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.parsed == nil {
		c.parsed = map[string]parsedDoc{}
	}
	c.parsed[url] = parsedDoc{v, fetchedAt, fi}
}

// DefaultCacheDir returns os.UserCacheDir()/airbyte-go/connectors.
func DefaultCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("connectors: cache directory: %w", err)
	}
	return filepath.Join(d, "airbyte-go", "connectors"), nil
}

// cacheEntry is one cached document. On disk: a first line of JSON with
// the exported fields (the URL without user information or query), then
// the body as fetched.
type cacheEntry struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"lastModified,omitempty"`
	FetchedAt    time.Time `json:"fetchedAt"`
	body         []byte
}

// Path returns the file that holds the document fetched from url.
func (c *Cache) Path(url string) string {
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(c.Dir, hex.EncodeToString(sum[:16])+".cache")
}

func (c *Cache) fresh(e *cacheEntry) bool {
	maxAge := c.MaxAge
	if maxAge == 0 {
		maxAge = DefaultMaxAge
	}
	age := c.now().Sub(e.FetchedAt)
	return maxAge > 0 && age >= 0 && age < maxAge
}

// load returns the entry for url, or nil when there is none usable.
func (c *Cache) load(url string) *cacheEntry {
	data, err := os.ReadFile(c.Path(url))
	if err != nil {
		return nil
	}
	head, body, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return nil
	}
	var e cacheEntry
	if json.Unmarshal(head, &e) != nil || e.URL != redactURL(url) {
		return nil
	}
	e.body = body
	return &e
}

// store writes e atomically: a temporary file in the same directory,
// synced, then renamed over the entry's path.
func (c *Cache) store(url string, e *cacheEntry) (err error) {
	if c.Dir == "" {
		return errors.New("connectors: cache has no directory")
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return err
	}
	meta := *e
	meta.URL = redactURL(url)
	head, err := json.Marshal(&meta)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(c.Dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriter(f)
	if _, err = w.Write(head); err != nil {
		return err
	}
	if err = w.WriteByte('\n'); err != nil {
		return err
	}
	if _, err = w.Write(e.body); err != nil {
		return err
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), c.Path(url))
}
