package airbyte_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	airbyte "github.com/seed83f33fd3/airbyte-go"
)

// connectionsPage is a realistic page of 100 connections.
func connectionsPage() []byte {
	var b strings.Builder
	b.WriteString(`{"next":"","previous":"","data":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"connectionId":"5d0b7e2c-93a1-4f68-b4c2-%012d","name":"connection %d","sourceId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","destinationId":"c4e9f1a2-58b3-47d6-a0e8-3f2b6d9c1e75","workspaceId":"2f6a8d14-c7e3-4b91-9a05-d8e2b3f47c16","status":"active","schedule":{"scheduleType":"cron","cronExpression":"0 0 * * * ? UTC"},"configurations":{"streams":[{"name":"orders","syncMode":"incremental_append","cursorField":["updated_at"]}]},"createdAt":1772100000,"tags":[]}`, i, i)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// memTransport answers every request with the same page, in memory, so
// the benchmark measures the client, not the network.
type memTransport struct{ body []byte }

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(string(m.body))), Request: r}, nil
}

// BenchmarkListConnections lists 100 connections through Client (auth,
// retries, typed errors, iterator) next to a hand-written net/http +
// encoding/json baseline over the same in-memory transport.
func BenchmarkListConnections(b *testing.B) {
	page := connectionsPage()
	hc := &http.Client{Transport: memTransport{page}}
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(b.Context(), http.MethodGet, "https://api.airbyte.com/v1/connections?limit=100&offset=0", nil)
			req.Header.Set("Authorization", "Bearer token")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out airbyte.ConnectionsResponse
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			if len(out.Data) != 100 {
				b.Fatal(len(out.Data))
			}
		}
	})
	b.Run("client", func(b *testing.B) {
		b.ReportAllocs()
		client, err := airbyte.NewClient(airbyte.WithToken("token"), airbyte.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		limit := airbyte.Limit(100)
		for b.Loop() {
			n := 0
			for _, err := range client.Connections.All(b.Context(), &airbyte.ListConnectionsParams{Limit: &limit}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
				if n == 100 {
					break
				}
			}
			if n != 100 {
				b.Fatal(n)
			}
		}
	})
}

// connectionBody is one connection as GET /connections/{id} answers it.
func connectionBody() []byte {
	page := string(connectionsPage())
	start := strings.Index(page, `{"connectionId"`)
	end := strings.Index(page[start:], `,{"connectionId"`)
	return []byte(page[start : start+end])
}

// BenchmarkGetConnection compares a typed call (Connections.Get) with the
// same call through the generated client and Value, over an in-memory
// transport: the typed layer should cost nothing measurable.
func BenchmarkGetConnection(b *testing.B) {
	hc := &http.Client{Transport: memTransport{connectionBody()}}
	client, err := airbyte.NewClient(airbyte.WithToken("token"), airbyte.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	id, _ := airbyte.ParseUUID("5d0b7e2c-93a1-4f68-b4c2-000000000000")
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := client.Connections.Get(b.Context(), id); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("generated+Value", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := airbyte.Value[airbyte.ConnectionResponse](client.API().GetConnectionWithResponse(b.Context(), id)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
