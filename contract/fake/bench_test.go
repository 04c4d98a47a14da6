package fake_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/contract/fake"
)

// benchEnv is a fake with a token and a workspace, served in process.
func benchEnv(b *testing.B) (*fake.Server, string) {
	b.Helper()
	f, err := fake.New(fake.Options{})
	if err != nil {
		b.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"client_id": f.ClientID(), "client_secret": f.ClientSecret()})
	req := httptest.NewRequest(http.MethodPost, fake.BasePath+"/applications/token", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	f.ServeHTTP(rec, req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
		b.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	return f, tok.AccessToken
}

// BenchmarkGetWorkspace measures one authorized GET through the whole
// fake: routing, request and response validation, state.
func BenchmarkGetWorkspace(b *testing.B) {
	f, tok := benchEnv(b)
	path := fake.BasePath + "/workspaces/" + f.DefaultWorkspaceID()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkCreateSource measures one authorized POST that stores a
// resource.
func BenchmarkCreateSource(b *testing.B) {
	f, tok := benchEnv(b)
	body, _ := json.Marshal(map[string]any{"name": "bench", "workspaceId": f.DefaultWorkspaceID(),
		"configuration": map[string]any{"sourceType": "faker", "count": 10}})
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, fake.BasePath+"/sources", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkGetLastOfManyConnections reads the last of 10,000 stored
// connections: lookups by ID must not scan.
func BenchmarkGetLastOfManyConnections(b *testing.B) {
	f, tok := benchEnv(b)
	send := func(method, path string, in any) map[string]any {
		var rd *bytes.Reader
		if in != nil {
			data, _ := json.Marshal(in)
			rd = bytes.NewReader(data)
		} else {
			rd = bytes.NewReader(nil)
		}
		req := httptest.NewRequest(method, fake.BasePath+path, rd)
		if in != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s %s: status %d: %s", method, path, rec.Code, rec.Body)
		}
		var out map[string]any
		json.Unmarshal(rec.Body.Bytes(), &out)
		return out
	}
	ws := f.DefaultWorkspaceID()
	src := send("POST", "/sources", map[string]any{"name": "s", "workspaceId": ws, "configuration": map[string]any{"sourceType": "postgres"}})
	dst := send("POST", "/destinations", map[string]any{"name": "d", "workspaceId": ws, "configuration": map[string]any{"destinationType": "bigquery"}})
	var last string
	for range 10_000 {
		last = send("POST", "/connections", map[string]any{"sourceId": src["sourceId"], "destinationId": dst["destinationId"]})["connectionId"].(string)
	}
	b.ResetTimer()
	for b.Loop() {
		send("GET", "/connections/"+last, nil)
	}
}
