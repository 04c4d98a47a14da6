package airbyte

import (
	"net/http"
	"strings"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/generated"
)

// TestValueRefusesAnotherType asks Value for a type the operation does
// not answer with: it must say so, not return an empty value.
func TestValueRefusesAnotherType(t *testing.T) {
	t.Parallel()
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		jsonReply(w, 200, "application/json", `{"workspaceId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","name":"ws","dataResidency":"auto"}`)
	})
	src, err := Value[generated.SourceResponse](c.API().GetWorkspaceWithResponse(t.Context(), srcID))
	if err == nil || src != nil {
		t.Fatalf("Value[SourceResponse] over a workspace = %+v, %v; want an error", src, err)
	}
	for _, want := range []string{"generated.SourceResponse", "generated.WorkspaceResponse", "GetWorkspaceResponse"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	// The right type still works, for 200 and 201 answers alike.
	if ws, err := Value[generated.WorkspaceResponse](c.API().GetWorkspaceWithResponse(t.Context(), srcID)); err != nil || ws.Name != "ws" {
		t.Errorf("Value[WorkspaceResponse] = %+v, %v", ws, err)
	}
	resp := &generated.CreateGroupResponse{HTTPResponse: &http.Response{StatusCode: 201, Header: http.Header{}}, JSON201: &generated.GroupResponse{Name: "g"}}
	if g, err := Value[generated.GroupResponse](resp, nil); err != nil || g.Name != "g" {
		t.Errorf("Value[GroupResponse] over a 201 = %+v, %v", g, err)
	}
	if _, err := Value[generated.WorkspaceResponse](resp, nil); err == nil {
		t.Error("Value[WorkspaceResponse] over CreateGroup's 201 gave no error")
	}
}
