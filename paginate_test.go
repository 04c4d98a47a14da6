package airbyte

import (
	"context"
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
		// Two pages in turn whatever the offset: each differs from the one
		// before it, so only remembering every page catches it.
		{"two pages in turn", func(limit, offset int) []string { return groupIDs((offset/limit)%2*limit, limit) }},
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

// TestIteratorRangesTwice checks that one iterator value can be ranged
// over again and starts from the caller's offset each time.
func TestIteratorRangesTwice(t *testing.T) {
	t.Parallel()
	all := []int{1, 2, 3, 4, 5}
	seq := paginate(t.Context(), 2, 1, func(_ context.Context, limit, offset int32) ([]int, error) {
		return all[min(int(offset), len(all)):min(int(offset+limit), len(all))], nil
	})
	for round := range 2 {
		var got []int
		for v, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, v)
		}
		if fmt.Sprint(got) != "[2 3 4 5]" {
			t.Errorf("round %d: %v; want [2 3 4 5]", round+1, got)
		}
	}
}
