package fake_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	airbyte "github.com/seed83f33fd3/airbyte-go"
	"github.com/seed83f33fd3/airbyte-go/contract/fake"
)

// A fake served by httptest stands in for Airbyte: point airbyte.NewClient
// at it with the credentials it accepts.
func ExampleServer() {
	f, err := fake.New(fake.Options{})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(f)
	defer srv.Close()

	client, err := airbyte.NewClient(
		airbyte.WithServerURL(srv.URL+fake.BasePath),
		airbyte.WithClientCredentials(f.ClientID(), f.ClientSecret()),
	)
	if err != nil {
		log.Fatal(err)
	}
	for ws, err := range client.Workspaces.All(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ws.Name)
	}
	// Output: Default Workspace
}
