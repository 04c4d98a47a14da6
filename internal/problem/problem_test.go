package problem

import "testing"

func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, ct, body string
		wantStatus     int
		wantSummary    string
		wantHTML       bool
	}{
		{"problem", "application/json", `{"type":"https://reference.airbyte.com/reference/errors#resource-not-found","title":"resource-not-found","status":404,"detail":"Could not find a source","documentationUrl":null,"data":{"id":"x"}}`, 404, "resource-not-found: Could not find a source", false},
		{"problem+json nulls", "application/problem+json", `{"type":"error:bad","title":"Bad","status":400,"detail":null,"data":null}`, 400, "Bad", false},
		{"status as string", "application/json", `{"title":"Conflict","status":"409"}`, 409, "Conflict", false},
		{"about:blank", "application/json", `{"type":"about:blank","status":500}`, 500, "", false},
		{"HAL", "application/json", `{"message":"Unauthorized","_links":{"self":{"href":"/api"}},"_embedded":{"errors":[{"message":"Token expired"}]}}`, 0, "Unauthorized: Token expired", false},
		{"gateway", "application/json", `{"message":"upstream connect error","code":"UPSTREAM_ERROR"}`, 0, "upstream connect error: code UPSTREAM_ERROR", false},
		{"gateway numeric code", "application/json", `{"message":"bad gateway","code":502}`, 0, "bad gateway: code 502", false},
		{"429 message", "application/json", `{"message":"Too many requests"}`, 0, "Too many requests", false},
		{"empty", "", ``, 0, "", false},
		{"html", "text/html", "<html><head><title>502 Bad\n Gateway</title></head><body>nginx</body></html>", 0, "HTML page: 502 Bad Gateway", true},
		{"plain text", "text/plain", "service unavailable\nmore", 0, "service unavailable", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := Parse(0, tc.ct, []byte(tc.body))
			if d.Status != tc.wantStatus {
				t.Errorf("Status = %d; want %d", d.Status, tc.wantStatus)
			}
			if got := d.Summary(); got != tc.wantSummary {
				t.Errorf("Summary() = %q; want %q", got, tc.wantSummary)
			}
			if d.HTML != tc.wantHTML {
				t.Errorf("HTML = %v; want %v", d.HTML, tc.wantHTML)
			}
		})
	}
}
