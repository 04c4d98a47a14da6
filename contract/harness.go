package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/jarcoal/httpmock"
)

// A Reply overrides what the harness answers for one operation.
type Reply struct {
	// Status is the HTTP status; 0 means the operation's lowest 2xx.
	Status int
	// Body is sent as JSON unless it is a []byte or string, which are sent
	// as they are. Nil means the spec's example for the status, or a value
	// generated from its schema.
	Body any
	// Header is added to the response. Content-Type defaults to the
	// response's first declared media type.
	Header http.Header
}

// A Harness is a per-test fake transport that answers every request from
// the spec and checks both directions: each request is routed and validated
// as sent, each answer is validated against the operation's declared
// responses, and every violation is reported through t.Errorf when the test
// ends. It never touches http.DefaultTransport, so tests may run in
// parallel.
type Harness struct {
	t         testing.TB
	validator *Validator
	mock      *httpmock.MockTransport

	mu         sync.Mutex
	replies    map[string]Reply
	calls      map[string]int
	violations []error
	requests   []recorded
}

// recorded is a request the harness received and its body as sent.
type recorded struct {
	req  *http.Request
	body []byte
}

// New returns a harness for t that accepts requests to CloudBaseURL and
// SelfManagedBaseURL. Violations are reported when t ends.
func New(t testing.TB) *Harness {
	t.Helper()
	v, err := DefaultValidator()
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	return NewWithValidator(t, v)
}

// NewWithValidator is New with a validator of the caller's, for example one
// built from a modified spec or with extra base URLs.
func NewWithValidator(t testing.TB, v *Validator) *Harness {
	h := &Harness{
		t:         t,
		validator: v,
		mock:      httpmock.NewMockTransport(),
		replies:   map[string]Reply{},
		calls:     map[string]int{},
	}
	h.mock.RegisterNoResponder(h.respond)
	t.Cleanup(func() {
		for _, err := range h.Violations() {
			t.Errorf("contract violation: %v", err)
		}
	})
	return h
}

// Transport returns the round tripper to give to an *http.Client.
func (h *Harness) Transport() http.RoundTripper { return h.mock }

// HTTPClient returns a new client that sends every request to the harness.
func (h *Harness) HTTPClient() *http.Client { return &http.Client{Transport: h.mock} }

// Reply makes the harness answer operationID with r from now on.
func (h *Harness) Reply(operationID string, r Reply) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.replies[operationID] = r
}

// Calls returns how many requests were routed to operationID.
func (h *Harness) Calls(operationID string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls[operationID]
}

// Requests returns copies of the requests received so far, in order. Each
// call returns fresh copies whose bodies can be read from the start (and
// replayed through GetBody).
func (h *Harness) Requests() []*http.Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*http.Request, 0, len(h.requests))
	for _, r := range h.requests {
		c := r.req.Clone(r.req.Context())
		body := r.body
		if body == nil {
			c.Body, c.GetBody = http.NoBody, nil
		} else {
			c.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
			c.Body, _ = c.GetBody()
		}
		c.ContentLength = int64(len(body))
		out = append(out, c)
	}
	return out
}

// Violations returns every violation seen so far.
func (h *Harness) Violations() []error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]error(nil), h.violations...)
}

// TakeViolations returns the violations seen so far and forgets them, so a
// test that provokes violations on purpose can assert them and still end
// clean.
func (h *Harness) TakeViolations() []error {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := h.violations
	h.violations = nil
	return out
}

func (h *Harness) record(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.violations = append(h.violations, err)
}

// respond runs on the transport's goroutine: it never calls t.Fatal.
func (h *Harness) respond(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	body, err := readAndRestore(&req.Body)
	if err != nil {
		h.record(&Violation{Operation: req.Method + " " + req.URL.Path, Phase: "request", Err: err})
	}
	h.mu.Lock()
	h.requests = append(h.requests, recorded{req: req, body: body})
	h.mu.Unlock()
	// Route once; both directions are checked against this route.
	route, params, err := h.validator.Route(req)
	if err != nil {
		h.record(err)
		return problemResponse(req, http.StatusNotFound, "no operation matches "+req.Method+" "+req.URL.Path), nil
	}
	if err := h.validator.ValidateRoutedRequest(ctx, req, route, params); err != nil {
		h.record(err)
	}
	op := route.Operation.OperationID
	h.mu.Lock()
	h.calls[op]++
	reply, ok := h.replies[op]
	h.mu.Unlock()
	if !ok {
		reply = Reply{}
	}
	status, header, body, err := Answer(h.validator.Doc(), route.Operation, reply)
	if err != nil {
		h.record(&Violation{Operation: op, Phase: "response", Err: err})
		return problemResponse(req, http.StatusInternalServerError, err.Error()), nil
	}
	if err := h.validator.ValidateRoutedResponse(ctx, req, route, params, status, header, body); err != nil {
		h.record(err)
	}
	resp := httpmock.NewBytesResponse(status, body)
	resp.Header = header
	resp.Request = req
	return resp, nil
}

// Answer builds the response for op from r: the status (lowest declared 2xx
// by default), the header, and the body (r.Body, else the spec's example,
// else, for an error status, a problem body such as the API sends, else a
// value generated from the response schema).
func Answer(doc *openapi3.T, op *openapi3.Operation, r Reply) (int, http.Header, []byte, error) {
	status := r.Status
	if status == 0 {
		status = LowestSuccess(op)
	}
	if status == 0 {
		return 0, nil, nil, fmt.Errorf("operation %s declares no success response", op.OperationID)
	}
	header := http.Header{}
	for k, vs := range r.Header {
		header[k] = append([]string(nil), vs...)
	}
	resp := op.Responses.Status(status)
	if resp == nil {
		resp = op.Responses.Default()
	}
	var mediaType string
	var mt *openapi3.MediaType
	if resp != nil && resp.Value != nil {
		for _, ct := range sortedKeys(resp.Value.Content) {
			mediaType, mt = ct, resp.Value.Content[ct]
			break
		}
		if resp.Value.Content.Get("application/json") != nil {
			mediaType, mt = "application/json", resp.Value.Content.Get("application/json")
		}
	}
	if header.Get("Content-Type") == "" && mediaType != "" {
		header.Set("Content-Type", mediaType)
	}
	var body []byte
	switch b := r.Body.(type) {
	case []byte:
		body = b
	case string:
		body = []byte(b)
	case nil:
		if mt == nil {
			return status, header, nil, nil
		}
		var v any
		switch {
		case mt.Example == nil && len(mt.Examples) == 0 && status >= 400:
			v = problem(status, fmt.Sprintf("%d %s, answered by the contract harness", status, http.StatusText(status)))
		case mt.Example != nil:
			v = mt.Example
		case len(mt.Examples) > 0:
			for _, name := range sortedKeys(mt.Examples) {
				v = mt.Examples[name].Value.Value
				break
			}
		case mt.Schema != nil:
			v = NewGenerator(nil).Value(mt.Schema)
		}
		if s, ok := v.(string); ok && !strings.Contains(mediaType, "json") {
			return status, header, []byte(s), nil
		}
		data, err := json.Marshal(v)
		if err != nil {
			return 0, nil, nil, fmt.Errorf("encode answer: %w", err)
		}
		body = data
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return 0, nil, nil, fmt.Errorf("encode reply body: %w", err)
		}
		body = data
	}
	return status, header, body, nil
}

// LowestSuccess returns the lowest 2xx status an operation declares, else
// its lowest 3xx (the OAuth callback answers with a redirect), or 0.
func LowestSuccess(op *openapi3.Operation) int {
	best := 0
	for code := range op.Responses.Map() {
		n, err := strconv.Atoi(code)
		if err == nil && n >= 200 && n < 400 && (best == 0 || n < best) {
			best = n
		}
	}
	return best
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// problem returns the problem body the harness answers an error status
// with when neither the reply nor the spec gives one, in the shape the API
// sends: for 404, {"type":
// "https://reference.airbyte.com/reference/errors#resource-not-found",
// "title": "resource-not-found", "status": 404, "detail": "..."}.
func problem(status int, detail string) map[string]any {
	slug := problemSlug(status)
	return map[string]any{
		"type":   "https://reference.airbyte.com/reference/errors#" + slug,
		"title":  slug,
		"status": status,
		"detail": detail,
	}
}

func problemSlug(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "bad-request"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusNotFound:
		return "resource-not-found"
	case http.StatusConflict:
		return "conflict"
	case http.StatusUnprocessableEntity:
		return "unprocessable-entity"
	case http.StatusTooManyRequests:
		return "rate-limited"
	case http.StatusInternalServerError:
		return "internal-server-error"
	}
	if text := http.StatusText(status); text != "" {
		return strings.ToLower(strings.NewReplacer(" ", "-", "'", "").Replace(text))
	}
	if status >= 500 {
		return "server-error"
	}
	return "client-error"
}

func problemResponse(req *http.Request, status int, detail string) *http.Response {
	body, _ := json.Marshal(problem(status, detail))
	resp := httpmock.NewBytesResponse(status, body)
	resp.Header.Set("Content-Type", "application/json")
	resp.Request = req
	return resp
}

// Operation returns the operation with the given operationId and its method
// and path, or nil.
func (v *Validator) Operation(id string) (*openapi3.Operation, string, string) {
	for path, item := range v.doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == id {
				return op, method, path
			}
		}
	}
	return nil, "", ""
}
