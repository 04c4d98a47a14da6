// Package fake is an in-memory Airbyte API server for tests, demos and
// clients in any language. It is an http.Handler: serve it with httptest or
// the airbyte-fake command.
//
// The fake is faithful where it matters to clients: the token endpoint
// checks client credentials and issues tokens that expire; workspaces,
// sources, destinations, connections, tags and jobs are stateful; a sync
// moves from pending to running to succeeded over a configurable time with
// growing byte and row counts; lists paginate with limit and offset and
// write next/previous links as the real server does; errors are problem
// bodies (404 resource-not-found, 409 when a sync is already running, 422
// for a bad configuration). Every request is validated against the spec
// (an invalid one gets a 400 problem naming the violation) and every
// response is validated before it is sent. Operations the fake does not
// model answer with the spec's examples.
//
// Fault knobs (Options.Latency, RateLimitEvery, ServerErrorEvery,
// TokenLifetime, FailJobs) make resilience tests easy.
package fake

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/seed83f33fd3/airbyte-go/contract"
)

// Default credentials the fake accepts when Options leave them empty.
const (
	DefaultClientID     = "fake-client-id"
	DefaultClientSecret = "fake-client-secret"
	// BasePath is where the fake serves the API, as a self-managed
	// installation does.
	BasePath = "/api/public/v1"
)

// Options configure a fake server. The zero value is usable.
type Options struct {
	// ClientID and ClientSecret are the credentials the token endpoint
	// accepts; empty means DefaultClientID and DefaultClientSecret.
	ClientID, ClientSecret string
	// TokenLifetime is how long issued tokens live; zero means 3 minutes
	// and a negative value is an error.
	TokenLifetime time.Duration
	// JobDuration is how long a job takes from creation to its end; zero
	// means 3 seconds and a negative value is an error.
	JobDuration time.Duration
	// JobBytes and JobRows are what a finished sync reports (defaults 48 MiB
	// and 125,000 rows); they grow linearly while the job runs.
	JobBytes, JobRows int64
	// FailJobs makes every job end as failed instead of succeeded.
	FailJobs bool
	// Latency is added before every answer.
	Latency time.Duration
	// RateLimitEvery answers every Nth request with 429 and a Retry-After
	// of RetryAfter; 0 disables it.
	RateLimitEvery int
	// RetryAfter is the wait the 429 answers of RateLimitEvery ask for, sent
	// in whole seconds rounded up (default 1 second).
	RetryAfter time.Duration
	// ServerErrorEvery answers every Nth request with 503; 0 disables it.
	ServerErrorEvery int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Server is the fake. It is safe for concurrent use.
type Server struct {
	opts      Options
	validator *contract.Validator

	mu           sync.Mutex
	requests     int
	tokens       map[string]time.Time
	workspaces   []map[string]any
	sources      []map[string]any
	destinations []map[string]any
	connections  []map[string]any
	tags         []map[string]any
	jobs         []*job
	nextJobID    int64
}

type job struct {
	id           int64
	connectionID string
	jobType      string
	created      time.Time
	cancelled    *time.Time
}

// New returns a fake with one workspace, "Default Workspace". It fails
// when a duration of opts is negative.
func New(opts Options) (*Server, error) {
	if opts.TokenLifetime < 0 {
		return nil, errors.New("fake: TokenLifetime must be positive")
	}
	if opts.JobDuration < 0 {
		return nil, errors.New("fake: JobDuration must be positive")
	}
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.TokenLifetime == 0 {
		opts.TokenLifetime = 3 * time.Minute
	}
	if opts.JobDuration == 0 {
		opts.JobDuration = 3 * time.Second
	}
	if opts.JobBytes <= 0 {
		opts.JobBytes = 48 << 20
	}
	if opts.JobRows <= 0 {
		opts.JobRows = 125_000
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	v, err := contract.DefaultValidator()
	if err != nil {
		return nil, fmt.Errorf("fake: %w", err)
	}
	s := &Server{opts: opts, validator: v, tokens: map[string]time.Time{}, nextJobID: 1000}
	s.workspaces = append(s.workspaces, map[string]any{
		"workspaceId":   newID(),
		"name":          "Default Workspace",
		"dataResidency": "auto",
		"notifications": map[string]any{},
	})
	return s, nil
}

// ClientID returns the client ID the token endpoint accepts.
func (s *Server) ClientID() string { return s.opts.ClientID }

// ClientSecret returns the client secret the token endpoint accepts.
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

// DefaultWorkspaceID returns the ID of the workspace every fake starts with.
func (s *Server) DefaultWorkspaceID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.workspaces[0]["workspaceId"].(string)
}

// canonical is the base URL requests are validated against.
var canonical, _ = url.Parse(contract.SelfManagedBaseURL)

type recorder struct {
	status int
	header http.Header
	body   bytes.Buffer
}

// ServeHTTP implements http.Handler. It serves the API under BasePath.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-r.Context().Done():
			return
		}
	}
	// Route on the path as sent: an escaped slash inside a parameter
	// ("google%20sheets%2Fv2") must stay inside its segment.
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), BasePath)
	if !ok {
		writeProblem(w, http.StatusNotFound, "not-found", "Not found", "the API is served under "+BasePath)
		return
	}
	s.mu.Lock()
	s.requests++
	n := s.requests
	s.mu.Unlock()
	if s.opts.RateLimitEvery > 0 && n%s.opts.RateLimitEvery == 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(ceilSeconds(s.opts.RetryAfter), 10))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"message":"Too many requests: slow down."}`))
		return
	}
	if s.opts.ServerErrorEvery > 0 && n%s.opts.ServerErrorEvery == 0 {
		writeProblem(w, http.StatusServiceUnavailable, "about:blank", "Service Unavailable", "injected failure")
		return
	}

	// Validate the request as sent, against the canonical base URL.
	check := r.Clone(r.Context())
	u, err := url.Parse(canonical.String() + rest)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, "error:bad-request", "Bad request", "the path is not a valid URL path")
		return
	}
	u.RawQuery = r.URL.RawQuery
	check.URL = u
	check.Host = canonical.Host
	body, err := readBody(r)
	if errors.Is(err, errTooLarge) {
		writeProblem(w, http.StatusRequestEntityTooLarge, "error:payload-too-large", "Payload too large", err.Error())
		return
	}
	if err != nil {
		writeProblem(w, http.StatusBadRequest, "error:bad-request", "Bad request", err.Error())
		return
	}
	check.Body = nopCloser(body)
	route, verr := s.validator.ValidateRequest(r.Context(), check)
	if route == nil {
		if errors.Is(verr, routers.ErrMethodNotAllowed) {
			writeProblem(w, http.StatusMethodNotAllowed, "error:method-not-allowed", "Method not allowed", verr.Error())
			return
		}
		writeProblem(w, http.StatusNotFound, "error:not-found", "Not found", verr.Error())
		return
	}
	op := route.Operation
	if !contract.IsAnonymous(op) && !s.authorized(r) {
		writeProblem(w, http.StatusUnauthorized, "error:unauthorized", "Unauthorized", "the access token is missing, unknown or expired")
		return
	}
	if verr != nil {
		writeProblem(w, http.StatusBadRequest, "error:bad-request", "Bad request", verr.Error())
		return
	}
	rec := &recorder{header: http.Header{}}
	params := pathParams(route.Path, rest) // unescaped, segment by segment
	s.handle(rec, r, op, params, body)

	// Validate the answer before it goes out.
	if err := s.validator.ValidateResponse(r.Context(), check, route, rec.status, rec.header, rec.body.Bytes()); err != nil {
		writeProblem(w, http.StatusInternalServerError, "error:fake-invalid-response", "The fake produced an invalid response", err.Error())
		return
	}
	for k, vs := range rec.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

func (s *Server) authorized(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[tok]
	return ok && s.opts.Now().Before(exp)
}

// pathParams extracts path template parameters from the escaped request
// path and unescapes each.
func pathParams(template, path string) map[string]string {
	out := map[string]string{}
	tp := strings.Split(strings.Trim(template, "/"), "/")
	pp := strings.Split(strings.Trim(path, "/"), "/")
	for i := range tp {
		if i < len(pp) && strings.HasPrefix(tp[i], "{") {
			v, err := url.PathUnescape(pp[i])
			if err != nil {
				v = pp[i]
			}
			out[strings.Trim(tp[i], "{}")] = v
		}
	}
	return out
}

func (rec *recorder) json(status int, v any) {
	rec.status = status
	rec.header.Set("Content-Type", "application/json")
	data, _ := json.Marshal(v)
	rec.body.Write(data)
}

func (rec *recorder) problem(status int, typ, title, detail string, data map[string]any) {
	p := map[string]any{"type": typ, "title": title, "status": status, "detail": detail, "documentationUrl": nil}
	if data != nil {
		p["data"] = data
	}
	rec.json(status, p)
}

func writeProblem(w http.ResponseWriter, status int, typ, title, detail string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"type": typ, "title": title, "status": status, "detail": detail})
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func newToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return "fake." + hex.EncodeToString(b)
}

// answerFromSpec answers an operation the fake does not model with the
// spec's example for its lowest 2xx status.
func (s *Server) answerFromSpec(rec *recorder, op *openapi3.Operation) {
	status, header, body, err := contract.Answer(s.validator.Doc(), op, contract.Reply{})
	if err != nil {
		rec.problem(http.StatusInternalServerError, "error:fake", "Fake error", err.Error(), nil)
		return
	}
	rec.status = status
	for k, vs := range header {
		rec.header[k] = vs
	}
	rec.body.Write(body)
}

var _ = context.Background
