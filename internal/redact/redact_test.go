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
