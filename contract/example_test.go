package contract_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	airbyte "github.com/seed83f33fd3/airbyte-go"
	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/contract/fake"
	"github.com/seed83f33fd3/airbyte-go/generated"
)

// A LiveTransport between a client and a server reports every place where
// their traffic and the spec disagree. Here the server is the fake; in a
// smoke test it would be a real Airbyte.
func ExampleLiveTransport() {
	f, err := fake.New(fake.Options{})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(f)
	defer srv.Close()

	// The validator must accept the server's base URL.
	v, err := contract.NewValidator(srv.URL + fake.BasePath)
	if err != nil {
		log.Fatal(err)
	}
	var (
		mu         sync.Mutex
		violations []*contract.Violation
	)
	live := &contract.LiveTransport{
		Validator: v,
		Base:      srv.Client().Transport,
		Report: func(v *contract.Violation) {
			mu.Lock()
			defer mu.Unlock()
			violations = append(violations, v)
		},
	}
	client, err := airbyte.NewClient(
		airbyte.WithServerURL(srv.URL+fake.BasePath),
		airbyte.WithClientCredentials(f.ClientID(), f.ClientSecret()),
		airbyte.WithHTTPClient(&http.Client{Transport: live}),
	)
	if err != nil {
		log.Fatal(err)
	}
	list, err := airbyte.Value[generated.WorkspacesResponse](client.API().ListWorkspacesWithResponse(context.Background(), nil))
	if err != nil {
		log.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	fmt.Println("workspaces:", len(list.Data))
	fmt.Println("violations:", len(violations))
	// Output:
	// workspaces: 1
	// violations: 0
}

// In a test, New gives a harness that answers every operation from the
// spec; hand its HTTP client to airbyte.NewClient. The harness reports
// every request or answer that breaks the spec when the test ends.
func ExampleNew() {
	// The body of a test function such as
	// func TestListWorkspaces(t *testing.T):
	test := func(t *testing.T) {
		h := contract.New(t)
		client, err := airbyte.NewClient(
			airbyte.WithHTTPClient(h.HTTPClient()),
			airbyte.WithToken("test"),
			airbyte.WithServerURL(contract.CloudBaseURL),
		)
		if err != nil {
			t.Fatal(err)
		}
		list, err := airbyte.Value[generated.WorkspacesResponse](client.API().ListWorkspacesWithResponse(t.Context(), nil))
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Data) == 0 {
			t.Error("no workspaces; want the spec's example")
		}
		if got := h.Calls("listWorkspaces"); got != 1 {
			t.Errorf("Calls(listWorkspaces) = %d; want 1", got)
		}

		// Make an operation fail to test the error path.
		h.Reply("getWorkspace", contract.Reply{Status: http.StatusNotFound})
	}
	_ = test
}
