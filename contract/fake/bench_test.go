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

// BenchmarkCreateTag measures one authorized POST that stores a resource.
func BenchmarkCreateTag(b *testing.B) {
	f, tok := benchEnv(b)
	ws := f.DefaultWorkspaceID()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		body, _ := json.Marshal(map[string]any{"name": "t" + string(rune('a'+i%26)) + string(rune(i)), "color": "FF8800", "workspaceId": ws})
		req := httptest.NewRequest(http.MethodPost, fake.BasePath+"/tags", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
