package airbyte_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"time"

	airbyte "github.com/seed83f33fd3/airbyte-go"
	"github.com/seed83f33fd3/airbyte-go/contract/fake"
	"github.com/seed83f33fd3/airbyte-go/generated"
)

// startFake serves a fake Airbyte for the examples and returns the
// environment a program would read.
func startFake() (env map[string]string, stop func()) {
	f, err := fake.New(fake.Options{JobDuration: 200 * time.Millisecond})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(f)
	return map[string]string{
		"AIRBYTE_API_URL":       srv.URL + fake.BasePath,
		"AIRBYTE_CLIENT_ID":     f.ClientID(),
		"AIRBYTE_CLIENT_SECRET": f.ClientSecret(),
	}, srv.Close
}

// fakeEnvironment serves a fake Airbyte with one connection and points the
// AIRBYTE_* environment variables at it, as a user's shell would; stop
// restores them.
func fakeEnvironment() (stop func()) {
	env, closeFake := startFake()
	client, err := airbyte.NewClient(airbyte.FromEnvFunc(func(k string) string { return env[k] }))
	if err != nil {
		panic(err)
	}
	ctx, api := context.Background(), client.API()
	var ws generated.WorkspaceId
	for w, err := range client.Workspaces(ctx, nil) {
		if err != nil {
			panic(err)
		}
		ws = w.WorkspaceId
	}
	src, _ := airbyte.Value[generated.SourceResponse](api.CreateSourceWithResponse(ctx, generated.CreateSourceJSONRequestBody{
		Name: "orders", WorkspaceId: ws, Configuration: map[string]any{"sourceType": "postgres"}}))
	dst, _ := airbyte.Value[generated.DestinationResponse](api.CreateDestinationWithResponse(ctx, generated.CreateDestinationJSONRequestBody{
		Name: "warehouse", WorkspaceId: ws, Configuration: map[string]any{"destinationType": "bigquery"}}))
	name := "orders to warehouse"
	if _, err := airbyte.Value[generated.ConnectionResponse](api.CreateConnectionWithResponse(ctx, generated.CreateConnectionJSONRequestBody{
		Name: &name, SourceId: src.SourceId, DestinationId: dst.DestinationId})); err != nil {
		panic(err)
	}
	saved := map[string]*string{}
	for k, v := range env {
		if old, ok := os.LookupEnv(k); ok {
			saved[k] = &old
		} else {
			saved[k] = nil
		}
		os.Setenv(k, v)
	}
	return func() {
		for k, old := range saved {
			if old == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *old)
			}
		}
		closeFake()
	}
}

// The README's quickstart: run a sync of every connection and wait for
// each. Here the environment points at a fake Airbyte.
func Example() {
	stop := fakeEnvironment()
	defer stop()

	// README quickstart begin
	ctx := context.Background()
	client, err := airbyte.NewClient(airbyte.FromEnv()) // AIRBYTE_CLIENT_ID, AIRBYTE_CLIENT_SECRET, AIRBYTE_API_URL
	if err != nil {
		log.Fatal(err)
	}
	for conn, err := range client.Connections(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		job, err := client.RunJob(ctx, conn.ConnectionId, airbyte.JobOptions{
			PollInterval: time.Second,
			Progress: func(p airbyte.JobProgress) {
				fmt.Fprintf(os.Stderr, "%s: %s, %d rows so far\n", conn.Name, p.Status, p.Rows)
			},
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: sync %s, %d rows\n", conn.Name, job.Status, *job.RowsSynced)
	}
	// README quickstart end

	// Output:
	// orders to warehouse: sync succeeded, 125000 rows
}

// A client configured from AIRBYTE_* environment variables. Real programs
// use airbyte.FromEnv(); the example passes a map instead of the process
// environment.
func ExampleFromEnv() {
	env, stop := startFake()
	defer stop()
	client, err := airbyte.NewClient(airbyte.FromEnvFunc(func(k string) string { return env[k] }))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(client.ServerURL() == env["AIRBYTE_API_URL"])

	_, err = airbyte.NewClient(airbyte.FromEnvFunc(func(string) string { return "" }))
	fmt.Println(err)
	// Output:
	// true
	// airbyte: missing client credentials: set AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET (or AIRBYTE_ACCESS_TOKEN for a static token)
}

// Listing with an iterator: pages are fetched as the loop goes.
func ExampleClient_Workspaces() {
	env, stop := startFake()
	defer stop()
	client, _ := airbyte.NewClient(airbyte.FromEnvFunc(func(k string) string { return env[k] }))
	ctx := context.Background()
	for ws, err := range client.Workspaces(ctx, nil) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(ws.Name)
	}
	// Output:
	// Default Workspace
}

// Running a sync and waiting for it.
func ExampleClient_RunJob() {
	env, stop := startFake()
	defer stop()
	client, _ := airbyte.NewClient(airbyte.FromEnvFunc(func(k string) string { return env[k] }))
	ctx := context.Background()
	api := client.API()

	var ws generated.WorkspaceId
	for w, err := range client.Workspaces(ctx, nil) {
		if err != nil {
			panic(err)
		}
		ws = w.WorkspaceId
	}
	src, _ := airbyte.Value[generated.SourceResponse](api.CreateSourceWithResponse(ctx, generated.CreateSourceJSONRequestBody{
		Name: "orders", WorkspaceId: ws, Configuration: map[string]any{"sourceType": "postgres"}}))
	dst, _ := airbyte.Value[generated.DestinationResponse](api.CreateDestinationWithResponse(ctx, generated.CreateDestinationJSONRequestBody{
		Name: "warehouse", WorkspaceId: ws, Configuration: map[string]any{"destinationType": "bigquery"}}))
	conn, err := airbyte.Value[generated.ConnectionResponse](api.CreateConnectionWithResponse(ctx, generated.CreateConnectionJSONRequestBody{
		SourceId: src.SourceId, DestinationId: dst.DestinationId}))
	if err != nil {
		panic(err)
	}

	job, err := client.RunJob(ctx, conn.ConnectionId, airbyte.JobOptions{PollInterval: 50 * time.Millisecond})
	if err != nil {
		fmt.Println("sync failed:", err)
		return
	}
	fmt.Println(job.JobType, job.Status, *job.RowsSynced > 0)
	// Output:
	// sync succeeded true
}

// Handling an error: every non-2xx answer is an *APIError.
func ExampleAPIError() {
	env, stop := startFake()
	defer stop()
	client, _ := airbyte.NewClient(airbyte.FromEnvFunc(func(k string) string { return env[k] }))
	// A tag is looked up before the caller's roles are checked, so an
	// unknown tag is 404 for everyone (other unknown IDs answer 403 to
	// callers who are not instance admins, as the server does).
	var unknown generated.TagId
	_ = unknown.UnmarshalText([]byte("0b6c2f0e-7d41-4a8e-9c35-5e1f2a3b4c5d"))
	_, err := client.API().GetTagWithResponse(context.Background(), unknown)
	if errors.Is(err, airbyte.ErrNotFound) {
		var apiErr *airbyte.APIError
		errors.As(err, &apiErr)
		fmt.Println(apiErr.StatusCode, apiErr.Title)
	}
	// Output:
	// 404 resource-not-found
}
