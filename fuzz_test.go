package airbyte

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/generated"
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
