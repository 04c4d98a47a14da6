package airbyte

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/seed83f33fd3/airbyte-go/internal/redact"
)

const masked = redact.Masked

// minEchoed is the shortest secret value searched for in answers: shorter
// values would mask ordinary words.
const minEchoed = 4

// secrets is what one request carried that must not come back out of its
// answer: the Authorization headers sent and the request body's secret
// values. Recording is cheap (it runs for every request); the work of
// masking (splitting headers, decoding Basic credentials, the escaped
// forms, the order) is done once, on the first scrub, which only errors
// and logs need. A nil *secrets masks nothing.
type secrets struct {
	mu      sync.Mutex
	vals    []string
	headers []string // Authorization headers, expanded into vals on demand
	forms   []string // every echo form of vals, longest first; nil when stale
}

func (s *secrets) add(v string) {
	if s == nil || len(v) < minEchoed || v == masked {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addLocked(v)
}

func (s *secrets) addLocked(v string) {
	if len(v) < minEchoed || v == masked {
		return
	}
	for _, have := range s.vals {
		if have == v {
			return
		}
	}
	s.vals = append(s.vals, v)
	s.forms = nil
}

// addHeader records an Authorization header sent with the request.
func (s *secrets) addHeader(h string) {
	if s == nil || h == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.headers = append(s.headers, h)
	s.forms = nil
}

// prepareLocked expands the headers (the header, its credentials and, for
// Basic, what they encode and the password) and lists every echo form of
// every secret, longest first, so that a secret containing another is
// masked whole.
func (s *secrets) prepareLocked() {
	if s.forms != nil {
		return
	}
	for _, a := range s.headers {
		s.addLocked(a)
		scheme, tok, ok := strings.Cut(a, " ")
		tok = strings.TrimSpace(tok)
		if !ok {
			continue
		}
		s.addLocked(tok)
		if strings.EqualFold(scheme, "Basic") {
			if raw, err := base64.StdEncoding.DecodeString(tok); err == nil {
				s.addLocked(string(raw))
				if _, pw, ok := strings.Cut(string(raw), ":"); ok {
					s.addLocked(pw)
				}
			}
		}
	}
	s.headers = nil
	forms := []string{}
	for _, v := range s.vals {
		forms = append(forms, echoForms(v)...)
	}
	sort.SliceStable(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	s.forms = forms
}

// addBody records the values of body's secret-looking keys (every string
// or number below such a key, at any depth).
func (s *secrets) addBody(body []byte) {
	if s == nil || len(body) == 0 {
		return
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return
	}
	s.walk(v, false)
}

func (s *secrets) walk(v any, secret bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			s.walk(e, secret || redact.IsSecretKey(k))
		}
	case []any:
		for _, e := range v {
			s.walk(e, secret)
		}
	case string:
		if secret {
			s.add(v)
		}
	case json.Number:
		if secret {
			s.add(v.String())
		}
	}
}

// scrub replaces every recorded secret in text, as is and as JSON would
// escape it, by the mask.
func (s *secrets) scrub(text string) string {
	if s == nil {
		return text
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prepareLocked()
	for _, form := range s.forms {
		text = strings.ReplaceAll(text, form, masked)
	}
	return text
}

// scrubFunc is scrub as a function, nil when there is nothing to mask.
func (s *secrets) scrubFunc() func(string) string {
	if s == nil {
		return nil
	}
	return s.scrub
}

// echoForms are the ways v can appear in an answer: as is, and escaped
// inside a JSON string (with and without HTML escaping).
func echoForms(v string) []string {
	forms := []string{v}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	plain := strings.TrimSuffix(strings.TrimSpace(b.String()), "\n")
	html, _ := json.Marshal(v)
	for _, q := range []string{plain, string(html)} {
		q = strings.TrimSuffix(strings.TrimPrefix(q, `"`), `"`)
		if q != v && q != "" {
			forms = append(forms, q)
		}
	}
	return forms
}

// sentKey carries a request's *secrets in its context, so that the tap
// below the authenticating transport can record the token it was sent
// with.
type sentKey struct{}

func withSecrets(ctx context.Context, s *secrets) context.Context {
	return context.WithValue(ctx, sentKey{}, s)
}

// tap records the bearer token of each request it sends, then sends it
// with next (http.DefaultTransport when nil).
type tap struct{ next http.RoundTripper }

func (t tap) RoundTrip(req *http.Request) (*http.Response, error) {
	if s, _ := req.Context().Value(sentKey{}).(*secrets); s != nil {
		s.addHeader(req.Header.Get("Authorization"))
	}
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(req)
}

func maskMap(m map[string]any, s *secrets) map[string]any {
	return redact.Map(m, masked, s.scrubFunc())
}

// maskJSON returns body with secret-looking keys masked and the request's
// secrets scrubbed, or a placeholder when it is not JSON (a non-JSON body
// is never logged as is).
func maskJSON(body []byte, s *secrets) string {
	if len(body) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "<non-JSON body>"
	}
	// The echoes of the request's secrets are scrubbed once, in the
	// encoded text (keys and strings alike).
	out, _ := json.Marshal(redact.Value(v, masked, nil))
	return s.scrub(string(out))
}
