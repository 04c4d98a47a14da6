package airbyte

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocsNameTheServersSurprises checks that the package documentation
// and the README warn about what a real server does differently from its
// documents, each with the server file and line it comes from.
func TestDocsNameTheServersSurprises(t *testing.T) {
	t.Parallel()
	cite := regexp.MustCompile(`[A-Za-z]+\.(kt|yml):\d+`)
	for _, file := range []string{"doc.go", "README.md"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, fact := range []struct{ words, cite string }{
			{"403", "RoleResolver.kt:237"},
			{"value-not-found", "SourcesController.kt:72"},
			{"errorId", "IdNotFoundExceptionHandler.kt:40"},
			{"data.message", "RoleResolver.kt:241"},
			{"oldest", "JobsHelper.kt:16"},
			{"AIRBYTE_API_HOST", "application.yml:487"},
			{"incomplete", "JobStatus.kt:21"},
		} {
			if !strings.Contains(text, fact.words) || !strings.Contains(text, fact.cite) {
				t.Errorf("%s: says nothing of %q with its source %s", file, fact.words, fact.cite)
			}
		}
		if n := len(cite.FindAllString(text, -1)); n < 7 {
			t.Errorf("%s: %d server citations; want one per surprise", file, n)
		}
	}
}
