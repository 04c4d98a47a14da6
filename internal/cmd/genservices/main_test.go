package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMethodName(t *testing.T) {
	t.Parallel()
	cases := []struct{ id, tag, want string }{
		{"createSource", "Sources", "Create"},
		{"listSources", "Sources", "List"},
		{"getSourceDefinition", "SourceDefinitions", "Get"},
		{"addGroupMember", "Groups", "AddMember"},
		{"listGroupMembers", "Groups", "ListMembers"},
		{"cancelJob", "Jobs", "Cancel"},
		{"initiateOAuth", "OAuth", "Initiate"},
		{"oauthCallback", "OAuth", "Callback"},
		{"createAccessToken", "Applications", "CreateAccessToken"},
		{"putSource", "Sources", "Replace"},
		{"listUsersWithinAnOrganization", "Users", "List"},
	}
	for _, tc := range cases {
		if got := methodName(tc.id, tc.tag); got != tc.want {
			t.Errorf("methodName(%q, %q) = %q; want %q", tc.id, tc.tag, got, tc.want)
		}
	}
}

func TestThirdPerson(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"Create a source", "creates a source"},
		{"List jobs", "lists jobs"},
		{"Cancel a job", "cancels a job"},
		{"Exchange client credentials for an access token", "exchanges client credentials for an access token"},
		{"Check that the API is up", "checks that the API is up"},
		{"Replace a source", "replaces a source"},
	}
	for _, tc := range cases {
		if got := thirdPerson(tc.in); got != tc.want {
			t.Errorf("thirdPerson(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestGoIdent(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"sourceId", "sourceID"}, {"workspaceIds", "workspaceIDs"}, {"name", "name"}, {"actorType", "actorType"},
	}
	for _, tc := range cases {
		if got := goIdent(tc.in); got != tc.want {
			t.Errorf("goIdent(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// TestCommittedOutputIsCurrent runs the generator on a copy of the module's
// inputs and compares what it writes with the committed files.
func TestCommittedOutputIsCurrent(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..", "..")
	dir := t.TempDir()
	for _, f := range []string{"openapi/airbyte.yaml", "generated/cfg.yaml"} {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range outputs {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is stale: run go generate ./... (never edit it by hand)", f)
		}
		if !strings.HasPrefix(string(got), "// Code generated ") || !strings.Contains(strings.SplitN(string(got), "\n", 2)[0], "DO NOT EDIT.") {
			t.Errorf("%s lacks the generated-code header", f)
		}
	}
}

func TestWrap(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 40)
	for _, l := range strings.Split(wrap(long), "\n") {
		if len(l) > 76 || l == "" {
			t.Errorf("wrap gave line %q (%d characters); want 1 to 76", l, len(l))
		}
	}
	if got := wrap("a  short\ttext"); got != "a short text" {
		t.Errorf("wrap = %q; want %q", got, "a short text")
	}
}
