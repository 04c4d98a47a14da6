package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestQuickstartAgainstFake(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), &out, func(string) string { return "" }, false); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"built-in fake", "Default Workspace", "Created connection", "Sync succeeded", "Deleted the source"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("transcript lacks %q:\n%s", want, out.String())
		}
	}
}

func TestQuickstartBadSettings(t *testing.T) {
	env := map[string]string{"AIRBYTE_CLIENT_ID": "id"}
	var out bytes.Buffer
	err := run(t.Context(), &out, func(k string) string { return env[k] }, false)
	if err == nil || !strings.Contains(err.Error(), "AIRBYTE_CLIENT_SECRET") {
		t.Errorf("error = %v; want one line naming AIRBYTE_CLIENT_SECRET", err)
	}
}
