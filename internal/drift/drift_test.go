package drift

import (
	"bytes"
	"strings"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/openapi"
)

// upstreamLike has the two defects that stop kin-openapi from loading the
// published document: a 3.1.0 header and references to components that do
// not exist.
const upstreamLike = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
      - {name: id, in: path, required: true, schema: {type: string, format: UUID}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
        "403": {$ref: '#/components/responses/AlsoMissing'}
`

func TestLoadUpstreamRepairsHeaderAndDanglingRefs(t *testing.T) {
	doc, err := LoadUpstream([]byte(upstreamLike))
	if err != nil {
		t.Fatalf("LoadUpstream: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("OpenAPI = %q, want 3.0.3", doc.OpenAPI)
	}
	if doc.Components.Schemas["Missing"] == nil {
		t.Error("no placeholder for the dangling schema reference")
	}
	if doc.Components.Responses["AlsoMissing"] == nil {
		t.Error("no placeholder for the dangling response reference")
	}
	op := doc.Paths.Find("/things/{id}").Get
	if op.Responses.Value("200").Value.Content.Get("application/json").Schema.Value == nil {
		t.Error("the reference to the placeholder is not resolved")
	}
}

func TestLoadUpstreamErrors(t *testing.T) {
	for name, in := range map[string]string{
		"empty":      "",
		"not yaml":   "openapi: [unclosed",
		"not a spec": "paths: 3",
	} {
		if _, err := LoadUpstream([]byte(in)); err == nil {
			t.Errorf("%s: LoadUpstream succeeded", name)
		}
	}
}

func TestParseDeviations(t *testing.T) {
	md := "# Title\n\nProse with a `code` span.\n\n" +
		"- `rule-a` `GET /x/*` `*from UUID to uuid`: lowercase formats\n" +
		"* not a deviation bullet\n" +
		"- `rule-b` `components` `*`: because\r\n"
	devs, err := ParseDeviations([]byte(md))
	if err != nil {
		t.Fatalf("ParseDeviations: %v", err)
	}
	if len(devs) != 2 {
		t.Fatalf("got %d deviations, want 2: %+v", len(devs), devs)
	}
	if d := devs[0]; d.Rule != "rule-a" || d.Where != "GET /x/*" || d.Text != "*from UUID to uuid" || d.Reason != "lowercase formats" || d.Line != 5 {
		t.Errorf("first deviation = %+v", d)
	}
	if devs[1].Line != 7 || devs[1].Reason != "because" {
		t.Errorf("second deviation = %+v", devs[1])
	}

	for name, bad := range map[string]string{
		"malformed": "- `rule` `where`: two fields only\n",
		"no reason": "- `rule` `where` `text`:   \n",
	} {
		_, err := ParseDeviations([]byte("intro\n" + bad))
		if err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%s: error %v, want one naming line 2", name, err)
		}
	}
}

func TestEmbeddedDeviationsParse(t *testing.T) {
	devs, err := ParseDeviations(openapi.Deviations())
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) < 20 {
		t.Errorf("only %d deviations parsed from DEVIATIONS.md", len(devs))
	}
}

func TestMatches(t *testing.T) {
	f := Finding{Rule: "request-parameter-type-changed", Where: "GET /jobs/{jobId}", Text: "for the `path` request parameter `jobId`, the `format` was changed from `UUID` to `uuid`"}
	tests := []struct {
		d    Deviation
		want bool
	}{
		{Deviation{Rule: f.Rule, Where: "*", Text: "*"}, true},
		{Deviation{Rule: f.Rule, Where: "GET /jobs/*", Text: "*from UUID to uuid"}, true},
		{Deviation{Rule: f.Rule, Where: "GET /jobs/{jobId}", Text: "for the path request parameter jobId, the format was changed from UUID to uuid"}, true},
		{Deviation{Rule: "other-rule", Where: "*", Text: "*"}, false},
		{Deviation{Rule: f.Rule, Where: "GET /jobs", Text: "*"}, false},          // anchored
		{Deviation{Rule: f.Rule, Where: "*", Text: "*from uuid to UUID"}, false}, // case matters
		{Deviation{Rule: f.Rule, Where: "GET /jobs/.jobId.", Text: "*"}, false},  // dots are literal
	}
	for _, tt := range tests {
		if got := tt.d.Matches(f); got != tt.want {
			t.Errorf("%q %q %q matches = %v, want %v", tt.d.Rule, tt.d.Where, tt.d.Text, got, tt.want)
		}
	}
}

func TestCheckReportsUnexplainedAndStale(t *testing.T) {
	findings := []Finding{
		{Rule: "r1", Where: "GET /a", Text: "one"},
		{Rule: "r1", Where: "GET /b", Text: "two"},
		{Rule: "r2", Where: "GET /a", Text: "three"},
	}
	devs, err := ParseDeviations([]byte("- `r1` `*` `*`: first\n- `r1` `GET /b` `*`: shadowed by the first\n- `r9` `*` `*`: matches nothing\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := Check(findings, devs)
	if r.OK() {
		t.Fatal("report is OK with an unexplained finding and stale deviations")
	}
	if len(r.Explained[0]) != 2 {
		t.Errorf("first deviation explains %d findings, want 2", len(r.Explained[0]))
	}
	if len(r.Unexplained) != 1 || r.Unexplained[0].Rule != "r2" {
		t.Errorf("unexplained = %+v, want the r2 finding", r.Unexplained)
	}
	if len(r.Stale) != 2 || r.Stale[0].Line != 2 || r.Stale[1].Line != 3 {
		t.Errorf("stale = %+v, want lines 2 and 3", r.Stale)
	}
	var out bytes.Buffer
	r.Write(&out, true)
	for _, want := range []string{
		"3 differences from upstream, 2 explained by 3 deviations, 1 unexplained, 2 stale",
		"- `r2` `GET /a` `three`: <reason>",
		"- line 3: `r9` `*` `*`",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestCompareFindsOperationChanges(t *testing.T) {
	up, err := LoadUpstream([]byte(upstreamLike))
	if err != nil {
		t.Fatal(err)
	}
	ours, err := LoadUpstream([]byte(strings.Replace(upstreamLike, "format: UUID", "format: uuid", 1)))
	if err != nil {
		t.Fatal(err)
	}
	findings, err := Compare(up, ours)
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 1 {
		t.Fatalf("got %d findings, want 1: %+v", len(findings), findings)
	}
	f := findings[0]
	if f.Rule != "request-parameter-type-changed" || f.Where != "GET /things/{id}" || !strings.Contains(f.Text, "`UUID` to `uuid`") {
		t.Errorf("finding = %+v", f)
	}
}

func TestRunAgainstOurOwnDocument(t *testing.T) {
	// Our document compared with itself has no differences, so an empty
	// deviations list is enough.
	r, err := Run(openapi.Spec(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || len(r.Findings) != 0 {
		t.Fatalf("self-comparison: %d findings, %d unexplained", len(r.Findings), len(r.Unexplained))
	}

	// An upstream that names a query parameter differently is drift, named
	// by operation.
	mutated := bytes.Replace(openapi.Spec(), []byte("name: includeDeleted"), []byte("name: includeRemoved"), 1)
	if bytes.Equal(mutated, openapi.Spec()) {
		t.Fatal("the mutation did not apply")
	}
	r, err = Run(mutated, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() {
		t.Fatal("a renamed parameter was not reported")
	}
	var out bytes.Buffer
	r.Write(&out, false)
	if !strings.Contains(out.String(), "includeDeleted") || !strings.Contains(out.String(), "GET /") {
		t.Errorf("report does not name the operation and parameter:\n%s", out.String())
	}
}
