package redact

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestIsSecretKey(t *testing.T) {
	for k, want := range map[string]bool{
		"password": true, "Password": true, "client_secret": true, "clientSecret": true, "api_key": true,
		"access_token": true, "credentials": true, "Authorization": true, "private_key": true,
		"host": false, "port": false, "username": false, "database": false, "schema": false,
	} {
		if got := IsSecretKey(k); got != want {
			t.Errorf("IsSecretKey(%q) = %v, want %v", k, got, want)
		}
	}
}

func TestValueMasksAtAnyDepth(t *testing.T) {
	var in any
	if err := json.Unmarshal([]byte(`{"host":"db","password":"p1","tunnel":{"ssh_key":"p2","hops":[{"user":"u","passphrase_secret":"p3"},["x",{"token":"p4"}]]},"note":"echo S3CR3T here","S3CR3T":"k"}`), &in); err != nil {
		t.Fatal(err)
	}
	out := Value(in, Masked, func(s string) string { return strings.ReplaceAll(s, "S3CR3T", "[redacted]") })
	b, _ := json.Marshal(out)
	got := string(b)
	for _, leak := range []string{"p1", "p2", "p3", "p4", "S3CR3T"} {
		if strings.Contains(got, `"`+leak+`"`) || strings.Contains(got, leak) {
			t.Errorf("%q survived: %s", leak, got)
		}
	}
	for _, keep := range []string{`"host":"db"`, `"user":"u"`, `"x"`, `echo [redacted] here`} {
		if !strings.Contains(got, keep) {
			t.Errorf("lost %s: %s", keep, got)
		}
	}
	// The input is not modified.
	if in.(map[string]any)["password"] != "p1" {
		t.Error("Value modified its input")
	}
	if Map(nil, Masked, nil) != nil {
		t.Error("Map(nil) is not nil")
	}
}

// TestGuessCoversConnectorSecrets checks the key-name guess, used where no
// connector schema is known, on the secret fields real connectors have
// that it once let through.
func TestGuessCoversConnectorSecrets(t *testing.T) {
	in := map[string]any{
		"passphrase": "p-one", "pwd": "p-two", "sasl_jaas_config": `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p-three";`,
		"jdbc_url_params": "ssl=true&password=p-four", "connection_string": "Server=db;Password=p-five;",
		"host": "db.internal", "url": "postgres://reader:p-six@db.internal:5432/sales",
		"notes": "retry with pwd=p-seven later", "database": "sales",
	}
	b, _ := json.Marshal(Map(in, Masked, nil))
	got := string(b)
	for _, leak := range []string{"p-one", "p-two", "p-three", "p-four", "p-five", "p-six", "p-seven"} {
		if strings.Contains(got, leak) {
			t.Errorf("%q survived: %s", leak, got)
		}
	}
	for _, keep := range []string{`"host":"db.internal"`, `"database":"sales"`, `postgres://reader:**********@db.internal:5432/sales`, `retry with pwd=********** later`} {
		if !strings.Contains(got, keep) {
			t.Errorf("lost %s: %s", keep, got)
		}
	}
	for _, s := range []string{"plain text", "a@b.c", "x=1&y=2", "https://example.com/path?q=1"} {
		if Inline(s) != s {
			t.Errorf("Inline(%q) = %q; want it unchanged", s, Inline(s))
		}
	}
}
