package contract_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/generated"
)

func tokenClient(t *testing.T, h *contract.Harness, base string) *generated.ClientWithResponses {
	t.Helper()
	c, err := generated.NewClientWithResponses(base, generated.WithHTTPClient(h.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHarnessAnswersTokenExchange(t *testing.T) {
	t.Parallel()
	for _, base := range []string{contract.CloudBaseURL, contract.SelfManagedBaseURL} {
		t.Run(base, func(t *testing.T) {
			t.Parallel()
			h := contract.New(t)
			c := tokenClient(t, h, base)
			resp, err := c.CreateAccessTokenWithResponse(t.Context(), generated.CreateAccessTokenJSONRequestBody{ClientId: "id", ClientSecret: "s"})
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil || resp.JSON200.AccessToken == "" {
				t.Fatalf("status = %d, JSON200 = %v; want 200 with a token", resp.StatusCode(), resp.JSON200)
			}
			if got := h.Calls("createAccessToken"); got != 1 {
				t.Errorf("Calls(createAccessToken) = %d; want 1", got)
			}
		})
	}
}

func TestHarnessReportsViolations(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		method string
		url    string
		body   string
		header map[string]string
		reply  *contract.Reply
		want   string
	}{
		{name: "unknown path", method: "GET", url: contract.CloudBaseURL + "/nowhere", want: "no operation"},
		{name: "missing required field", method: "POST", url: contract.CloudBaseURL + "/applications/token", body: `{"client_id":"x"}`, header: map[string]string{"Content-Type": "application/json"}, want: "client_secret"},
		{name: "wrong enum", method: "POST", url: contract.CloudBaseURL + "/applications/token", body: `{"client_id":"x","client_secret":"y","grant-type":"password"}`, header: map[string]string{"Content-Type": "application/json"}, want: "grant-type"},
		{name: "undeclared query parameter", method: "POST", url: contract.CloudBaseURL + "/applications/token?debug=1", body: `{"client_id":"x","client_secret":"y"}`, header: map[string]string{"Content-Type": "application/json"}, want: `"debug"`},
		{name: "wrong content type", method: "POST", url: contract.CloudBaseURL + "/applications/token", body: `client_id=x`, header: map[string]string{"Content-Type": "text/plain"}, want: "Content-Type"},
		{name: "form token body without secret", method: "POST", url: contract.CloudBaseURL + "/applications/token", body: `client_id=x`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, want: "client_secret"},
		{name: "comma-joined array with a bad item", method: "GET", url: contract.CloudBaseURL + "/sources?workspaceIds=2f6a8d14-c7e3-4b91-9a05-d8e2b3f47c16,nope", header: map[string]string{"Authorization": "Bearer t"}, want: "uuid"},
		{name: "response missing required field", method: "POST", url: contract.CloudBaseURL + "/applications/token", body: `{"client_id":"x","client_secret":"y"}`, header: map[string]string{"Content-Type": "application/json"}, reply: &contract.Reply{Body: map[string]any{"token_type": "Bearer"}}, want: "access_token"},
		{name: "response wrong type", method: "POST", url: contract.CloudBaseURL + "/applications/token", body: `{"client_id":"x","client_secret":"y"}`, header: map[string]string{"Content-Type": "application/json"}, reply: &contract.Reply{Body: map[string]any{"access_token": 42}}, want: "access_token"},
		{name: "bad uuid", method: "GET", url: contract.CloudBaseURL + "/sources/not-a-uuid", header: map[string]string{"Authorization": "Bearer t"}, want: "sourceId"},
		{name: "missing bearer token", method: "GET", url: contract.CloudBaseURL + "/sources", want: "bearer token"},
		{name: "GET with a body", method: "GET", url: contract.CloudBaseURL + "/health", body: `{"x":1}`, header: map[string]string{"Content-Type": "application/json"}, want: "GET request has a body"},
		{name: "undeclared status", method: "POST", url: contract.CloudBaseURL + "/applications/token", body: `{"client_id":"x","client_secret":"y"}`, header: map[string]string{"Content-Type": "application/json"}, reply: &contract.Reply{Status: 201, Body: map[string]any{"access_token": "t"}}, want: "201"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := contract.New(t)
			if tc.reply != nil {
				h.Reply("createAccessToken", *tc.reply)
			}
			req, err := http.NewRequestWithContext(context.Background(), tc.method, tc.url, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			resp, err := h.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := h.TakeViolations()
			if len(got) == 0 {
				t.Fatalf("no violation reported; want one mentioning %s", tc.want)
			}
			var all []string
			for _, v := range got {
				all = append(all, v.Error())
			}
			if joined := strings.Join(all, "\n"); !strings.Contains(joined, tc.want) {
				t.Errorf("violations = %q; want one mentioning %s", joined, tc.want)
			}
		})
	}
}

// TestHarnessAcceptsAuthorizationOnAnonymousOperations: security: [] makes
// a token optional, so a client that always sends one is not wrong.
func TestHarnessAcceptsAuthorizationOnAnonymousOperations(t *testing.T) {
	t.Parallel()
	h := contract.New(t)
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/health", ""},
		{"POST", "/applications/token", `{"client_id":"x","client_secret":"y"}`},
	} {
		req, err := http.NewRequestWithContext(t.Context(), r.method, contract.CloudBaseURL+r.path, strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer t")
		if r.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := h.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s %s: status %d; want 200", r.method, r.path, resp.StatusCode)
		}
	}
	// The cleanup reports any violation.
}

func TestHarnessRequestsCanBeReadTwice(t *testing.T) {
	t.Parallel()
	h := contract.New(t)
	const body = `{"client_id":"x","client_secret":"y"}`
	req, _ := http.NewRequestWithContext(t.Context(), "POST", contract.CloudBaseURL+"/applications/token", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	read := func(r *http.Request) string {
		t.Helper()
		data, err := io.ReadAll(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	for i := range 2 {
		reqs := h.Requests()
		if len(reqs) != 1 {
			t.Fatalf("Requests() = %d requests; want 1", len(reqs))
		}
		if got := read(reqs[0]); got != body {
			t.Errorf("read %d: body = %q; want %q", i+1, got, body)
		}
		if got := read(reqs[0]); got != "" {
			t.Errorf("read %d again: body = %q; a copy's reader is used up like any other", i+1, got)
		}
		b, err := reqs[0].GetBody()
		if err != nil {
			t.Fatal(err)
		}
		if data, _ := io.ReadAll(b); string(data) != body {
			t.Errorf("GetBody = %q; want %q", data, body)
		}
	}
}

// TestHarnessProblemForErrorStatus: an error status without a body of the
// caller's or the spec's is answered with a problem such as the API sends,
// which the harness's own response validation accepts.
func TestHarnessProblemForErrorStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		slug   string
	}{
		{400, "bad-request"},
		{401, "unauthorized"},
		{403, "forbidden"},
		{404, "resource-not-found"},
		{409, "conflict"},
		{422, "unprocessable-entity"},
		{429, "rate-limited"},
		{500, "internal-server-error"},
		{503, "service-unavailable"},
	}
	for _, tc := range cases {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			t.Parallel()
			h := contract.New(t)
			h.Reply("getSource", contract.Reply{Status: tc.status})
			req, _ := http.NewRequestWithContext(t.Context(), "GET", contract.CloudBaseURL+"/sources/2f6a8d14-c7e3-4b91-9a05-d8e2b3f47c16", nil)
			req.Header.Set("Authorization", "Bearer t")
			resp, err := h.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d; want %d", resp.StatusCode, tc.status)
			}
			var got map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{
				"type":   "https://reference.airbyte.com/reference/errors#" + tc.slug,
				"title":  tc.slug,
				"status": float64(tc.status),
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %v; want %v", k, got[k], v)
				}
			}
			if d, _ := got["detail"].(string); d == "" {
				t.Errorf("detail = %v; want a short text", got["detail"])
			}
			if len(got) != 4 {
				t.Errorf("body %v; want only type, title, status and detail", got)
			}
		})
	}
}

// TestHarnessUnescapesPathParameters: a percent-encoded path parameter is
// validated as its decoded value, and an escaped slash stays inside it.
func TestHarnessUnescapesPathParameters(t *testing.T) {
	t.Parallel()
	h := contract.New(t)
	for _, path := range []string{
		"/sources/%32f6a8d14-c7e3-4b91-9a05-d8e2b3f47c16",
		"/workspaces/2f6a8d14-c7e3-4b91-9a05-d8e2b3f47c16/oauthCredentials/source/google%20sheets%2Fv2",
	} {
		method := "GET"
		if strings.Contains(path, "oauthCredentials") {
			method = "DELETE"
		}
		req, err := http.NewRequestWithContext(t.Context(), method, contract.CloudBaseURL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer t")
		resp, err := h.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			t.Errorf("%s %s: status %d; want success", method, path, resp.StatusCode)
		}
	}
	if got := h.Calls("getSource") + h.Calls("deleteWorkspaceOAuthCredentials"); got != 2 {
		t.Errorf("calls routed = %d; want 2", got)
	}
}

// TestHarnessAcceptsSDKHabits replays what the official SDKs send and the
// server accepts: a form-encoded token body (the config API declares it:
// airbyte-config-api.yaml /public/v1/applications/token), an explicit
// "namespaceFormat": null, array filters repeated, and the same filters
// comma-joined as the server writes them in its own links
// (PaginationMapper.kt:122).
func TestHarnessAcceptsSDKHabits(t *testing.T) {
	t.Parallel()
	const ws1, ws2 = "2f6a8d14-c7e3-4b91-9a05-d8e2b3f47c16", "81d5f0b3-6a2e-4c97-8e14-b0f3a7c62d59"
	for _, r := range []struct{ name, method, path, ct, body string }{
		{"form token", "POST", "/applications/token", "application/x-www-form-urlencoded", "client_id=x&client_secret=y&grant-type=client_credentials"},
		{"null namespaceFormat", "POST", "/connections", "application/json",
			`{"sourceId":"` + ws1 + `","destinationId":"` + ws2 + `","namespaceFormat":null}`},
		{"repeated filter", "GET", "/sources?workspaceIds=" + ws1 + "&workspaceIds=" + ws2, "", ""},
		{"comma-joined filter", "GET", "/sources?workspaceIds=" + ws1 + "," + ws2, "", ""},
		{"escaped comma-joined filter", "GET", "/jobs?workspaceIds=" + ws1 + "%2C" + ws2, "", ""},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			h := contract.New(t)
			req, err := http.NewRequestWithContext(t.Context(), r.method, contract.CloudBaseURL+r.path, strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			if r.path != "/applications/token" {
				req.Header.Set("Authorization", "Bearer t")
			}
			if r.ct != "" {
				req.Header.Set("Content-Type", r.ct)
			}
			resp, err := h.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if v := h.TakeViolations(); len(v) != 0 {
				t.Errorf("violations = %v; want none", v)
			}
			if resp.StatusCode >= 300 {
				t.Errorf("status %d; want a success", resp.StatusCode)
			}
		})
	}
}
