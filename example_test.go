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

// fakeEnvironment serves a fake Airbyte and points the AIRBYTE_* environment
// variables at it, as a user's shell would; stop restores them.
func fakeEnvironment() (stop func()) {
	env, closeFake := startFake()
	client, err := airbyte.NewClient(airbyte.FromEnvFunc(func(k string) string { return env[k] }))
	if err != nil {
		panic(err)
	}
	env["AIRBYTE_WORKSPACE_ID"] = firstWorkspace(client).String()
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

// exampleClient serves a fake Airbyte and returns a client for it and the
// ID of its workspace.
func exampleClient() (client *airbyte.Client, workspace airbyte.UUID, stop func()) {
	env, stop := startFake()
	client, err := airbyte.NewClient(airbyte.FromEnvFunc(func(k string) string { return env[k] }))
	if err != nil {
		panic(err)
	}
	return client, firstWorkspace(client), stop
}

func firstWorkspace(client *airbyte.Client) airbyte.UUID {
	for ws, err := range client.Workspaces.All(context.Background(), nil) {
		if err != nil {
			panic(err)
		}
		return ws.WorkspaceId
	}
	panic("no workspace")
}

// The README's quickstart: create a source, a destination and a connection
// between them, and run a sync. Here the environment points at a fake
// Airbyte.
func Example() {
	stop := fakeEnvironment()
	defer stop()

	// README quickstart begin
	ctx := context.Background()
	client, err := airbyte.NewClient(airbyte.FromEnv()) // AIRBYTE_CLIENT_ID, AIRBYTE_CLIENT_SECRET, AIRBYTE_API_URL
	if err != nil {
		log.Fatal(err)
	}
	workspace, err := airbyte.ParseUUID(os.Getenv("AIRBYTE_WORKSPACE_ID"))
	if err != nil {
		log.Fatal(err)
	}
	src, err := client.Sources.Create(ctx, airbyte.SourceCreateRequest{
		Name: "orders", WorkspaceId: workspace,
		Configuration: airbyte.SourceConfiguration{"sourceType": "postgres", "host": "db.internal", "database": "shop"},
	})
	if err != nil {
		log.Fatal(err)
	}
	dst, err := client.Destinations.Create(ctx, airbyte.DestinationCreateRequest{
		Name: "warehouse", WorkspaceId: workspace,
		Configuration: airbyte.DestinationConfiguration{"destinationType": "bigquery", "project_id": "analytics"},
	})
	if err != nil {
		log.Fatal(err)
	}
	conn, err := client.Connections.Create(ctx, airbyte.ConnectionCreateRequest{
		Name: airbyte.Ptr("orders to warehouse"), SourceId: src.SourceId, DestinationId: dst.DestinationId,
	})
	if err != nil {
		log.Fatal(err)
	}
	job, err := client.RunJob(ctx, conn.ConnectionId, airbyte.JobOptions{PollInterval: time.Second})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: sync %s, %d rows\n", conn.Name, job.Status, *job.RowsSynced)
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
func ExampleWorkspacesService_All() {
	env, stop := startFake()
	defer stop()
	client, _ := airbyte.NewClient(airbyte.FromEnvFunc(func(k string) string { return env[k] }))
	ctx := context.Background()
	for ws, err := range client.Workspaces.All(ctx, nil) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(ws.Name)
	}
	// Output:
	// Default Workspace
}

// Creating a source. Secrets in the configuration come back masked.
func ExampleSourcesService_Create() {
	client, workspace, stop := exampleClient()
	defer stop()
	src, err := client.Sources.Create(context.Background(), airbyte.SourceCreateRequest{
		Name:        "orders",
		WorkspaceId: workspace,
		Configuration: airbyte.SourceConfiguration{
			"sourceType": "postgres", "host": "db.internal", "port": 5432,
			"database": "shop", "username": "airbyte", "password": "s3cret",
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(src.Name, src.SourceType, src.Configuration["password"])
	// Output:
	// orders postgres **********
}

// Creating a destination.
func ExampleDestinationsService_Create() {
	client, workspace, stop := exampleClient()
	defer stop()
	dst, err := client.Destinations.Create(context.Background(), airbyte.DestinationCreateRequest{
		Name:          "warehouse",
		WorkspaceId:   workspace,
		Configuration: airbyte.DestinationConfiguration{"destinationType": "bigquery", "project_id": "analytics", "dataset_id": "shop"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dst.Name, dst.DestinationType)
	// Output:
	// warehouse bigquery
}

// Creating a connection that syncs every hour. Optional fields are
// pointers: airbyte.Ptr makes one from a value.
func ExampleConnectionsService_Create() {
	client, workspace, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	src, dst := sourceAndDestination(client, workspace)
	conn, err := client.Connections.Create(ctx, airbyte.ConnectionCreateRequest{
		Name:          airbyte.Ptr("orders to warehouse"),
		SourceId:      src,
		DestinationId: dst,
		Schedule: &airbyte.ConnectionScheduleRequest{
			ScheduleType:   airbyte.ScheduleTypeWithBasicEnumCron,
			CronExpression: airbyte.Ptr("0 0 * * * ?"),
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(conn.Name, conn.Status, conn.Schedule.ScheduleType, *conn.Schedule.CronExpression)
	// Output:
	// orders to warehouse active cron 0 0 * * * ? UTC
}

// Patching a connection: only the fields set change.
func ExampleConnectionsService_Patch() {
	client, workspace, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	src, dst := sourceAndDestination(client, workspace)
	conn, err := client.Connections.Create(ctx, airbyte.ConnectionCreateRequest{Name: airbyte.Ptr("orders"), SourceId: src, DestinationId: dst})
	if err != nil {
		fmt.Println(err)
		return
	}
	patched, err := client.Connections.Patch(ctx, conn.ConnectionId, airbyte.ConnectionPatchRequest{
		Name:   airbyte.Ptr("orders (paused)"),
		Status: airbyte.Ptr(airbyte.ConnectionStatusEnumInactive),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(patched.Name, patched.Status, patched.SourceId == src)
	// Output:
	// orders (paused) inactive true
}

// sourceAndDestination creates a source and a destination for an example.
func sourceAndDestination(client *airbyte.Client, workspace airbyte.UUID) (src, dst airbyte.UUID) {
	ctx := context.Background()
	s, err := client.Sources.Create(ctx, airbyte.SourceCreateRequest{Name: "orders", WorkspaceId: workspace,
		Configuration: airbyte.SourceConfiguration{"sourceType": "postgres"}})
	if err != nil {
		panic(err)
	}
	d, err := client.Destinations.Create(ctx, airbyte.DestinationCreateRequest{Name: "warehouse", WorkspaceId: workspace,
		Configuration: airbyte.DestinationConfiguration{"destinationType": "bigquery"}})
	if err != nil {
		panic(err)
	}
	return s.SourceId, d.DestinationId
}

// Running a sync and waiting for it.
func ExampleClient_RunJob() {
	client, workspace, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	src, dst := sourceAndDestination(client, workspace)
	conn, err := client.Connections.Create(ctx, airbyte.ConnectionCreateRequest{SourceId: src, DestinationId: dst})
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

// Handling errors: every non-2xx answer is an *APIError, which errors.Is
// matches against ErrNotFound, ErrForbidden and the other sentinels.
func ExampleAPIError() {
	client, _, stop := exampleClient()
	defer stop()
	id, _ := airbyte.ParseUUID("3f0c8a52-6d1e-4b7a-9c2d-5e8f1a0b4c6d")
	_, err := client.Sources.Get(context.Background(), id, nil)
	var apiErr *airbyte.APIError
	switch {
	case errors.Is(err, airbyte.ErrNotFound):
		errors.As(err, &apiErr)
		fmt.Println("no such source:", apiErr.StatusCode, apiErr.Title)
	case errors.Is(err, airbyte.ErrForbidden):
		fmt.Println("these credentials may not read this source")
	case err != nil:
		fmt.Println(err)
	}
	// On Airbyte Cloud roles are checked before lookups, so an unknown ID
	// answers 403; only instance admins (the community edition's default
	// application) see 404.

	// Output:
	// these credentials may not read this source
}

// Ptr makes a pointer for an optional field.
func ExamplePtr() {
	req := airbyte.ConnectionPatchRequest{Name: airbyte.Ptr("nightly orders")}
	fmt.Println(*req.Name, req.Status == nil)
	// Output:
	// nightly orders true
}

// A new user's whole workflow with the typed calls: create a source, a
// destination and a connection, run a sync and wait for it, patch the
// connection, delete everything, and read the deleted connection back.
// workflow_test.go has the same workflow on the bare generated client.
func Example_workflow() {
	env, stop := startFake()
	defer stop()
	ctx := context.Background()
	serverURL, clientID, clientSecret := env["AIRBYTE_API_URL"], env["AIRBYTE_CLIENT_ID"], env["AIRBYTE_CLIENT_SECRET"]
	workspace := defaultWorkspace(env)

	// workflow begin
	client, err := airbyte.NewClient(airbyte.WithServerURL(serverURL), airbyte.WithClientCredentials(clientID, clientSecret))
	if err != nil {
		log.Fatal(err)
	}
	src, err := client.Sources.Create(ctx, airbyte.SourceCreateRequest{
		Name: "orders", WorkspaceId: workspace,
		Configuration: airbyte.SourceConfiguration{"sourceType": "postgres", "host": "db.internal", "password": "s3cret"},
	})
	if err != nil {
		log.Fatal(err)
	}
	dst, err := client.Destinations.Create(ctx, airbyte.DestinationCreateRequest{
		Name: "warehouse", WorkspaceId: workspace,
		Configuration: airbyte.DestinationConfiguration{"destinationType": "bigquery", "project_id": "analytics"},
	})
	if err != nil {
		log.Fatal(err)
	}
	conn, err := client.Connections.Create(ctx, airbyte.ConnectionCreateRequest{
		Name: airbyte.Ptr("orders to warehouse"), SourceId: src.SourceId, DestinationId: dst.DestinationId,
	})
	if err != nil {
		log.Fatal(err)
	}
	job, err := client.RunJob(ctx, conn.ConnectionId, airbyte.JobOptions{PollInterval: 50 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("sync %s: %d rows\n", job.Status, *job.RowsSynced)
	conn, err = client.Connections.Patch(ctx, conn.ConnectionId, airbyte.ConnectionPatchRequest{
		Status: airbyte.Ptr(airbyte.ConnectionStatusEnumInactive),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conn.Name, conn.Status)
	if err := client.Connections.Delete(ctx, conn.ConnectionId); err != nil {
		log.Fatal(err)
	}
	if err := client.Destinations.Delete(ctx, dst.DestinationId); err != nil {
		log.Fatal(err)
	}
	if err := client.Sources.Delete(ctx, src.SourceId); err != nil {
		log.Fatal(err)
	}
	// A deleted connection stays readable, deprecated, as on the server.
	deleted, err := client.Connections.Get(ctx, conn.ConnectionId)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("connection after delete:", deleted.Status)
	// An ID that does not exist: 403 to most callers (roles are checked
	// before the lookup), 404 to instance admins.
	_, err = client.Sources.Get(ctx, airbyte.UUID{}, nil)
	if errors.Is(err, airbyte.ErrForbidden) || errors.Is(err, airbyte.ErrNotFound) {
		fmt.Println("no such source")
	}
	// workflow end

	// Output:
	// sync succeeded: 125000 rows
	// orders to warehouse inactive
	// connection after delete: deprecated
	// no such source
}

// defaultWorkspace returns the fake's workspace, as a user would copy it
// from the web app's address bar.
func defaultWorkspace(env map[string]string) airbyte.UUID {
	client, err := airbyte.NewClient(airbyte.FromEnvFunc(func(k string) string { return env[k] }))
	if err != nil {
		panic(err)
	}
	return firstWorkspace(client)
}
