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
//     Give it to the generated client or to airbyte.NewClient through an
//     *http.Client:
//
//     h := contract.New(t)
//     c, _ := generated.NewClientWithResponses(contract.CloudBaseURL,
//     generated.WithHTTPClient(h.HTTPClient()))
//     h.Reply("getSource", contract.Reply{Status: 404})
//
//   - LiveTransport: wraps a real transport and reports where a real Airbyte
//     server and the spec disagree, without changing the traffic.
//
//   - Validator and Generator: the building blocks, for servers (such as the
//     fake in contract/fake) and property tests.
//
// The harness accepts requests to CloudBaseURL and SelfManagedBaseURL; use
// NewValidator with extra base URLs for others.
package contract
