package airbyte

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/seed83f33fd3/airbyte-go/internal/problem"
	"github.com/seed83f33fd3/airbyte-go/internal/wait"
)

// Sentinel errors to test an *APIError's kind with errors.Is.
var (
	// ErrBadRequest is a 400. A 400 value-not-found problem is one: it
	// names an unknown connector type (sourceType, destinationType,
	// actor name), not a missing resource.
	//
	// server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/SourcesController.kt:72,
	// DestinationsController.kt:73 (UnknownValueProblem for a name with no definition).
	ErrBadRequest = errors.New("airbyte: bad request")
	// ErrUnauthorized is a 401: the token is missing, expired or wrong.
	ErrUnauthorized = errors.New("airbyte: unauthorized")
	// ErrForbidden is a 403. Most callers get it for an ID that does not
	// exist or was deleted, not only for one they may not see: the server
	// checks the caller's roles on the ID before it looks the resource up,
	// and an unknown ID grants no role. Only instance admins get 404.
	//
	// server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/authorization/RoleResolver.kt:237
	// (requireOneOfRoles throws ForbiddenProblem), called before the lookup
	// in each controller, e.g. airbyte-server/.../publicapi/controllers/SourcesController.kt:159 then :164.
	ErrForbidden = errors.New("airbyte: forbidden")
	// ErrNotFound is a 404, or a 400 resource-not-found problem (which
	// older servers sent). Expect ErrForbidden instead for unknown IDs
	// unless the caller is an instance admin.
	ErrNotFound = errors.New("airbyte: not found")
	// ErrConflict is a 409, such as a sync already running.
	ErrConflict = errors.New("airbyte: conflict")
	// ErrUnprocessable is a 422.
	ErrUnprocessable = errors.New("airbyte: unprocessable")
	// ErrRateLimited is a 429.
	ErrRateLimited = errors.New("airbyte: rate limited")
	// ErrServer is any 5xx.
	ErrServer = errors.New("airbyte: server error")
)

// maxErrorBody bounds how much of an error body is read and kept.
const maxErrorBody = 64 << 10

// APIError is a non-2xx answer from the API.
type APIError struct {
	// Operation is the request, as "METHOD /path" (no query string).
	Operation string
	// StatusCode is the HTTP status.
	StatusCode int
	// Type, Title, Detail and DocumentationURL come from a problem body.
	Type, Title, Detail, DocumentationURL string
	// Data holds the problem's extra facts, with secret-looking keys
	// masked. Its "message" is often the specific text when Detail is a
	// fixed sentence ("Please try again later."); Error() shows it.
	Data map[string]any
	// ErrorID is the server's ID of this failure ("errorId"), which its
	// logs are keyed by: give it to support. Many answers carry nothing
	// else.
	//
	// server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/handlers/IdNotFoundExceptionHandler.kt:40
	// (and the other handlers there that answer {"errorId": <uuid>}).
	ErrorID string
	// Message is the text of non-problem error bodies (gateways, the
	// authentication layer, load shedding, HTML pages).
	Message string
	// RetryAfter is what the Retry-After header asked for, or 0.
	RetryAfter time.Duration
	// Body is the body, at most 64 KiB, with the request's secrets (its
	// bearer token, the values of its body's secret-looking keys) masked
	// wherever the server echoed them. It is not part of Error().
	Body []byte

	// cause explains the status further: auth.ErrTokenRejected for a 401
	// to a request made with a token that cannot be refreshed.
	cause error
}

// maxErrorText bounds the length of Error(), in runes.
const maxErrorText = 400

// Error is one line: the operation, the status, the server's summary of
// the problem, and its errorId, with runs of white space (newlines
// included) collapsed; a long summary is cut, never the errorId.
func (e *APIError) Error() string {
	if e == nil {
		return "airbyte: <nil *APIError>"
	}
	head := fmt.Sprintf("airbyte: %s: %d %s", e.Operation, e.StatusCode, http.StatusText(e.StatusCode))
	var mid, tail strings.Builder
	if s := (problem.Details{Title: e.Title, Detail: e.Detail, Message: e.Message, Type: e.Type}).Summary(); s != "" {
		mid.WriteString(": ")
		mid.WriteString(s)
	}
	if m, _ := e.Data["message"].(string); strings.TrimSpace(m) != "" && !strings.Contains(mid.String(), strings.TrimSpace(m)) {
		mid.WriteString(": ")
		mid.WriteString(m)
	}
	// A value-not-found problem names the value it could not find (an
	// unknown connector name) in data.value
	// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/SourcesController.kt:72-74).
	if v, _ := e.Data["value"].(string); strings.TrimSpace(v) != "" && !strings.Contains(mid.String(), v) {
		mid.WriteString(": ")
		mid.WriteString(strconv.Quote(v))
	}
	if e.ErrorID != "" {
		tail.WriteString(" (errorId ")
		tail.WriteString(e.ErrorID)
		tail.WriteString(")")
	}
	if e.cause != nil {
		tail.WriteString(" (")
		tail.WriteString(strings.TrimPrefix(e.cause.Error(), "airbyte: "))
		tail.WriteString(")")
	}
	h, t := oneLine(head, maxErrorText/2), oneLine(tail.String(), maxErrorText/4)
	room := maxErrorText - utf8.RuneCountInString(h) - utf8.RuneCountInString(t) - 2
	m := oneLine(mid.String(), max(room, 1))
	if m != "" && !strings.HasPrefix(m, ":") {
		m = ": " + m // the leading separator was cut to nothing
	}
	return strings.TrimSpace(h + m + " " + t)
}

// oneLine collapses every run of white space or control characters in s
// (a hostile server's terminal escapes included) to one space and cuts it
// to at most n runes, marking the cut with "…".
func oneLine(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Format prints Error() for every verb (quoted for %q), so that neither
// an APIError nor a pointer to one ever prints its raw Body; %#v shows
// the operation and status only.
func (e APIError) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'q':
		fmt.Fprintf(f, "%q", e.Error())
	case verb == 'v' && f.Flag('#'):
		fmt.Fprintf(f, "airbyte.APIError{Operation: %q, StatusCode: %d}", e.Operation, e.StatusCode)
	default:
		io.WriteString(f, e.Error())
	}
}

// LogValue logs an APIError as its Error() text.
func (e *APIError) LogValue() slog.Value { return slog.StringValue(e.Error()) }

// Unwrap returns what explains the status further, if anything: for a 401
// to a request made with a static token, auth.ErrTokenRejected.
func (e *APIError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.cause
}

// Is reports whether target is the sentinel for e's status. A 400 whose
// problem is resource-not-found (older servers) counts as ErrNotFound too;
// a 400 value-not-found (an unknown connector type) does not.
func (e *APIError) Is(target error) bool {
	if e == nil {
		return false
	}
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound || (e.StatusCode == http.StatusBadRequest && strings.Contains(e.Title+" "+e.Type, "resource-not-found"))
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrUnprocessable:
		return e.StatusCode == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// newAPIError reads resp's body (bounded) and closes it; what the
// request carried (sent) is masked wherever the body echoes it.
func newAPIError(req *http.Request, resp *http.Response, now time.Time, sent *secrets) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	return apiErrorFrom(req.Method, req.URL, resp.StatusCode, resp.Header, body, now, sent)
}

// operation names a request as "METHOD /path", the path escaped so that
// it stays on one line.
func operation(method string, u *url.URL) string {
	if u == nil {
		return strings.TrimSpace(method)
	}
	return method + " " + u.EscapedPath()
}

func apiErrorFrom(method string, u *url.URL, status int, h http.Header, body []byte, now time.Time, sent *secrets) *APIError {
	// Mask the raw body before it is parsed (which may cut a text in the
	// middle of an echoed secret), and the parsed texts after (JSON
	// escapes decoded).
	if sent != nil {
		body = []byte(sent.scrub(string(body)))
	}
	d := problem.Parse(status, h.Get("Content-Type"), body)
	e := &APIError{
		Operation: operation(method, u), StatusCode: status,
		Type: sent.scrub(d.Type), Title: sent.scrub(d.Title), Detail: sent.scrub(d.Detail), DocumentationURL: sent.scrub(d.DocumentationURL),
		Data: maskMap(d.Data, sent), Message: sent.scrub(d.Message), Body: body,
		RetryAfter: retryAfterOrZero(h.Get("Retry-After"), now),
		ErrorID:    sent.scrub(oneLine(d.ErrorID, 64)),
	}
	if d.Code != "" {
		e.Message = strings.TrimSpace(e.Message + " (code " + d.Code + ")")
	}
	return e
}

// successField reports whether f is a generated response's decoded 2xx
// body: JSON200, JSON201 and so on.
func successField(f reflect.StructField) bool {
	return len(f.Name) == len("JSON200") && strings.HasPrefix(f.Name, "JSON2") && f.Type.Kind() == reflect.Pointer
}

// checkSuccessType refuses a T that none of the response type's 2xx
// bodies has: Value[generated.SourceResponse] over GetWorkspace's answer
// would otherwise give an empty source and no error. A response type
// without JSON 2xx bodies (text, or no body) accepts any T.
func checkSuccessType(resp, t reflect.Type) error {
	var have []string
	for i := range resp.NumField() {
		f := resp.Field(i)
		if !successField(f) {
			continue
		}
		if f.Type.Elem() == t {
			return nil
		}
		have = append(have, f.Type.Elem().String())
	}
	if len(have) == 0 {
		return nil
	}
	return fmt.Errorf("airbyte: Value[%s]: a %s answers %s, not %s", t, resp, strings.Join(have, " or "), t)
}

// retryAfterOrZero is the Retry-After wait, 0 when there is none or it
// is not valid; a huge number of seconds is the parser's cap.
func retryAfterOrZero(v string, now time.Time) time.Duration {
	d, _ := wait.RetryAfter(v, now)
	return d
}

// Value turns a generated response and its error into (value, error): the
// decoded 2xx body, or an error for a transport failure, a non-2xx status
// (*APIError) or a 2xx answer that did not decode into T. T must be the
// type of one of the response's JSON 2xx bodies (its JSON200 or JSON201
// field); any other T is an error, whatever the answer. It works with the
// bare generated client too.
//
//	src, err := airbyte.Value[generated.SourceResponse](client.API().GetSourceWithResponse(ctx, id))
func Value[T any, R any](resp R, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	v := reflect.ValueOf(resp)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("airbyte: Value: %T is not a generated response", resp)
	}
	s := v.Elem()
	if err := checkSuccessType(s.Type(), reflect.TypeFor[T]()); err != nil {
		return nil, err
	}
	httpResp, _ := s.FieldByName("HTTPResponse").Interface().(*http.Response)
	body, _ := s.FieldByName("Body").Interface().([]byte)
	if httpResp == nil {
		return nil, fmt.Errorf("airbyte: Value: %T has no HTTP response", resp)
	}
	var method string
	var u *url.URL
	if httpResp.Request != nil {
		method, u = httpResp.Request.Method, httpResp.Request.URL
	}
	if httpResp.StatusCode < 200 || httpResp.StatusCode > 299 {
		return nil, apiErrorFrom(method, u, httpResp.StatusCode, httpResp.Header, body, time.Now(), nil)
	}
	want := reflect.TypeFor[*T]()
	for i := range s.NumField() {
		f := s.Type().Field(i)
		if successField(f) && f.Type == want {
			if p := s.Field(i); !p.IsNil() {
				return p.Interface().(*T), nil
			}
		}
	}
	// The generated parser only decodes JSON content types; a JSON body
	// sent with another one still decodes here.
	if len(body) > 0 {
		v := new(T)
		if err := json.Unmarshal(body, v); err == nil {
			return v, nil
		}
	}
	return nil, fmt.Errorf("airbyte: %s: answer %d has no %s body (Content-Type %q)", operation(method, u), httpResp.StatusCode, want.Elem().Name(), httpResp.Header.Get("Content-Type"))
}
