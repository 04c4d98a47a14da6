package contract_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/generated"
	"github.com/seed83f33fd3/airbyte-go/openapi"
)

// TestSpecChangeWithoutRegenerationFails edits the spec the way a careless
// change would (renaming a query parameter, adding a required request
// field) without regenerating the client, runs the suite's checks on every
// operation against the edited spec, and checks that they then report the
// operation and the field by name, in one message.
func TestSpecChangeWithoutRegenerationFails(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		old, new  string
		wantInMsg []string
	}{
		{
			name:      "listSources query parameter renamed",
			old:       "      - name: includeDeleted\n        in: query\n        required: false\n        description: Also return sources that have been deleted.",
			new:       "      - name: withDeleted\n        in: query\n        required: false\n        description: Also return sources that have been deleted.",
			wantInMsg: []string{"listSources", "includeDeleted"},
		},
		{
			name:      "listDestinations query parameter renamed",
			old:       "      - name: includeDeleted\n        in: query\n        required: false\n        description: Also return destinations that have been deleted.",
			new:       "      - name: showDeleted\n        in: query\n        required: false\n        description: Also return destinations that have been deleted.",
			wantInMsg: []string{"listDestinations", "includeDeleted"},
		},
		{
			name:      "listDestinations new parameter has no field",
			old:       "      - name: includeDeleted\n        in: query\n        required: false\n        description: Also return destinations that have been deleted.",
			new:       "      - name: showDeleted\n        in: query\n        required: false\n        description: Also return destinations that have been deleted.",
			wantInMsg: []string{"listDestinations", `"showDeleted"`, "has no field in generated.ListDestinationsParams"},
		},
		{
			name:      "required request field added",
			old:       "      description: A new tag.\n      required:\n      - name\n      - color\n      - workspaceId\n",
			new:       "      description: A new tag.\n      required:\n      - name\n      - color\n      - workspaceId\n      - priority\n",
			wantInMsg: []string{"createTag", "priority"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spec := openapi.Spec()
			if !bytes.Contains(spec, []byte(tc.old)) {
				t.Fatalf("spec text to change not found: %q", tc.old)
			}
			doc, h, c := clientForSpec(t, bytes.Replace(spec, []byte(tc.old), []byte(tc.new), 1))
			var msgs []string
			collect := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf(format, args...)) }
			for _, o := range operationsOf(doc) {
				call(t, collect, c, o)
			}
			for _, v := range h.TakeViolations() {
				msgs = append(msgs, v.Error())
			}
			for _, msg := range msgs {
				if containsAll(msg, tc.wantInMsg) {
					return
				}
			}
			t.Errorf("no report names all of %q; got:\n%s", tc.wantInMsg, strings.Join(msgs, "\n"))
		})
	}
}

// TestUnchangedSpecReportsNothing is the control for the test above: with
// the spec the client was generated from, the same checks are silent.
func TestUnchangedSpecReportsNothing(t *testing.T) {
	t.Parallel()
	doc, _, c := clientForSpec(t, openapi.Spec())
	for _, o := range operationsOf(doc) {
		call(t, t.Errorf, c, o)
	}
}

// clientForSpec loads spec without validating it (an edited spec's own
// examples no longer match it, which is another check that would catch
// the edit) and returns it with a harness validating against it and a
// generated client sending through that harness.
func clientForSpec(t *testing.T, spec []byte) (*openapi3.T, *contract.Harness, *generated.ClientWithResponses) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		t.Fatal(err)
	}
	v, err := contract.NewValidatorForDoc(doc)
	if err != nil {
		t.Fatal(err)
	}
	h := contract.NewWithValidator(t, v)
	return doc, h, newClient(t, h, contract.CloudBaseURL)
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
