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
