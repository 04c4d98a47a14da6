package airbyte

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/seed83f33fd3/airbyte-go/auth"
)

// Version is this module's version, sent in the User-Agent header.
const Version = "0.1.0"

// DefaultUserAgent returns the User-Agent sent unless WithUserAgent says
// otherwise: airbyte-go/<version> (<go version>; <os>/<arch>).
func DefaultUserAgent() string {
	return "airbyte-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
}

// RetryPolicy says how failed requests are retried; see the package
// documentation for which requests are.
type RetryPolicy struct {
	// MaxAttempts is the most tries of one request, the first included; 1
	// disables retries.
	MaxAttempts int
	// InitialBackoff is the wait before the second try; it doubles after
	// each try, with up to 50% jitter, up to MaxBackoff.
	InitialBackoff time.Duration
	// MaxBackoff caps one computed wait. A Retry-After longer than it (or
	// than what is left before the context's deadline) ends the retries:
	// the call returns the *APIError, whose RetryAfter says how long the
	// server asked to wait.
	MaxBackoff time.Duration
}

// DefaultRetryPolicy returns the policy used unless WithRetryPolicy says
// otherwise: 4 attempts, backoff from 500ms doubling up to 30s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, InitialBackoff: 500 * time.Millisecond, MaxBackoff: 30 * time.Second}
}

// doer sends the generated client's requests: it sets the User-Agent,
// retries, logs, and turns non-2xx answers into *APIError.
type doer struct {
	hc        *http.Client
	policy    RetryPolicy
	ua        string
	logger    *slog.Logger
	logBodies bool
	static    bool // the token cannot be refreshed
	now       func() time.Time
	sleep     func(ctx context.Context, d time.Duration) error
	// check finds the schema secrets of the configurations sent; nil
	// leaves them to key names.
	check *configCheck
	// maxAnswer is MaxAnswerSize (tests lower it).
	maxAnswer int64
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// notSent reports whether err means the request never reached the server
// (the connection could not be opened).
func notSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.Is(err, syscall.ECONNREFUSED)
}

func transientStatus(code int) bool {
	return code == http.StatusTooManyRequests || code == http.StatusBadGateway || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout
}

// acceptHeader prefers JSON, takes the problem bodies older servers send,
// and still accepts the HTML of GET / and of proxies.
const acceptHeader = "application/json, application/problem+json;q=0.9, */*;q=0.5"

// Do implements generated.HttpRequestDoer.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	sent := &secrets{}
	if d.check != nil {
		defer d.check.forget(req)
	}
	req = req.WithContext(withSecrets(req.Context(), sent))
	ctx := req.Context()
	req.Header.Set("User-Agent", d.ua)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", acceptHeader)
	}
	var reqBody []byte
	if d.logBodies {
		reqBody = readBody(req)
		sent.addBody(reqBody)
		d.schemaSecrets(req, reqBody, sent)
	}
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	backoff := d.policy.InitialBackoff
	for attempt := 1; ; attempt++ {
		try := req
		if attempt > 1 {
			try = req.Clone(ctx)
			if req.GetBody != nil {
				b, err := req.GetBody()
				if err != nil {
					return nil, opError(req, err)
				}
				try.Body = b
			}
		}
		start := d.now()
		resp, err := d.hc.Do(try)
		d.log(ctx, req, resp, err, attempt, d.now().Sub(start), reqBody, sent)
		if err == nil && resp.StatusCode < 400 {
			// Read the answer here, so that a connection lost in the
			// middle of it is retried like one lost before it.
			if err = readAll(resp, d.maxAnswer); err != nil {
				resp = nil
			}
		}
		if ctx.Err() != nil {
			if resp != nil {
				resp.Body.Close()
			}
			return nil, opError(req, ctx.Err())
		}
		retry := false
		var delay time.Duration
		var tokenErr *auth.TokenError
		switch {
		case errors.As(err, &tokenErr):
			// The token source has already retried what was transient.
		case errors.As(err, new(*refusedRedirect)), errors.Is(err, ErrAnswerTooLarge):
			// Trying again would be refused again.
		case err != nil:
			retry = idempotent(req.Method) || notSent(err)
		case transientStatus(resp.StatusCode):
			retry = idempotent(req.Method) || resp.StatusCode == http.StatusTooManyRequests
			delay = retryAfterOrZero(resp.Header.Get("Retry-After"), d.now())
			if delay > d.policy.MaxBackoff {
				retry = false // the server asks for longer than we wait
			}
		}
		if retry && replayable && attempt < d.policy.MaxAttempts {
			if delay <= 0 {
				delay = backoff + time.Duration(rand.Int64N(int64(backoff/2)+1))
				backoff = min(2*backoff, d.policy.MaxBackoff)
			}
			delay = min(delay, d.policy.MaxBackoff)
			if dl, ok := ctx.Deadline(); !ok || d.now().Add(delay).Before(dl) {
				if resp != nil {
					io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
					resp.Body.Close()
				}
				if d.logger != nil {
					d.logger.DebugContext(ctx, "airbyte: retrying", "method", req.Method, "url", sanitize(req.URL), "attempt", attempt, "wait", delay)
				}
				if err := d.sleep(ctx, delay); err != nil {
					return nil, opError(req, err)
				}
				continue
			}
		}
		if err != nil {
			return nil, opError(req, err)
		}
		if resp.StatusCode >= 400 {
			if !d.logBodies {
				body := readBody(req)
				sent.addBody(body)
				d.schemaSecrets(req, body, sent)
			}
			apiErr := newAPIError(req, resp, d.now(), sent)
			if resp.StatusCode == http.StatusUnauthorized && d.static {
				apiErr.cause = auth.ErrTokenRejected
			}
			return nil, apiErr
		}
		return resp, nil
	}
}

// opError names the operation in a transport error, without the query.
func opError(req *http.Request, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &url.Error{Op: req.Method, URL: sanitize(req.URL), Err: err}
}

// sanitize drops user info and the query string from u.
func sanitize(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	c.Fragment = ""
	return c.String()
}

// schemaSecrets adds the secrets of a configuration sent, by its schema.
func (d *doer) schemaSecrets(req *http.Request, body []byte, sent *secrets) {
	if d.check != nil {
		d.check.schemaSecrets(req, body, sent)
	}
}

// readAll reads resp's body into memory (the generated parser reads it
// all anyway) and closes the connection's copy. The bytes live in a pooled
// buffer that goes back to the pool when the body is closed, so buffering
// costs no allocation in the steady state.
func readAll(resp *http.Response, limit int64) error {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil // HEAD answers, among others, announce a length they do not send
	}
	buf := bodyPool.Get().(*bytes.Buffer)
	buf.Reset()
	if n := resp.ContentLength; n > 0 && n <= maxPreallocated {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	resp.Body.Close()
	if err == nil && int64(buf.Len()) > limit {
		err = ErrAnswerTooLarge
	}
	if err != nil {
		releaseBuffer(buf)
		return err
	}
	pb := &pooledBody{buf: buf}
	pb.r.Reset(buf.Bytes())
	resp.Body = pb
	return nil
}

// MaxAnswerSize bounds the answers the client reads: a server (or a proxy)
// that sends more is refused rather than let to fill the memory. The
// largest answers of the API, pages of 100 connections with their stream
// configurations, are a few megabytes.
const MaxAnswerSize = 256 << 20

// ErrAnswerTooLarge is the error of a request whose answer is larger than
// MaxAnswerSize; it is not retried.
var ErrAnswerTooLarge = fmt.Errorf("airbyte: answer larger than %d MiB, not read", MaxAnswerSize>>20)

// bodyPool holds the buffers answers are read into.
var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled is the largest buffer kept for reuse; larger ones, from rare
// huge answers, are left to the garbage collector.
const maxPooled = 4 << 20

func releaseBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooled {
		bodyPool.Put(b)
	}
}

// pooledBody reads a buffered answer; Close gives the buffer back, and
// reads after it find nothing more.
type pooledBody struct {
	r   bytes.Reader
	buf *bytes.Buffer
}

func (p *pooledBody) Read(b []byte) (int, error) {
	if p.buf == nil {
		return 0, io.EOF
	}
	return p.r.Read(b)
}

func (p *pooledBody) Close() error {
	if p.buf != nil {
		p.r.Reset(nil)
		releaseBuffer(p.buf)
		p.buf = nil
	}
	return nil
}

// maxPreallocated bounds the buffer sized from a Content-Length header.
const maxPreallocated = 32 << 20

// readBody returns a copy of req's body (at most maxErrorBody bytes), or
// nil when it has none or cannot be read again.
func readBody(req *http.Request) []byte {
	if req.GetBody == nil {
		return nil
	}
	b, err := req.GetBody()
	if err != nil {
		return nil
	}
	defer b.Close()
	body, _ := io.ReadAll(io.LimitReader(b, maxErrorBody))
	return body
}

func (d *doer) log(ctx context.Context, req *http.Request, resp *http.Response, err error, attempt int, took time.Duration, reqBody []byte, sent *secrets) {
	if d.logger == nil || !d.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []any{"method", req.Method, "url", sanitize(req.URL), "attempt", attempt, "duration", took}
	if err != nil {
		attrs = append(attrs, "error", opError(req, err).Error())
	} else {
		attrs = append(attrs, "status", resp.StatusCode)
	}
	if d.logBodies {
		if len(reqBody) > 0 {
			attrs = append(attrs, "request_body", maskJSON(reqBody, sent))
		}
		if resp != nil && resp.Body != nil {
			// Read at most maxErrorBody+1 bytes for the log and put them
			// back in front of the rest, so the caller still gets it all.
			head, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody+1))
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
			if len(head) > maxErrorBody {
				attrs = append(attrs, "response_body", "<body over "+strconv.Itoa(maxErrorBody)+" bytes, not logged>")
			} else {
				attrs = append(attrs, "response_body", maskJSON(head, sent))
			}
		}
	}
	d.logger.DebugContext(ctx, "airbyte: request", attrs...)
}
