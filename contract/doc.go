// Package contract checks HTTP traffic against airbyte-go's OpenAPI
// description of the Airbyte API, with kin-openapi for validation and
// jarcoal/httpmock for the fake transport.
//
// Three tools, for the project's own tests and for yours:
//
//   - Harness: a per-test transport that answers every Airbyte operation
//     from the spec (its example, or a value generated from its schema),
//     validates every request as sent and every answer, counts calls per
//     operation and reports violations through t.Errorf when the test ends.
//   - LiveTransport: wraps a real transport and reports where a real Airbyte
//     server and the spec disagree, without changing the traffic.
//   - Validator and Generator: the building blocks, for servers (such as the
//     fake in contract/fake) and property tests.
//
// # Testing your code with the harness
//
// Give the harness's HTTP client to airbyte.NewClient, with any token:
//
//	h := contract.New(t)
//	client, err := airbyte.NewClient(
//		airbyte.WithHTTPClient(h.HTTPClient()),
//		airbyte.WithToken("test"),
//		airbyte.WithServerURL(contract.CloudBaseURL),
//	)
//	if err != nil {
//		t.Fatal(err)
//	}
//	h.Reply("getSource", contract.Reply{Status: http.StatusNotFound})
//	// ... call your code with client; h.Calls("getSource") counts the calls.
//
// The harness accepts requests to CloudBaseURL and SelfManagedBaseURL; use
// NewValidator with extra base URLs, and NewWithValidator, for others.
//
// Authentication follows the spec: every operation but the anonymous ones
// (IsAnonymous) must carry a bearer token. A token sent to an anonymous
// operation is accepted, since `security: []` makes it optional.
package contract
