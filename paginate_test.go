package airbyte

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
)

// TestIteratorsStopWhenPagesDoNotAdvance serves lists that never end:
// the same page whatever the offset. The iterator must stop with
// ErrNoProgress after the second page, not read on forever.
func TestIteratorsStopWhenPagesDoNotAdvance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		page func(limit, offset int) []string
	}{
		{"offset ignored", func(limit, _ int) []string { return groupIDs(0, limit) }},
		{"offset clamped to the last page", func(limit, offset int) []string { return groupIDs(min(offset, 200), limit) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) > 10 { // a bound for the test itself
					jsonReply(w, 500, "application/json", `{"title":"too many pages"}`)
					return
				}
				limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
				offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
				var data []map[string]string
				for _, id := range tc.page(limit, offset) {
					data = append(data, map[string]string{"groupId": id, "name": "g", "organizationId": id})
				}
				body, _ := json.Marshal(map[string]any{"data": data, "next": "", "previous": ""})
				jsonReply(w, 200, "application/json", string(body))
			}, WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
			n := 0
			var last error
			for _, err := range c.Groups.All(t.Context(), &ListGroupsParams{OrganizationId: srcID}) {
				if err != nil {
					last = err
					break
				}
				n++
			}
			if !errors.Is(last, ErrNoProgress) {
				t.Fatalf("iterator ended with %v after %d items and %d pages; want ErrNoProgress", last, n, calls.Load())
			}
			if got := calls.Load(); got > 4 {
				t.Errorf("%d pages read; want the repeat caught at once", got)
			}
		})
	}
}

// groupIDs returns n distinct UUIDs numbered from first.
func groupIDs(first, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", first+i)
	}
	return ids
}
