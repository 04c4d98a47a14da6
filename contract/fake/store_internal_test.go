package fake

import (
	"fmt"
	"strings"
	"testing"
)

// TestTable: lookups by ID ignore case, lists keep insertion order, and
// deletions leave no trace once the order is compacted.
func TestTable(t *testing.T) {
	t.Parallel()
	tb := newTable()
	const n = 300
	for i := range n {
		id := fmt.Sprintf("ID-%03d", i)
		tb.put(id, obj{"id": id})
	}
	tb.put("id-000", obj{"id": "ID-000", "again": true}) // a replace keeps its place
	for i := 0; i < n; i += 3 {
		if !tb.del(fmt.Sprintf("id-%03d", i)) {
			t.Fatalf("del id-%03d = false", i)
		}
	}
	if tb.del("id-000") {
		t.Error("a second del found the row")
	}
	if tb.holes > 64 && tb.holes > tb.len() {
		t.Errorf("holes = %d with %d rows; want a compaction to have run", tb.holes, tb.len())
	}
	var got []string
	for _, o := range tb.list(nil) {
		got = append(got, o["id"].(string))
	}
	if len(got) != n-n/3 || got[0] != "ID-001" || got[1] != "ID-002" || got[2] != "ID-004" {
		t.Errorf("list = %d rows starting %v; want %d in insertion order", len(got), got[:3], n-n/3)
	}
	if tb.get("Id-299") == nil || tb.get("id-003") != nil {
		t.Error("get does not see the live rows and only them")
	}
	for i := range n {
		id := fmt.Sprintf("id-%03d", i)
		if i%3 != 0 {
			tb.del(id)
		}
	}
	if tb.len() != 0 || len(tb.list(nil)) != 0 || len(tb.order) > 64 {
		t.Errorf("after deleting all: %d rows, %d in order", tb.len(), len(tb.order))
	}
}

// TestEveryOperationHasAHandler: the handler table covers the spec, and
// names nothing the spec lacks.
func TestEveryOperationHasAHandler(t *testing.T) {
	t.Parallel()
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var missing []string
	for path, item := range s.validator.Doc().Paths.Map() {
		for method, op := range item.Operations() {
			seen[op.OperationID] = true
			if handlers[op.OperationID] == nil {
				missing = append(missing, method+" "+path)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("operations without a handler: %s", strings.Join(missing, ", "))
	}
	for id := range handlers {
		if !seen[id] {
			t.Errorf("handler for %s, which the spec does not have", id)
		}
	}
	if len(seen) != 92 {
		t.Errorf("the spec has %d operations; want 92", len(seen))
	}
}
