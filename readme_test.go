package airbyte_test

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEQuickstartIsTheExample keeps the README's quickstart block
// identical to the body of Example, which is compiled and run.
func TestREADMEQuickstartIsTheExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Quickstart\n\n```go\n")
	block, _, ok2 := strings.Cut(section, "```")
	if !ok || !ok2 {
		t.Fatal("README.md has no ```go block right under ## Quickstart")
	}
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(src), "\t// README quickstart begin\n")
	body, _, ok2 := strings.Cut(rest, "\t// README quickstart end\n")
	if !ok || !ok2 {
		t.Fatal("example_test.go lacks the README quickstart markers")
	}
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		lines = append(lines, strings.TrimPrefix(l, "\t"))
	}
	if want := strings.Join(lines, "\n"); block != want {
		t.Errorf("README quickstart differs from Example in example_test.go.\nREADME:\n%s\nExample:\n%s", block, want)
	}
}
