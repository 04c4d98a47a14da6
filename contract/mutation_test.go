package contract_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/seed83f33fd3/airbyte-go/auth"
	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/generated"
	"github.com/seed83f33fd3/airbyte-go/openapi"
)

// TestSpecChangeWithoutRegenerationFails edits the spec the way a careless
// change would (renaming a query parameter, adding a required request
// field) without regenerating the client, and checks that the suite then
// reports the operation and the field by name.
func TestSpecChangeWithoutRegenerationFails(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		old, new  string
		call      func(ctx context.Context, c *generated.ClientWithResponses) error
		wantInMsg []string
	}{
		{
			name: "query parameter renamed",
			old:  "      - name: includeDeleted\n        in: query\n        required: false\n        description: Also return sources that have been deleted.",
			new:  "      - name: withDeleted\n        in: query\n        required: false\n        description: Also return sources that have been deleted.",
			call: func(ctx context.Context, c *generated.ClientWithResponses) error {
				yes := true
				_, err := c.ListSourcesWithResponse(ctx, &generated.ListSourcesParams{IncludeDeleted: &yes})
				return err
			},
			wantInMsg: []string{"listSources", "includeDeleted"},
		},
		{
			name: "required request field added",
			old:  "      description: A new tag.\n      required:\n      - name\n      - color\n      - workspaceId\n",
			new:  "      description: A new tag.\n      required:\n      - name\n      - color\n      - workspaceId\n      - priority\n",
			call: func(ctx context.Context, c *generated.ClientWithResponses) error {
				var ws generated.WorkspaceId
				_, err := c.CreateTagWithResponse(ctx, generated.CreateTagJSONRequestBody{Name: "finance", Color: "3B82F6", WorkspaceId: ws})
				return err
			},
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
			// Parse without validating: the edited spec's own examples no
			// longer match it, which is another check that would catch it.
			doc, err := openapi3.NewLoader().LoadFromData(bytes.Replace(spec, []byte(tc.old), []byte(tc.new), 1))
			if err != nil {
				t.Fatal(err)
			}
			v, err := contract.NewValidatorForDoc(doc)
			if err != nil {
				t.Fatal(err)
			}
			h := contract.NewWithValidator(t, v)
			hc := &http.Client{Transport: &auth.Transport{Source: auth.StaticToken("t"), BaseURL: contract.CloudBaseURL, Base: h.Transport()}}
			c, _ := generated.NewClientWithResponses(contract.CloudBaseURL, generated.WithHTTPClient(hc))
			tc.call(t.Context(), c)
			var msgs []string
			for _, v := range h.TakeViolations() {
				msgs = append(msgs, v.Error())
			}
			all := strings.Join(msgs, "\n")
			for _, want := range tc.wantInMsg {
				if !strings.Contains(all, want) {
					t.Errorf("violations %q; want them to name %q", all, want)
				}
			}
		})
	}
}
