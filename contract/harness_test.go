package contract_test

import (
	"context"
	"net/http"
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
		{name: "wrong content type", method: "POST", url: contract.CloudBaseURL + "/applications/token", body: `client_id=x`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, want: "Content-Type"},
		{name: "response missing required field", method: "POST", url: contract.CloudBaseURL + "/applications/token", body: `{"client_id":"x","client_secret":"y"}`, header: map[string]string{"Content-Type": "application/json"}, reply: &contract.Reply{Body: map[string]any{"token_type": "Bearer"}}, want: "access_token"},
		{name: "response wrong type", method: "POST", url: contract.CloudBaseURL + "/applications/token", body: `{"client_id":"x","client_secret":"y"}`, header: map[string]string{"Content-Type": "application/json"}, reply: &contract.Reply{Body: map[string]any{"access_token": 42}}, want: "access_token"},
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
