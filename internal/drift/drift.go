// Package drift compares our OpenAPI description (package openapi) with the
// one Airbyte publishes and checks every difference against the explained
// list in openapi/DEVIATIONS.md. It backs cmd/airbyte-drift and `make drift`.
//
// The upstream document is only read, never stored: it is patched in memory
// (3.1.0 header, dangling references) so that kin-openapi can load it, then
// diffed with oasdiff's change checker at every level (INFO and up).
package drift

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
	"github.com/seed83f33fd3/airbyte-go/openapi"
	yaml "go.yaml.in/yaml/v3"
)

// A Finding is one difference between the upstream document (the base) and
// ours (the revision), as oasdiff's checker reports it.
type Finding struct {
	Rule  string // oasdiff rule id, e.g. "response-property-became-required"
	Where string // "METHOD /path" for an operation, or "components" / the section for others
	Text  string // oasdiff's one-line text of the change, without colours
	Level string // "info", "warning" or "error"
}

// String renders f as the Markdown bullet head DEVIATIONS.md uses for it.
func (f Finding) String() string {
	return fmt.Sprintf("`%s` `%s` %s", f.Rule, f.Where, f.Text)
}

// LoadUpstream parses Airbyte's published document, repairing only what
// stops kin-openapi from loading it: the 3.1.0 version header (its content is
// 3.0) and references to components it never defines, which are added as
// empty placeholders so that the diff reports what we put in their place.
func LoadUpstream(data []byte) (*openapi3.T, error) {
	var root map[string]any
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("drift: parsing upstream document: %w", err)
	}
	if root == nil {
		return nil, fmt.Errorf("drift: upstream document is empty")
	}
	if v, _ := root["openapi"].(string); strings.HasPrefix(v, "3.1") {
		root["openapi"] = "3.0.3"
	}
	addMissingComponents(root)
	js, err := json.Marshal(root)
	if err != nil {
		return nil, fmt.Errorf("drift: re-encoding upstream document: %w", err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(js)
	if err != nil {
		return nil, fmt.Errorf("drift: loading upstream document: %w", err)
	}
	return doc, nil
}

// addMissingComponents adds a placeholder for every local component
// reference whose target does not exist.
func addMissingComponents(root map[string]any) {
	comps, _ := root["components"].(map[string]any)
	if comps == nil {
		comps = map[string]any{}
		root["components"] = comps
	}
	var refs []string
	walk(root, func(ref string) { refs = append(refs, ref) })
	sort.Strings(refs)
	for _, ref := range refs {
		parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
		if !strings.HasPrefix(ref, "#/components/") || len(parts) != 2 {
			continue
		}
		kind, name := parts[0], parts[1]
		section, _ := comps[kind].(map[string]any)
		if section == nil {
			section = map[string]any{}
			comps[kind] = section
		}
		if _, ok := section[name]; ok {
			continue
		}
		switch kind {
		case "responses":
			section[name] = map[string]any{"description": "placeholder for a missing upstream component"}
		case "parameters", "requestBodies", "headers", "securitySchemes", "links", "callbacks", "examples":
			// Not seen upstream; a placeholder would itself be invalid.
		default:
			section[name] = map[string]any{}
		}
	}
}

func walk(v any, ref func(string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if s, ok := e.(string); ok && k == "$ref" {
				ref(s)
				continue
			}
			walk(e, ref)
		}
	case []any:
		for _, e := range v {
			walk(e, ref)
		}
	}
}

// Compare diffs upstream (base) against ours (revision) and returns every
// change oasdiff's checker finds at INFO level and above, sorted.
// Descriptions, summaries, titles and examples are ours by design and are
// left out of the diff.
func Compare(upstream, ours *openapi3.T) ([]Finding, error) {
	cfg := diff.NewConfig(diff.WithExcludeElements([]string{
		diff.ExcludeDescriptionOption, diff.ExcludeSummaryOption,
		diff.ExcludeTitleOption, diff.ExcludeExamplesOption,
	}))
	d, sources, err := diff.GetWithOperationsSourcesMap(cfg,
		&load.SpecInfo{Url: "upstream", Spec: upstream},
		&load.SpecInfo{Url: "ours", Spec: ours})
	if err != nil {
		return nil, fmt.Errorf("drift: diffing: %w", err)
	}
	changes := checker.CheckBackwardCompatibilityUntilLevel(
		checker.NewConfig(checker.GetAllChecks()), d, sources, checker.INFO)
	l := checker.NewDefaultLocalizer()
	out := make([]Finding, 0, len(changes))
	for _, c := range changes {
		where := c.GetSection()
		if c.GetOperation() != "" {
			where = c.GetOperation() + " " + c.GetPath()
		}
		out = append(out, Finding{
			Rule:  c.GetId(),
			Where: where,
			Text:  oneLine(c.GetUncolorizedText(l)),
			Level: c.GetLevel().String(),
		})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Where != b.Where {
			return a.Where < b.Where
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Text < b.Text
	})
	return out, nil
}

func oneLine(s string) string {
	var b bytes.Buffer
	for _, f := range strings.Fields(s) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
	}
	return b.String()
}

// A Deviation is one explained difference from DEVIATIONS.md: a bullet of
// the form
//
//   - `rule-id` `WHERE` `TEXT`: reason
//
// WHERE and TEXT are patterns in which `*` matches any run of characters;
// TEXT is matched against the finding's text with its backticks removed.
// Every other line of the file is prose and is ignored.
type Deviation struct {
	Rule   string
	Where  string
	Text   string
	Reason string
	Line   int // 1-based line in the file

	where, text *regexp.Regexp
}

var bullet = regexp.MustCompile("^- `([^`]+)` `([^`]+)` `([^`]+)`:\\s*(.*)$")

// ParseDeviations reads the bullets of a DEVIATIONS.md file. A bullet that
// starts like a deviation but is malformed, or has no reason, is an error
// naming its line.
func ParseDeviations(data []byte) ([]Deviation, error) {
	var out []Deviation
	var errs []error
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r ")
		if !strings.HasPrefix(line, "- `") {
			continue
		}
		m := bullet.FindStringSubmatch(line)
		if m == nil {
			errs = append(errs, fmt.Errorf("line %d: want \"- `rule` `where` `text`: reason\", got %q", i+1, line))
			continue
		}
		if strings.TrimSpace(m[4]) == "" {
			errs = append(errs, fmt.Errorf("line %d: deviation %s %s has no reason", i+1, m[1], m[2]))
			continue
		}
		out = append(out, Deviation{
			Rule: m[1], Where: m[2], Text: m[3], Reason: strings.TrimSpace(m[4]), Line: i + 1,
			where: glob(m[2]), text: glob(m[3]),
		})
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("drift: deviations file: %w", errors.Join(errs...))
	}
	return out, nil
}

func glob(p string) *regexp.Regexp {
	parts := strings.Split(p, "*")
	for i, s := range parts {
		parts[i] = regexp.QuoteMeta(s)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
}

// Matches reports whether d explains f.
func (d Deviation) Matches(f Finding) bool {
	if d.where == nil {
		d.where, d.text = glob(d.Where), glob(d.Text)
	}
	return d.Rule == f.Rule && d.where.MatchString(f.Where) && d.text.MatchString(plain(f.Text))
}

func plain(s string) string { return strings.ReplaceAll(s, "`", "") }

// A Report is the outcome of checking findings against deviations.
type Report struct {
	Findings    []Finding
	Explained   map[int][]Finding // by index into Deviations
	Deviations  []Deviation
	Unexplained []Finding   // findings no deviation matches
	Stale       []Deviation // deviations that match no finding
}

// OK reports whether every finding is explained and every deviation is used.
func (r *Report) OK() bool { return len(r.Unexplained) == 0 && len(r.Stale) == 0 }

// Check matches findings against deviations. A finding is explained by the
// first deviation that matches it.
func Check(findings []Finding, deviations []Deviation) *Report {
	r := &Report{Findings: findings, Deviations: deviations, Explained: map[int][]Finding{}}
	for _, f := range findings {
		matched := false
		for i, d := range deviations {
			if d.Matches(f) {
				r.Explained[i] = append(r.Explained[i], f)
				matched = true
				break
			}
		}
		if !matched {
			r.Unexplained = append(r.Unexplained, f)
		}
	}
	for i, d := range deviations {
		if len(r.Explained[i]) == 0 {
			r.Stale = append(r.Stale, d)
		}
	}
	return r
}

// Write prints the report: a summary line, then every unexplained finding as
// a bullet ready to be completed with a reason and pasted into
// DEVIATIONS.md, then every stale deviation. With verbose it also lists each
// deviation with the findings it explains.
func (r *Report) Write(w io.Writer, verbose bool) {
	fmt.Fprintf(w, "drift: %d differences from upstream, %d explained by %d deviations, %d unexplained, %d stale deviations\n",
		len(r.Findings), len(r.Findings)-len(r.Unexplained), len(r.Deviations), len(r.Unexplained), len(r.Stale))
	if verbose {
		for i, d := range r.Deviations {
			fmt.Fprintf(w, "\nline %d: %s %s %s (%d)\n", d.Line, d.Rule, d.Where, d.Text, len(r.Explained[i]))
			for _, f := range r.Explained[i] {
				fmt.Fprintf(w, "    %s %s\n", f.Where, plain(f.Text))
			}
		}
	}
	if len(r.Unexplained) > 0 {
		fmt.Fprintf(w, "\nUnexplained differences (fix openapi/airbyte.yaml, or add a bullet with its reason to openapi/DEVIATIONS.md):\n")
		for _, f := range r.Unexplained {
			fmt.Fprintf(w, "- `%s` `%s` `%s`: <reason>\n", f.Rule, f.Where, plain(f.Text))
		}
	}
	if len(r.Stale) > 0 {
		fmt.Fprintf(w, "\nStale deviations (they match no difference any more; remove them):\n")
		for _, d := range r.Stale {
			fmt.Fprintf(w, "- line %d: `%s` `%s` `%s`\n", d.Line, d.Rule, d.Where, d.Text)
		}
	}
}

// Run loads the upstream document, diffs it against ours (package openapi)
// and checks the differences against the deviations file's contents.
func Run(upstream, deviations []byte) (*Report, error) {
	devs, err := ParseDeviations(deviations)
	if err != nil {
		return nil, err
	}
	up, err := LoadUpstream(upstream)
	if err != nil {
		return nil, err
	}
	ours, err := openapi.Load()
	if err != nil {
		return nil, fmt.Errorf("drift: loading our document: %w", err)
	}
	findings, err := Compare(up, ours)
	if err != nil {
		return nil, err
	}
	return Check(findings, devs), nil
}
