// Command airbyte-drift compares openapi/airbyte.yaml with the OpenAPI
// document Airbyte publishes and fails on any difference that
// openapi/DEVIATIONS.md does not explain, or on an explanation that no
// longer matches anything.
//
// Usage:
//
//	go run ./cmd/airbyte-drift [-upstream ../shared/upstream/airbyte-api.yaml] [-deviations FILE] [-v]
//
// The upstream document is read, never copied. Where it is absent the
// command says so and exits 0, so the check can run on every machine.
// Exit status: 0 no drift (or skipped), 1 unexplained or stale entries,
// 2 the inputs could not be read.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/seed83f33fd3/airbyte-go/internal/drift"
	"github.com/seed83f33fd3/airbyte-go/openapi"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("airbyte-drift", flag.ContinueOnError)
	flags.SetOutput(stderr)
	upstream := flags.String("upstream", "../shared/upstream/airbyte-api.yaml", "path of Airbyte's published OpenAPI document")
	deviations := flags.String("deviations", "", "path of the deviations list (default: the openapi package's embedded DEVIATIONS.md)")
	verbose := flags.Bool("v", false, "list every deviation with the differences it explains")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "airbyte-drift: unexpected arguments %q\n", flags.Args())
		return 2
	}

	up, err := os.ReadFile(*upstream)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stdout, "drift: skipped: no upstream reference at %s\n", *upstream)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "airbyte-drift: %v\n", err)
		return 2
	}
	devs := openapi.Deviations()
	if *deviations != "" {
		if devs, err = os.ReadFile(*deviations); err != nil {
			fmt.Fprintf(stderr, "airbyte-drift: %v\n", err)
			return 2
		}
	}
	report, err := drift.Run(up, devs)
	if err != nil {
		fmt.Fprintf(stderr, "airbyte-drift: %v\n", err)
		return 2
	}
	report.Write(stdout, *verbose)
	if !report.OK() {
		return 1
	}
	return 0
}
