package connectors

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// checkerRegistry makes a registry of the two fixture connectors.
func checkerRegistry(t *testing.T) *Registry {
	t.Helper()
	spec, err := os.ReadFile(filepath.Join("testdata", "source-warehouse.spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	lake, err := os.ReadFile(filepath.Join("testdata", "destination-lake.entry.json"))
	if err != nil {
		t.Fatal(err)
	}
	source := map[string]any{
		"sourceDefinitionId": "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "name": "Warehouse",
		"dockerRepository": "airbyte/source-warehouse", "dockerImageTag": "1.2.3", "spec": json.RawMessage(spec),
	}
	doc, err := json.Marshal(map[string]any{"sources": []any{source}, "destinations": []json.RawMessage{lake}})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := ParseRegistry(doc, "test")
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestCheckerValidateConfiguration(t *testing.T) {
	t.Parallel()
	c := NewChecker(checkerRegistry(t))
	ok := cfgJSON(t, warehouseOK)
	bad := cfgJSON(t, warehouseOK)
	delete(bad, "host")
	bad["port"] = "seventy"
	ctx := context.Background()
	tests := []struct {
		name                  string
		kind, defID, typeName string
		cfg                   map[string]any
		patch                 bool
		wantErr, wantProblems bool
		wantIs                error
		wantText              string
	}{
		{name: "fits, by type name", kind: "source", typeName: "warehouse", cfg: ok},
		{name: "fits, by repository name", kind: "source", typeName: "source-warehouse", cfg: ok},
		{name: "fits, by definition ID", kind: "source", defID: "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d", cfg: ok},
		{name: "does not fit", kind: "source", typeName: "warehouse", cfg: bad, wantErr: true, wantProblems: true, wantText: "/port"},
		{name: "patch of one field", kind: "source", typeName: "warehouse", cfg: map[string]any{"port": 7071}, patch: true},
		{name: "bad patch", kind: "source", typeName: "warehouse", cfg: map[string]any{"port": "x"}, patch: true, wantErr: true, wantProblems: true},
		{name: "full check of a partial configuration", kind: "source", typeName: "warehouse", cfg: map[string]any{"port": 7071}, wantErr: true, wantProblems: true},
		{name: "custom definition is left to the server", kind: "source", defID: "11111111-2222-4333-8444-555555555555", cfg: bad},
		// Names the registry does not list are left to the server, whose
		// own name map decides.
		{name: "unknown type name is left to the server", kind: "source", typeName: "postgress", cfg: ok},
		{name: "a destination named as a source is left to the server", kind: "source", typeName: "lake", cfg: ok},
		{name: "a destination's definition given for a source", kind: "source", defID: "0f1e2d3c-4b5a-4697-8877-665544332211", cfg: ok, wantErr: true, wantText: "is a destination, not a source"},
		{name: "bad kind", kind: "connection", typeName: "warehouse", cfg: ok, wantErr: true, wantText: "kind"},
		{name: "bad definition ID", kind: "source", defID: "not-a-uuid", cfg: ok, wantErr: true, wantText: "not a UUID"},
		{name: "no connector named", kind: "destination", cfg: ok, wantErr: true, wantText: "names no connector"},
	}
	for _, tt := range tests {
		err := c.ValidateConfiguration(ctx, tt.kind, tt.defID, tt.typeName, tt.cfg, tt.patch)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v; want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if err == nil {
			continue
		}
		var ve *ValidationError
		if errors.As(err, &ve) != tt.wantProblems {
			t.Errorf("%s: err %T %v; want *ValidationError %v", tt.name, err, err, tt.wantProblems)
		}
		if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
			t.Errorf("%s: errors.Is(%v, %v) = false", tt.name, err, tt.wantIs)
		}
		if !strings.Contains(err.Error(), tt.wantText) {
			t.Errorf("%s: err = %q; want it to contain %q", tt.name, err, tt.wantText)
		}
		if strings.Contains(err.Error(), "hunter2-pw") || strings.Contains(err.Error(), "seventy") {
			t.Errorf("%s: error quotes a configuration value: %q", tt.name, err)
		}
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := c.ValidateConfiguration(canceled, "source", "", "warehouse", ok, false); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: err = %v; want context.Canceled", err)
	}
	var zero *Checker
	if err := zero.ValidateConfiguration(ctx, "source", "", "warehouse", ok, false); err == nil {
		t.Error("nil Checker: no error")
	}
}

// TestCheckerCompilesOnce checks concurrent callers share one compiled
// schema per connector.
func TestCheckerCompilesOnce(t *testing.T) {
	t.Parallel()
	c := NewChecker(checkerRegistry(t))
	ok := cfgJSON(t, warehouseOK)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.ValidateConfiguration(context.Background(), "source", "", "warehouse", ok, false); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.specs) != 1 {
		t.Errorf("compiled schemas = %d; want 1", len(c.specs))
	}
}
