package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/openapi"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	self := write("self.yaml", openapi.Spec())
	renamed := write("renamed.yaml", bytes.Replace(openapi.Spec(), []byte("name: includeDeleted"), []byte("name: includeRemoved"), 1))
	none := write("none.md", []byte("# nothing deviates\n"))
	stale := write("stale.md", []byte("- `api-tag-added` `*` `*`: no longer true\n"))
	bad := write("bad.md", []byte("- `only-a-rule`\n"))

	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"absent upstream", []string{"-upstream", filepath.Join(dir, "missing.yaml")}, 0, "drift: skipped: no upstream reference at "},
		{"no drift", []string{"-upstream", self, "-deviations", none}, 0, "0 differences from upstream"},
		{"unexplained", []string{"-upstream", renamed, "-deviations", none}, 1, "Unexplained differences"},
		{"stale", []string{"-upstream", self, "-deviations", stale}, 1, "Stale deviations"},
		{"malformed deviations", []string{"-upstream", self, "-deviations", bad}, 2, "line 1"},
		{"unreadable deviations", []string{"-upstream", self, "-deviations", filepath.Join(dir, "nope.md")}, 2, "nope.md"},
		{"bad flag", []string{"-nope"}, 2, "flag provided but not defined"},
		{"stray argument", []string{"extra"}, 2, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			if got := stdout.String() + stderr.String(); !strings.Contains(got, tt.out) {
				t.Errorf("output lacks %q:\n%s", tt.out, got)
			}
		})
	}
}
