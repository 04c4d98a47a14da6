package airbyte

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/seed83f33fd3/airbyte-go/auth"
	"github.com/seed83f33fd3/airbyte-go/generated"
)

// TestAPIErrorMasksWhatTheRequestCarried has a server echo the bearer
// token and the connector password of the request in every part of its
// error body; none of it may reach the error, its Body or the debug log.
func TestAPIErrorMasksWhatTheRequestCarried(t *testing.T) {
	t.Parallel()
	const password = `SENTINEL-PASS"with\quotes<&>`
	var stack strings.Builder
	for i := range 40 {
		fmt.Fprintf(&stack, "\n\tat io.example.Frame%d(Frame.kt:%d)", i, i)
	}
	for _, tc := range []struct {
		name string
		body func(token, password string) string
	}{
		{"problem", func(tok, pw string) string {
			return fmt.Sprintf(`{"type":"x","title":"bad-request","status":400,"detail":%q,"data":{"message":%q,"echo":%q}}`,
				"could not connect with "+pw+stack.String(), "token "+tok+" rejected", pw)
		}},
		{"HAL", func(tok, pw string) string {
			return fmt.Sprintf(`{"message":%q,"_embedded":{"errors":[{"message":%q}]}}`, "Bearer "+tok+" and "+pw, pw)
		}},
		{"secret across the cut of a long text", func(tok, pw string) string { return strings.Repeat("x", 190) + " " + pw + " " + tok }},
		{"plain text", func(tok, pw string) string {
			return "Authorization: Bearer " + tok + "\npassword=" + pw + stack.String()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(lockedWriter{&sync.Mutex{}, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
			for _, logBodies := range []bool{false, true} {
				opts := []Option{WithToken(sentinelToken), WithRetryPolicy(RetryPolicy{MaxAttempts: 1})}
				if logBodies {
					opts = append(opts, WithLogger(logger), WithBodyLogging())
				}
				c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
					tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
					jsonReply(w, 400, "application/json", tc.body(tok, password))
				}, opts...)
				_, err := c.API().CreateSourceWithResponse(t.Context(), generated.CreateSourceJSONRequestBody{
					Name: "pg", WorkspaceId: srcID,
					Configuration: map[string]any{"host": "db", "credentials": map[string]any{"auth_method": "basic", "password": password}},
				})
				var ae *APIError
				if !errors.As(err, &ae) {
					t.Fatalf("error %v; want an *APIError", err)
				}
				text := err.Error()
				if strings.ContainsAny(text, "\n\r\t") || len([]rune(text)) > maxErrorText {
					t.Errorf("Error() is not one short line (%d runes): %q", len([]rune(text)), text)
				}
				shown := []string{text, string(ae.Body), fmt.Sprint(ae.Data), ae.Detail, ae.Message, logs.String()}
				for _, s := range shown {
					for _, secret := range []string{"SENTINEL", `SENTINEL-PASS\"with`} {
						if strings.Contains(s, secret) {
							t.Errorf("log bodies %v: %q shows a secret of the request", logBodies, s)
						}
					}
				}
				if !strings.Contains(string(ae.Body), masked) {
					t.Errorf("Body %q has no mask where the secrets were", ae.Body)
				}
			}
		})
	}
}

// TestAPIErrorFormatsSafely prints an APIError, as a value and as a
// pointer, with every verb: the raw body never shows.
func TestAPIErrorFormatsSafely(t *testing.T) {
	t.Parallel()
	e := APIError{Operation: "GET /v1/sources/x", StatusCode: 404, Title: "resource-not-found", Body: []byte(`{"title":"resource-not-found","extra":"RAW-ONLY-7f"}`)}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("failed", "value", e, "pointer", &e)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("failed", "value", e, "pointer", &e)
	outputs := []string{logs.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%10.3v"} {
		outputs = append(outputs, fmt.Sprintf(verb, e), fmt.Sprintf(verb, &e))
	}
	for _, s := range outputs {
		if strings.Contains(s, "RAW-ONLY") || strings.Contains(s, "52 41 57") || strings.Contains(strings.ToLower(s), "5241572d4f4e4c59") {
			t.Errorf("a formatted APIError shows its raw body: %s", s)
		}
	}
	if got, want := fmt.Sprintf("%v", e), e.Error(); got != want || !strings.Contains(got, "404 Not Found: resource-not-found") {
		t.Errorf("%%v = %q; want Error() %q", got, want)
	}
	if got := fmt.Sprintf("%q", &e); got != fmt.Sprintf("%q", e.Error()) {
		t.Errorf("%%q = %s", got)
	}
}

// TestAPIErrorMasksBasicCredentials: with HTTP basic credentials, an
// answer that echoes the password (decoded) or the encoded header masks
// both.
func TestAPIErrorMasksBasicCredentials(t *testing.T) {
	t.Parallel()
	const password = "SENTINEL-BASIC-77c2"
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		user, pw, _ := r.BasicAuth()
		jsonReply(w, 401, "application/json", fmt.Sprintf(`{"message":"user %s with password %s refused (%s)"}`, user, pw, r.Header.Get("Authorization")))
	}, WithTokenSource(auth.BasicAuth("admin", password)))
	_, err := c.Workspaces.List(t.Context(), nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 {
		t.Fatalf("error = %v; want the 401", err)
	}
	encoded := base64.StdEncoding.EncodeToString([]byte("admin:" + password))
	for _, s := range []string{err.Error(), ae.Message, string(ae.Body)} {
		if strings.Contains(s, password) || strings.Contains(s, encoded) {
			t.Errorf("%q shows the basic credentials", s)
		}
	}
}

// TestAPIErrorPrintsNoControlCharacters: a server's terminal escapes and
// NUL bytes do not reach Error().
func TestAPIErrorPrintsNoControlCharacters(t *testing.T) {
	t.Parallel()
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		jsonReply(w, 400, "application/json", `{"title":"bad-request","detail":"\u001b[2J\u001b[31mred\u0000alert\u0007"}`)
	}, WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	_, err := c.Workspaces.List(t.Context(), nil)
	if err == nil || strings.IndexFunc(err.Error(), unicode.IsControl) >= 0 || !strings.Contains(err.Error(), "[31mred alert") {
		t.Errorf("Error() = %q; want the text without control characters", err)
	}
}

// TestAPIErrorKeepsTheErrorIDOfALongAnswer: the summary is cut to keep
// Error() short, the errorId support asks for never is.
func TestAPIErrorKeepsTheErrorIDOfALongAnswer(t *testing.T) {
	t.Parallel()
	const id = "5b7e0c2d-8a41-4f96-b3d0-7c9e1a2f4d68"
	e := apiErrorFrom(http.MethodGet, nil, 500, http.Header{}, []byte(`{"title":"internal","detail":"`+strings.Repeat("word ", 300)+`","errorId":"`+id+`"}`), time.Now(), nil)
	text := e.Error()
	if !strings.HasSuffix(text, "(errorId "+id+")") || len([]rune(text)) > maxErrorText || !strings.Contains(text, "…") {
		t.Errorf("Error() = %q; want the summary cut and the errorId kept", text)
	}
}
