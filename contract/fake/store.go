package fake

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// obj is one stored resource: the fields the API shows, plus internal
// fields whose names start with "_" (never shown; see view).
type obj = map[string]any

// A table holds one kind of resource: a map by ID for constant-time
// lookup, and the IDs in insertion order for lists. Deleting leaves a
// hole in the order that later compactions remove.
type table struct {
	rows  map[string]obj
	order []string
	holes int
}

func newTable() *table { return &table{rows: map[string]obj{}} }

// key is how IDs are compared: the server's IDs are UUIDs, which compare
// case-insensitively.
func key(id string) string { return strings.ToLower(id) }

func (t *table) get(id string) obj { return t.rows[key(id)] }

// put stores o under id, appending it to the order when it is new.
func (t *table) put(id string, o obj) {
	k := key(id)
	if _, ok := t.rows[k]; !ok {
		t.order = append(t.order, k)
	}
	t.rows[k] = o
}

func (t *table) del(id string) bool {
	k := key(id)
	if _, ok := t.rows[k]; !ok {
		return false
	}
	delete(t.rows, k)
	t.holes++
	if t.holes > 64 && t.holes > len(t.rows) {
		t.compact()
	}
	return true
}

func (t *table) compact() {
	out := make([]string, 0, len(t.rows))
	for _, k := range t.order {
		if _, ok := t.rows[k]; ok {
			out = append(out, k)
		}
	}
	t.order, t.holes = out, 0
}

// each calls f for every row in insertion order until f returns false.
func (t *table) each(f func(obj) bool) {
	for _, k := range t.order {
		if o, ok := t.rows[k]; ok && !f(o) {
			return
		}
	}
}

// list returns the rows keep accepts (all when keep is nil), in order.
func (t *table) list(keep func(obj) bool) []obj {
	out := []obj{}
	t.each(func(o obj) bool {
		if keep == nil || keep(o) {
			out = append(out, o)
		}
		return true
	})
	return out
}

func (t *table) len() int { return len(t.rows) }

// tableNames are the tables of a store, in the order a state file lists
// them.
var tableNames = []string{
	"organizations", "users", "applications", "permissions", "workspaces",
	"sources", "destinations", "connections", "tags", "groups", "groupMembers",
	"groupPermissions", "regions", "dataplanes", "sourceDefinitions",
	"destinationDefinitions", "declarativeDefinitions", "oauthCredentials",
}

// store is the fake's whole state, behind one lock.
type store struct {
	mu     sync.Mutex
	tables map[string]*table
	jobs   map[int64]*job
	jobIDs []int64 // creation order
	// current maps a connection to its job that has not ended.
	current   map[string]int64
	nextJobID int64
	tokens    map[string]token
	requests  int
}

func newStore() *store {
	st := &store{tables: map[string]*table{}, jobs: map[int64]*job{}, current: map[string]int64{}, tokens: map[string]token{}, nextJobID: 1000}
	for _, n := range tableNames {
		st.tables[n] = newTable()
	}
	return st
}

func (st *store) t(name string) *table {
	t, ok := st.tables[name]
	if !ok {
		panic("fake: no table " + name)
	}
	return t
}

// view returns the fields of o the API shows: no internal "_" fields and
// no nulls (the server's JSON leaves null fields out of success bodies;
// server: airbyte-server/src/main/resources/application.yml:614).
func view(o obj) obj {
	out := make(obj, len(o))
	for k, v := range o {
		if v == nil || strings.HasPrefix(k, "_") {
			continue
		}
		out[k] = v
	}
	return out
}

// stateFormat names the fake's state files, so a foreign JSON file is
// recognised as such.
const stateFormat = "airbyte-go fake state"

const stateVersion = 1

// snapshot is what a state file holds.
type snapshot struct {
	Format    string           `json:"format"`
	Version   int              `json:"version"`
	SavedAt   time.Time        `json:"savedAt"`
	Tables    map[string][]obj `json:"tables"`
	Jobs      []*job           `json:"jobs"`
	NextJobID int64            `json:"nextJobId"`
}

// ErrStateFile is wrapped by the errors of LoadState for a file that is
// not a fake's state: corrupt, foreign or of another version.
var ErrStateFile = errors.New("fake: not a fake state file")

// SaveState writes the fake's resources and jobs (not its tokens) as
// JSON. Stored configurations hold masked secrets only, so a state file
// holds no connector secret.
func (s *Server) SaveState() ([]byte, error) {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	snap := snapshot{Format: stateFormat, Version: stateVersion, SavedAt: s.opts.Now().UTC(), Tables: map[string][]obj{}, NextJobID: s.st.nextJobID}
	for _, n := range tableNames {
		snap.Tables[n] = s.st.t(n).list(nil)
	}
	for _, id := range s.st.jobIDs {
		snap.Jobs = append(snap.Jobs, s.st.jobs[id])
	}
	return json.MarshalIndent(snap, "", " ")
}

// LoadState replaces the fake's resources and jobs with those of a state
// written by SaveState. On error nothing changes.
func (s *Server) LoadState(data []byte) error {
	var snap snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return fmt.Errorf("%w: %v", ErrStateFile, err)
	}
	if snap.Format != stateFormat {
		return fmt.Errorf("%w: format %q, want %q", ErrStateFile, snap.Format, stateFormat)
	}
	if snap.Version != stateVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrStateFile, snap.Version, stateVersion)
	}
	st := newStore()
	idField := map[string]string{
		"organizations": "organizationId", "users": "id", "applications": "id", "permissions": "permissionId",
		"workspaces": "workspaceId", "sources": "sourceId", "destinations": "destinationId", "connections": "connectionId",
		"tags": "tagId", "groups": "groupId", "groupMembers": "memberId", "groupPermissions": "permissionId",
		"regions": "regionId", "dataplanes": "dataplaneId", "sourceDefinitions": "id", "destinationDefinitions": "id",
		"declarativeDefinitions": "id", "oauthCredentials": "_key",
	}
	for name, rows := range snap.Tables {
		t, ok := st.tables[name]
		if !ok {
			return fmt.Errorf("%w: unknown table %q", ErrStateFile, name)
		}
		for i, o := range rows {
			id := str(o[idField[name]])
			if id == "" {
				return fmt.Errorf("%w: %s[%d] has no %s", ErrStateFile, name, i, idField[name])
			}
			t.put(id, o)
		}
	}
	if st.t("workspaces").len() == 0 || st.t("users").len() == 0 || st.t("organizations").len() == 0 {
		return fmt.Errorf("%w: no workspace, user or organization", ErrStateFile)
	}
	for _, j := range snap.Jobs {
		if j == nil || j.ID <= 0 {
			return fmt.Errorf("%w: a job without an id", ErrStateFile)
		}
		st.jobs[j.ID] = j
		st.jobIDs = append(st.jobIDs, j.ID)
	}
	sort.Slice(st.jobIDs, func(a, b int) bool { return st.jobIDs[a] < st.jobIDs[b] })
	st.nextJobID = max(snap.NextJobID, 1000)
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	// Keep the tokens already issued: they name users, which a state may
	// lack; such tokens then simply stop resolving.
	st.tokens = s.st.tokens
	st.requests = s.st.requests
	s.st.tables, s.st.jobs, s.st.jobIDs, s.st.nextJobID, s.st.current = st.tables, st.jobs, st.jobIDs, st.nextJobID, map[string]int64{}
	now := s.opts.Now()
	for _, id := range s.st.jobIDs {
		j := s.st.jobs[id]
		if !terminal(s.jobStatus(j, now)) {
			s.st.current[key(j.ConnectionID)] = j.ID
		}
	}
	s.refreshDefaults()
	return nil
}
