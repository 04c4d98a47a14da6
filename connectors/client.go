package connectors

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Addresses of Airbyte's published connector registries. Each is one JSON
// document of several megabytes listing every connector at its current
// version.
const (
	// OSSRegistryURL lists the connectors of self-managed Airbyte.
	OSSRegistryURL = "https://connectors.airbyte.com/files/registries/v0/oss_registry.json"
	// CloudRegistryURL lists the connectors of Airbyte Cloud.
	CloudRegistryURL = "https://connectors.airbyte.com/files/registries/v0/cloud_registry.json"
	// CompositeRegistryURL is the composite registry document.
	CompositeRegistryURL = "https://connectors.airbyte.com/files/registries/v0/composite_registry.json"
	// MetadataBaseURL is where each connector's documents are kept by
	// version: MetadataBaseURL/<repository name>/<version>/oss.json (or
	// cloud.json).
	MetadataBaseURL = "https://connectors.airbyte.com/files/metadata/airbyte"
)

// Flavor chooses which of a version's metadata documents a pinned lookup
// reads.
type Flavor string

// The flavors of a version's metadata document.
const (
	FlavorOSS   Flavor = "oss"
	FlavorCloud Flavor = "cloud"
)

// DefaultMaxBytes bounds the size of a fetched document when
// Client.MaxBytes is zero.
const DefaultMaxBytes = 128 << 20

// Client fetches registries and pinned connector versions over HTTP. The
// zero value reads the OSS registry through http.DefaultClient without a
// cache. A Client's fields must not change while it is in use; it is
// then safe for concurrent use.
type Client struct {
	// HTTPClient sends every request; nil means http.DefaultClient.
	HTTPClient *http.Client
	// RegistryURL is the registry document; empty means OSSRegistryURL.
	RegistryURL string
	// MetadataBaseURL prefixes pinned versions' documents; empty means
	// the package's MetadataBaseURL.
	MetadataBaseURL string
	// Flavor picks oss.json or cloud.json for pinned versions; empty
	// means FlavorOSS.
	Flavor Flavor
	// Cache keeps fetched documents on disk; nil disables caching.
	Cache *Cache
	// MaxBytes bounds a document's size; 0 means DefaultMaxBytes.
	MaxBytes int64
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return http.DefaultClient
}

func (c *Client) registryURL() string {
	if c.RegistryURL != "" {
		return c.RegistryURL
	}
	return OSSRegistryURL
}

// MetadataURL returns the address of one connector's document at one
// version, such as
// https://connectors.airbyte.com/files/metadata/airbyte/source-postgres/3.6.28/oss.json.
func (c *Client) MetadataURL(repositoryName, version string) string {
	base := c.MetadataBaseURL
	if base == "" {
		base = MetadataBaseURL
	}
	flavor := c.Flavor
	if flavor == "" {
		flavor = FlavorOSS
	}
	return strings.TrimSuffix(base, "/") + "/" + url.PathEscape(repositoryName) + "/" + url.PathEscape(version) + "/" + string(flavor) + ".json"
}

// Registry fetches the registry document (through the cache when there
// is one) and parses it. With a cache, a fresh registry already parsed
// is returned as it is, so calling Registry or Resolve often costs no
// parse; the Registry must then not be modified (it never is).
func (c *Client) Registry(ctx context.Context) (*Registry, error) {
	u := c.registryURL()
	return fetchParsed(ctx, c, u, func(b []byte) (*Registry, error) { return ParseRegistry(b, redactURL(u)) })
}

// Definition fetches one connector at one version: repositoryName is the
// image's name such as "source-postgres". A version that is not
// published fails with ErrUnknownVersion.
func (c *Client) Definition(ctx context.Context, repositoryName, version string) (*Definition, error) {
	if repositoryName == "" || version == "" || strings.ContainsAny(repositoryName+version, "/?#") {
		return nil, fmt.Errorf("connectors: invalid repository name or version %q@%q", repositoryName, version)
	}
	u := c.MetadataURL(repositoryName, version)
	d, err := fetchParsed(ctx, c, u, func(b []byte) (*Definition, error) {
		d, err := ParseDefinition(b, redactURL(u))
		if err != nil {
			return nil, err
		}
		if d.RepositoryName() != repositoryName || d.DockerImageTag != version {
			return nil, &MalformedError{Source: redactURL(u), Err: fmt.Errorf("document describes %s@%s", d.RepositoryName(), d.DockerImageTag)}
		}
		return d, nil
	})
	var fe *FetchError
	if errors.As(err, &fe) && fe.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("%w: %s@%s: %w", ErrUnknownVersion, repositoryName, version, err)
	}
	return d, err
}

// Resolve finds a connector and version. Without a version it is the
// registry's entry. With one, a repository name ("source-postgres") or a
// short name with its kind is fetched directly; a definition ID or a
// short name without a kind is first looked up in the registry.
func (c *Client) Resolve(ctx context.Context, ref Ref) (*Definition, error) {
	if ref.Version != "" {
		name := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(ref.Name)), "airbyte/")
		switch {
		case strings.HasPrefix(name, "source-") || strings.HasPrefix(name, "destination-"):
			if ref.Kind != "" && !strings.HasPrefix(name, string(ref.Kind)+"-") {
				return nil, fmt.Errorf("%w: %s", ErrUnknownConnector, ref)
			}
			return c.Definition(ctx, name, ref.Version)
		case ref.Kind != "" && !uuidRE.MatchString(name):
			return c.Definition(ctx, string(ref.Kind)+"-"+name, ref.Version)
		}
	}
	r, err := c.Registry(ctx)
	if err != nil {
		return nil, err
	}
	d, err := r.find(ref)
	if err != nil {
		return nil, err
	}
	if ref.Version == "" || ref.Version == d.DockerImageTag {
		return d, nil
	}
	return c.Definition(ctx, d.RepositoryName(), ref.Version)
}

// fetchParsed returns parse's result for the document at u, from the
// cache while it is fresh, else from the network. Only documents that
// parse are stored.
func fetchParsed[T any](ctx context.Context, c *Client, u string, parse func([]byte) (T, error)) (T, error) {
	return fetchParsedFrom(ctx, c, u, parse, true)
}

// fetchParsedFrom is fetchParsed; useCache false ignores the cached copy
// (it is stored anew when the fetch succeeds).
func fetchParsedFrom[T any](ctx context.Context, c *Client, u string, parse func([]byte) (T, error), useCache bool) (T, error) {
	var zero T
	var cached *cacheEntry
	if c.Cache != nil && useCache {
		if v, ok := c.Cache.remembered(u); ok {
			if t, ok := v.(T); ok {
				return t, nil
			}
		}
		cached = c.Cache.load(u)
		if cached != nil && c.Cache.fresh(cached) {
			if v, err := parse(cached.body); err == nil {
				c.Cache.remember(u, v, cached.FetchedAt)
				return v, nil
			}
			cached = nil // unusable: fetch it again
		}
	}
	stale := func(cause error) (T, error) {
		if cached != nil && c.Cache.StaleIfError {
			if v, err := parse(cached.body); err == nil {
				return v, nil
			}
		}
		return zero, cause
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return zero, &FetchError{URL: redactURL(u), Err: err}
	}
	req.Header.Set("Accept", "application/json")
	if cached != nil {
		if cached.ETag != "" {
			req.Header.Set("If-None-Match", cached.ETag)
		}
		if cached.LastModified != "" {
			req.Header.Set("If-Modified-Since", cached.LastModified)
		}
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return zero, &FetchError{URL: redactURL(u), Err: ctx.Err()}
		}
		return stale(&FetchError{URL: redactURL(u), Err: scrubURLError(err)})
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && cached != nil:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		v, err := parse(cached.body)
		if err != nil {
			// The server says the copy is current, but the copy on disk
			// is damaged: fetch the whole document again.
			return fetchParsedFrom(ctx, c, u, parse, false)
		}
		cached.FetchedAt = c.Cache.now()
		if et := resp.Header.Get("ETag"); et != "" {
			cached.ETag = et
		}
		_ = c.Cache.store(u, cached) // a failed refresh only costs a revalidation
		c.Cache.remember(u, v, cached.FetchedAt)
		return v, nil
	case resp.StatusCode != http.StatusOK:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		fe := &FetchError{URL: redactURL(u), StatusCode: resp.StatusCode}
		if resp.StatusCode >= 500 {
			return stale(fe)
		}
		return zero, fe
	}
	limit := c.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return stale(&FetchError{URL: redactURL(u), Err: scrubURLError(err)})
	}
	if int64(len(body)) > limit {
		return zero, &MalformedError{Source: redactURL(u), Err: fmt.Errorf("document larger than %d bytes", limit)}
	}
	v, err := parse(body)
	if err != nil {
		return zero, err
	}
	if c.Cache != nil {
		at := c.Cache.now()
		_ = c.Cache.store(u, &cacheEntry{
			ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
			FetchedAt: at, body: body,
		})
		c.Cache.remember(u, v, at)
	}
	return v, nil
}

// scrubURLError keeps a *url.Error's cause but not its URL, which the
// FetchError already carries without user information.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// now is the cache's clock.
func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}
