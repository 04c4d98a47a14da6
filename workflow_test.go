package airbyte_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/seed83f33fd3/airbyte-go/generated"
)

// bareWorkflow is Example_workflow written on the bare generated client, as
// a new user without this package's front door would write it: a token
// fetched by hand, every answer's status checked, the job polled in a loop
// of one's own. It exists to compare the two (see the line counts in
// TestWorkflowLineCounts) and runs against the fake in TestBareWorkflow.
func bareWorkflow(ctx context.Context, serverURL, clientID, clientSecret string, workspace openapi_types.UUID, out io.Writer) error {
	// workflow begin
	anon, err := generated.NewClientWithResponses(serverURL)
	if err != nil {
		return err
	}
	grant := generated.ApplicationTokenRequestWithGrantGrantTypeClientCredentials
	tok, err := anon.CreateAccessTokenWithResponse(ctx, generated.ApplicationTokenRequestWithGrant{
		ClientId: clientID, ClientSecret: clientSecret, GrantType: &grant,
	})
	if err != nil {
		return err
	}
	if tok.JSON200 == nil {
		return fmt.Errorf("token: %s: %s", tok.Status(), tok.Body)
	}
	bearer := func(ctx context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+tok.JSON200.AccessToken)
		return nil
	}
	api, err := generated.NewClientWithResponses(serverURL, generated.WithRequestEditorFn(bearer))
	if err != nil {
		return err
	}
	src, err := api.CreateSourceWithResponse(ctx, generated.SourceCreateRequest{
		Name: "orders", WorkspaceId: workspace,
		Configuration: generated.SourceConfiguration{"sourceType": "postgres", "host": "db.internal", "password": "s3cret"},
	})
	if err != nil {
		return err
	}
	if src.JSON200 == nil {
		return fmt.Errorf("create source: %s: %s", src.Status(), src.Body)
	}
	dst, err := api.CreateDestinationWithResponse(ctx, generated.DestinationCreateRequest{
		Name: "warehouse", WorkspaceId: workspace,
		Configuration: generated.DestinationConfiguration{"destinationType": "bigquery", "project_id": "analytics"},
	})
	if err != nil {
		return err
	}
	if dst.JSON200 == nil {
		return fmt.Errorf("create destination: %s: %s", dst.Status(), dst.Body)
	}
	name := "orders to warehouse"
	conn, err := api.CreateConnectionWithResponse(ctx, generated.ConnectionCreateRequest{
		Name: &name, SourceId: src.JSON200.SourceId, DestinationId: dst.JSON200.DestinationId,
	})
	if err != nil {
		return err
	}
	if conn.JSON200 == nil {
		return fmt.Errorf("create connection: %s: %s", conn.Status(), conn.Body)
	}
	connID := conn.JSON200.ConnectionId
	created, err := api.CreateJobWithResponse(ctx, generated.JobCreateRequest{ConnectionId: connID, JobType: generated.JobTypeEnumSync})
	if err != nil {
		return err
	}
	if created.JSON200 == nil {
		return fmt.Errorf("start sync: %s: %s", created.Status(), created.Body)
	}
	job := created.JSON200
	for job.Status == generated.JobStatusEnumPending || job.Status == generated.JobStatusEnumQueued || job.Status == generated.JobStatusEnumRunning {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		got, err := api.GetJobWithResponse(ctx, job.JobId)
		if err != nil {
			return err
		}
		if got.JSON200 == nil {
			return fmt.Errorf("get job: %s: %s", got.Status(), got.Body)
		}
		job = got.JSON200
	}
	if job.Status != generated.JobStatusEnumSucceeded {
		return fmt.Errorf("sync ended %s", job.Status)
	}
	fmt.Fprintf(out, "sync %s: %d rows\n", job.Status, *job.RowsSynced)
	inactive := generated.ConnectionStatusEnumInactive
	patched, err := api.PatchConnectionWithResponse(ctx, connID, generated.ConnectionPatchRequest{Status: &inactive})
	if err != nil {
		return err
	}
	if patched.JSON200 == nil {
		return fmt.Errorf("patch connection: %s: %s", patched.Status(), patched.Body)
	}
	fmt.Fprintln(out, patched.JSON200.Name, patched.JSON200.Status)
	delConn, err := api.DeleteConnectionWithResponse(ctx, connID)
	if err != nil {
		return err
	}
	if delConn.StatusCode() != http.StatusNoContent {
		return fmt.Errorf("delete connection: %s: %s", delConn.Status(), delConn.Body)
	}
	delDst, err := api.DeleteDestinationWithResponse(ctx, dst.JSON200.DestinationId)
	if err != nil {
		return err
	}
	if delDst.StatusCode() != http.StatusNoContent {
		return fmt.Errorf("delete destination: %s: %s", delDst.Status(), delDst.Body)
	}
	delSrc, err := api.DeleteSourceWithResponse(ctx, src.JSON200.SourceId)
	if err != nil {
		return err
	}
	if delSrc.StatusCode() != http.StatusNoContent {
		return fmt.Errorf("delete source: %s: %s", delSrc.Status(), delSrc.Body)
	}
	deleted, err := api.GetConnectionWithResponse(ctx, connID)
	if err != nil {
		return err
	}
	if deleted.JSON200 == nil {
		return fmt.Errorf("get deleted connection: %s: %s", deleted.Status(), deleted.Body)
	}
	fmt.Fprintln(out, "connection after delete:", deleted.JSON200.Status)
	missing, err := api.GetSourceWithResponse(ctx, openapi_types.UUID{}, nil)
	if err != nil {
		return err
	}
	if code := missing.StatusCode(); code == http.StatusForbidden || code == http.StatusNotFound {
		fmt.Fprintln(out, "no such source")
	}
	// workflow end
	return nil
}

// TestBareWorkflow runs bareWorkflow against the fake: it prints what
// Example_workflow prints.
func TestBareWorkflow(t *testing.T) {
	t.Parallel()
	env, stop := startFake()
	defer stop()
	var out bytes.Buffer
	err := bareWorkflow(t.Context(), env["AIRBYTE_API_URL"], env["AIRBYTE_CLIENT_ID"], env["AIRBYTE_CLIENT_SECRET"], defaultWorkspace(env), &out)
	if err != nil {
		t.Fatal(err)
	}
	want := "sync succeeded: 125000 rows\norders to warehouse inactive\nconnection after delete: deprecated\nno such source\n"
	if out.String() != want {
		t.Errorf("output = %q; want %q", out.String(), want)
	}
}

// workflowLines counts the non-blank lines between the workflow markers of
// a file.
func workflowLines(t *testing.T, file string) int {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(src), "// workflow begin\n")
	body, _, ok2 := strings.Cut(rest, "// workflow end\n")
	if !ok || !ok2 {
		t.Fatalf("%s has no workflow markers", file)
	}
	n := 0
	for _, l := range strings.Split(body, "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

// TestWorkflowLineCounts reports the size of the workflow on each client
// (go test -v -run WorkflowLineCounts) and fails if the typed one stops
// being the shorter.
func TestWorkflowLineCounts(t *testing.T) {
	t.Parallel()
	typed, bare := workflowLines(t, "example_test.go"), workflowLines(t, "workflow_test.go")
	t.Logf("workflow: %d lines with the typed calls, %d on the bare generated client", typed, bare)
	if typed >= bare {
		t.Errorf("typed workflow has %d lines, bare %d; want fewer", typed, bare)
	}
}
