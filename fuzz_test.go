package airbyte

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/seed83f33fd3/airbyte-go/generated"
	"github.com/seed83f33fd3/airbyte-go/internal/wait"
)

// FuzzResponseParsing feeds arbitrary statuses and bodies through the
// generated response parser and Value: nothing may panic, a 2xx either
// decodes or errors, and any non-2xx becomes an *APIError.
func FuzzResponseParsing(f *testing.F) {
	f.Add(200, `{"jobId":1,"status":"running","jobType":"sync","connectionId":"5d0b7e2c-93a1-4f68-b4c2-e17a6f08d9b3","startTime":"2026-05-05T09:00:11Z"}`)
	f.Add(200, `{"jobId":"1"}`)
	f.Add(200, `{"jobId":1e30}`)
	f.Add(404, `{"type":"error:x","title":"resource-not-found","status":404}`)
	f.Add(409, `{"title":"Conflict","status":"409"}`)
	f.Add(500, `<html><title>x</title></html>`)
	f.Add(204, ``)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 599 {
			return
		}
		req := &http.Request{Method: http.MethodGet, URL: &url.URL{Scheme: "https", Host: "api.airbyte.com", Path: "/v1/jobs/1"}}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader([]byte(body))), Request: req}
		parsed, err := generated.ParseGetJobResponse(resp)
		if err != nil {
			return
		}
		job, err := Value[generated.JobResponse](parsed, nil)
		if status >= 300 {
			if _, ok := err.(*APIError); !ok {
				t.Errorf("status %d: error %v; want *APIError", status, err)
			}
			return
		}
		if err == nil && job == nil {
			t.Error("nil job without an error")
		}
	})
}

// FuzzListParsing does the same for a paginated list, the shape every
// iterator decodes: nothing may panic, and a 2xx that decodes has a data
// slice the iterator can range over.
func FuzzListParsing(f *testing.F) {
	f.Add(200, `{"data":[],"next":"","previous":""}`)
	f.Add(200, `{"data":[{"connectionId":"5d0b7e2c-93a1-4f68-b4c2-e17a6f08d9b3","name":"c","sourceId":"5d0b7e2c-93a1-4f68-b4c2-e17a6f08d9b3","destinationId":"5d0b7e2c-93a1-4f68-b4c2-e17a6f08d9b3","workspaceId":"5d0b7e2c-93a1-4f68-b4c2-e17a6f08d9b3","status":"active","schedule":{"scheduleType":"manual"},"createdAt":1}],"next":"https://api.airbyte.com/v1/connections?limit=1&offset=1","previous":""}`)
	f.Add(200, `{"data":{"not":"a list"}}`)
	f.Add(200, `{"data":[{"connectionId":"not-a-uuid"}]}`)
	f.Add(429, `{"message":"Too many requests"}`)
	f.Add(401, `{"message":"Unauthorized","_links":{},"_embedded":{"errors":[{"message":"JWT expired"}]}}`)
	f.Add(502, `{"message":"Bad gateway","code":"UPSTREAM"}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 599 {
			return
		}
		req := &http.Request{Method: http.MethodGet, URL: &url.URL{Scheme: "https", Host: "api.airbyte.com", Path: "/v1/connections"}}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader([]byte(body))), Request: req}
		parsed, err := generated.ParseListConnectionsResponse(resp)
		if err != nil {
			return
		}
		page, err := Value[generated.ConnectionsResponse](parsed, nil)
		switch {
		case status >= 300:
			if _, ok := err.(*APIError); !ok {
				t.Errorf("status %d: error %v; want *APIError", status, err)
			}
		case err == nil:
			for range page.Data { // must be a usable slice
			}
		}
	})
}

// FuzzAPIErrorMasking builds error answers that echo what the request
// carried (a connector password and the bearer token, as is or escaped
// inside JSON) in arbitrary bodies, with arbitrary Retry-After headers.
// Nothing may panic; Error() is one line of at most maxErrorText runes;
// neither the secret nor the token shows in Error(), any format of the
// error, Body, Detail, Message or Data; RetryAfter is within the cap.
func FuzzAPIErrorMasking(f *testing.F) {
	f.Add(400, `{"title":"bad-request","detail":"cannot log in with $S","data":{"message":"token $T"}}`, "hunter2-pass", "120")
	f.Add(401, `{"message":"Bearer $T","_embedded":{"errors":[{"message":"$J"}]}}`, `quo"te\back<&>`, "99999999999999999999")
	f.Add(500, "line one $S\n\tat Frame.kt:1\n\tat Frame.kt:2", "s3cr3t-value", "Mon, 01 Jun 2026 12:00:07 GMT")
	f.Add(404, `{"errorId":"$S"}`, "3f2b8c1e-5a7d", "")
	f.Add(409, `<html><title>$S</title></html>`, "pässwörd-ü", "-1")
	f.Fuzz(func(t *testing.T, status int, template, secret, retryAfter string) {
		if status < 400 || status > 599 || len(secret) < minEchoed || !utf8.ValidString(secret) || !utf8.ValidString(template) ||
			strings.ContainsAny(secret, "*") || strings.Join(strings.Fields(secret), " ") != secret {
			return // a secret made of the mask, or of white space oneLine reshapes, is not one to look for
		}
		const token = "tok-7d1e9a0b52c4"
		escaped, _ := json.Marshal(secret)
		body := strings.NewReplacer("$S", secret, "$T", token, "$J", strings.Trim(string(escaped), `"`)).Replace(template)
		reqBody, _ := json.Marshal(map[string]any{"name": "pg", "configuration": map[string]any{"password": secret}})
		sent := &secrets{}
		sent.add("Bearer " + token)
		sent.add(token)
		sent.addBody(reqBody)
		h := http.Header{"Content-Type": {"application/json"}, "Retry-After": {retryAfter}}
		now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		e := apiErrorFrom(http.MethodPost, &url.URL{Path: "/v1/sources"}, status, h, []byte(body), now, sent)
		text := e.Error()
		if strings.IndexFunc(text, unicode.IsControl) >= 0 || utf8.RuneCountInString(text) > maxErrorText {
			t.Errorf("Error() is not one short line of printable text: %q", text)
		}
		// Every verb prints Error(), quoted for %q: check that, and the
		// unquoted forms for the secrets (quoting can make up digits).
		if got, want := fmt.Sprintf("%q|%q|%x", e, *e, e), fmt.Sprintf("%q|%q|%s", text, text, text); got != want {
			t.Errorf("%%q and %%x print %s; want %s (Error(), quoted for %%q)", got, want)
		}
		shown := []string{text, fmt.Sprintf("%v %+v %#v %s %d", e, *e, e, *e, e), string(e.Body), e.Detail, e.Message, e.Title, e.Type, e.ErrorID, fmt.Sprint(e.Data)}
		for _, s := range shown {
			for _, v := range []string{secret, token} {
				if strings.Contains(s, v) {
					t.Errorf("%q shows %q", s, v)
				}
			}
		}
		if e.RetryAfter < 0 || e.RetryAfter > wait.MaxRetryAfter {
			t.Errorf("RetryAfter(%q) = %v; want within [0, %v]", retryAfter, e.RetryAfter, wait.MaxRetryAfter)
		}
	})
}
