package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/seed83f33fd3/airbyte-go/auth"
	"github.com/seed83f33fd3/airbyte-go/openapi"
)

// Base URLs the validator always accepts: Airbyte Cloud and a self-managed
// installation on its default local address.
const (
	CloudBaseURL       = auth.CloudURL
	SelfManagedBaseURL = "http://localhost:8000" + openapi.SelfManagedPath
)

// maxBody bounds how much of a request or response body is read for
// validation.
const maxBody = 10 << 20

// A Validator checks HTTP requests and responses against the Airbyte spec.
// It is safe for concurrent use.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
	bases  []*url.URL
}

// A Violation is a disagreement between an exchange and the spec.
type Violation struct {
	// Operation is the operationId, or "METHOD /path" when the request
	// matched no operation.
	Operation string
	// Phase is "request" or "response".
	Phase string
	// Err says what is wrong.
	Err error
}

// Error returns the operation, the phase and what is wrong, in the form
// "getSource request: ...".
func (v *Violation) Error() string {
	return fmt.Sprintf("%s %s: %v", v.Operation, v.Phase, v.Err)
}

// Unwrap returns Err, so errors.Is and errors.As see the underlying
// validation error.
func (v *Violation) Unwrap() error { return v.Err }

var (
	defaultOnce      sync.Once
	defaultValidator *Validator
	defaultErr       error
)

// DefaultValidator returns a shared validator for the embedded spec that
// accepts CloudBaseURL and SelfManagedBaseURL. It is built once; validators
// never change after construction.
func DefaultValidator() (*Validator, error) {
	defaultOnce.Do(func() { defaultValidator, defaultErr = NewValidator() })
	return defaultValidator, defaultErr
}

// NewValidator loads the embedded spec and returns a validator that accepts
// requests to CloudBaseURL, SelfManagedBaseURL and any extra base URLs given
// (for example an httptest server's URL plus "/api/public/v1").
func NewValidator(extraBaseURLs ...string) (*Validator, error) {
	doc, err := openapi.Load()
	if err != nil {
		return nil, err
	}
	return NewValidatorForDoc(doc, extraBaseURLs...)
}

// NewValidatorForDoc is NewValidator for an already loaded document, such as
// a modified copy of the spec. The document's servers are replaced.
func NewValidatorForDoc(doc *openapi3.T, extraBaseURLs ...string) (*Validator, error) {
	openapi.RegisterFormats(doc)
	v := &Validator{doc: doc}
	doc.Servers = nil
	for _, raw := range append([]string{CloudBaseURL, SelfManagedBaseURL}, extraBaseURLs...) {
		u, err := url.Parse(strings.TrimSuffix(raw, "/"))
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("contract: base URL %q is not an absolute URL", raw)
		}
		v.bases = append(v.bases, u)
		doc.Servers = append(doc.Servers, &openapi3.Server{URL: u.String()})
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("contract: build router: %w", err)
	}
	v.router = router
	return v, nil
}

// Doc returns the loaded spec. Callers must not modify it.
func (v *Validator) Doc() *openapi3.T { return v.doc }

// Route finds the operation a request addresses and returns its path
// parameters, unescaped. Routing uses the path as sent (its escaped form),
// so an escaped slash inside a parameter stays in that parameter.
func (v *Validator) Route(req *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return nil, nil, &Violation{Operation: req.Method + " " + req.URL.Path, Phase: "request", Err: fmt.Errorf("no operation in the spec matches %s %s: %w", req.Method, req.URL.Path, err)}
	}
	for name, raw := range params {
		if value, err := url.PathUnescape(raw); err == nil {
			params[name] = value
		}
	}
	return route, params, nil
}

// IsAnonymous reports whether an operation needs no authentication.
func IsAnonymous(op *openapi3.Operation) bool {
	return op.Security != nil && len(*op.Security) == 0
}

func (v *Validator) options(status bool) *openapi3filter.Options {
	return &openapi3filter.Options{
		SkipSettingDefaults:     true,
		MultiError:              true,
		IncludeResponseStatus:   status,
		AuthenticationFunc:      authenticate,
		SchemaValidationOptions: v.doc.GetSchemaValidationOptions(),
	}
}

// authenticate accepts a request for a security scheme when it carries a
// bearer token: both schemes of the spec end in an Authorization header.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return errors.New("missing bearer token in the Authorization header")
	}
	return nil
}

// ValidateRequest checks a request as it was sent: its route, parameters,
// body, content type and authentication, and rejects query parameters the
// operation does not declare. The request body is read and restored. It
// returns the matched route (nil if none) and every violation joined.
func (v *Validator) ValidateRequest(ctx context.Context, req *http.Request) (*routers.Route, error) {
	route, params, err := v.Route(req)
	if err != nil {
		return nil, err
	}
	return route, v.ValidateRoutedRequest(ctx, req, route, params)
}

// ValidateRoutedRequest is ValidateRequest for a request already routed by
// Route, so that an exchange is routed once: route and params are what
// Route returned for req.
func (v *Validator) ValidateRoutedRequest(ctx context.Context, req *http.Request, route *routers.Route, params map[string]string) error {
	op := route.Operation.OperationID
	body, err := readAndRestore(&req.Body)
	if err != nil {
		return &Violation{Operation: op, Phase: "request", Err: err}
	}
	in := &openapi3filter.RequestValidationInput{Request: commaArraysSplit(route, req), PathParams: params, Route: route, Options: v.options(false)}
	var errs []error
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		errs = append(errs, flatten(err)...)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	errs = append(errs, extraChecks(route, req, body)...)
	if len(errs) > 0 {
		return &Violation{Operation: op, Phase: "request", Err: errors.Join(errs...)}
	}
	return nil
}

// commaArraysSplit returns req, or a shallow copy of it whose array query
// parameters given comma-joined (workspaceIds=a,b) are repeated instead
// (workspaceIds=a&workspaceIds=b), the form the spec declares. The server
// binds both forms to a list (Micronaut's query-value conversion splits on
// commas; server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/
// publicapi/validation/QueryValueBinder.kt:19-45 defers to it), and it writes
// the comma-joined form itself in its own pagination links
// (PaginationMapper.kt:122, used by SourcesResponseMapper.kt:45),
// so a validator must accept both.
func commaArraysSplit(route *routers.Route, req *http.Request) *http.Request {
	q := req.URL.Query()
	changed := false
	for _, p := range append(append(openapi3.Parameters{}, route.PathItem.Parameters...), route.Operation.Parameters...) {
		if p.Value == nil || p.Value.In != openapi3.ParameterInQuery || p.Value.Schema == nil || p.Value.Schema.Value == nil ||
			!p.Value.Schema.Value.Type.Is(openapi3.TypeArray) {
			continue
		}
		var split []string
		for _, v := range q[p.Value.Name] {
			split = append(split, strings.Split(v, ",")...)
		}
		if len(split) != len(q[p.Value.Name]) {
			q[p.Value.Name], changed = split, true
		}
	}
	if !changed {
		return req
	}
	u := *req.URL
	u.RawQuery = q.Encode()
	out := req.Clone(req.Context())
	out.URL = &u
	out.Body = req.Body
	return out
}

// extraChecks are what kin-openapi does not check: undeclared query
// parameters, bodies on GET and DELETE, and a JSON content type on bodies.
// An Authorization header on an anonymous operation is not a violation:
// `security: []` makes authentication optional, not forbidden, so servers
// accept it (whether a client sends one is for its own tests to decide).
func extraChecks(route *routers.Route, req *http.Request, body []byte) []error {
	var errs []error
	declared := map[string]bool{}
	freeForm := false // an exploded object parameter takes any name
	for _, p := range append(append(openapi3.Parameters{}, route.PathItem.Parameters...), route.Operation.Parameters...) {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
			declared[p.Value.Name] = true
			if p.Value.Schema != nil && p.Value.Schema.Value.Type.Is(openapi3.TypeObject) {
				freeForm = true
			}
		}
	}
	var unknown []string
	for name := range req.URL.Query() {
		if !declared[name] && !freeForm {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		errs = append(errs, fmt.Errorf("query parameter %q is not declared by the operation", name))
	}
	if len(body) > 0 {
		if req.Method == http.MethodGet || req.Method == http.MethodDelete {
			errs = append(errs, fmt.Errorf("%s request has a body", req.Method))
		}
		if route.Operation.RequestBody == nil {
			errs = append(errs, errors.New("request has a body but the operation takes none"))
		}
	}
	if route.Operation.RequestBody != nil && route.Operation.RequestBody.Value != nil && len(body) > 0 {
		ct := req.Header.Get("Content-Type")
		if route.Operation.RequestBody.Value.Content.Get(ct) == nil {
			errs = append(errs, fmt.Errorf("request Content-Type %q is not one the operation accepts", ct))
		}
	}
	return errs
}

// ValidateResponse checks a response to req (whose route ValidateRequest or
// Route returned): the status must be declared, and the headers and body
// must match what the spec promises for it. It routes req again for its
// path parameters; ValidateRoutedResponse does not.
func (v *Validator) ValidateResponse(ctx context.Context, req *http.Request, route *routers.Route, status int, header http.Header, body []byte) error {
	params := map[string]string{}
	if _, p, err := v.Route(req); err == nil {
		params = p
	}
	return v.ValidateRoutedResponse(ctx, req, route, params, status, header, body)
}

// ValidateRoutedResponse is ValidateResponse with the path parameters Route
// returned for req, so that an exchange is routed once.
func (v *Validator) ValidateRoutedResponse(ctx context.Context, req *http.Request, route *routers.Route, params map[string]string, status int, header http.Header, body []byte) error {
	var errs []error
	// The spec's default responses describe errors only, so a success or
	// redirect status must be declared explicitly.
	if status < 400 && route.Operation.Responses.Status(status) == nil {
		errs = append(errs, fmt.Errorf("status %d is not declared by the operation", status))
	}
	opts := v.options(true)
	// kin-openapi decodes only structured bodies; a text page (the
	// documentation root) is checked for its status and media type only.
	if ct := header.Get("Content-Type"); strings.HasPrefix(ct, "text/") {
		opts.ExcludeResponseBody = true
		if mt, _, _ := strings.Cut(ct, ";"); route.Operation.Responses.Status(status) != nil &&
			route.Operation.Responses.Status(status).Value.Content.Get(strings.TrimSpace(mt)) == nil {
			errs = append(errs, fmt.Errorf("response Content-Type %q is not declared for status %d", ct, status))
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                opts,
	}
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		errs = append(errs, flatten(err)...)
	}
	if len(errs) > 0 {
		return &Violation{Operation: route.Operation.OperationID, Phase: "response", Err: errors.Join(errs...)}
	}
	return nil
}

func readAndRestore(body *io.ReadCloser) ([]byte, error) {
	if *body == nil || *body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(*body, maxBody))
	(*body).Close()
	*body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	return data, nil
}

// flatten splits a top-level MultiError into its parts. It does not look
// inside the parts: a *openapi3filter.RequestError's text names the
// parameter or body that failed, which unwrapping would lose.
func flatten(err error) []error {
	if me, ok := err.(openapi3.MultiError); ok {
		var out []error
		for _, e := range me {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
