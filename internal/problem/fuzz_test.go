package problem

import (
	"strings"
	"testing"
)

// FuzzParse checks that any error body parses without panicking and gives
// a one-line summary that never dumps an HTML page.
func FuzzParse(f *testing.F) {
	f.Add(404, "application/json", `{"type":"error:x","title":"resource-not-found","status":404,"detail":"d","data":{"id":"x"}}`)
	f.Add(409, "application/problem+json", `{"title":"Conflict","status":"409"}`)
	f.Add(500, "application/json", `{"type":"about:blank","status":500}`)
	f.Add(401, "application/json", `{"message":"Unauthorized","_embedded":{"errors":[{"message":"expired"}]}}`)
	f.Add(502, "application/json", `{"message":"bad gateway","code":502}`)
	f.Add(429, "application/json", `{"message":"Too many requests"}`)
	f.Add(503, "text/html", `<html><title>Service Unavailable</title><body>oops</body></html>`)
	f.Add(500, "", ``)
	f.Fuzz(func(t *testing.T, status int, ct, body string) {
		d := Parse(status, ct, []byte(body))
		s := d.Summary()
		if d.HTML && strings.Contains(s, "<body") {
			t.Errorf("summary dumps HTML: %q", s)
		}
	})
}
