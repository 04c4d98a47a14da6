package fake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/seed83f33fd3/airbyte-go/internal/redact"
)

const maxBody = 1 << 20

// errTooLarge is readBody's error for a body over maxBody bytes.
var errTooLarge = fmt.Errorf("request body is larger than %d bytes", maxBody)

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if len(data) > maxBody {
		return nil, errTooLarge
	}
	return data, nil
}

type bodyReader struct{ *strings.Reader }

// Close does nothing: the body is in memory.
func (bodyReader) Close() error { return nil }

func nopCloser(b []byte) io.ReadCloser { return bodyReader{strings.NewReader(string(b))} }

// handle answers one validated, authorized request.
func (s *Server) handle(rec *recorder, r *http.Request, op *openapi3.Operation, p map[string]string, body []byte) {
	var in map[string]any
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			rec.problem(http.StatusBadRequest, "error:bad-request", "Bad request", "body is not a JSON object", nil)
			return
		}
	}
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	switch op.OperationID {
	case "createAccessToken":
		s.token(rec, in)
	case "listWorkspaces":
		s.list(rec, r, s.workspaces, workspaceFilter(q))
	case "getWorkspace":
		s.get(rec, s.workspaces, "workspaceId", p["workspaceId"], "workspace")
	case "createWorkspace":
		ws := map[string]any{"workspaceId": newID(), "name": in["name"], "dataResidency": "auto", "notifications": map[string]any{}}
		s.workspaces = append(s.workspaces, ws)
		rec.json(http.StatusOK, ws)
	case "listSources":
		s.list(rec, r, s.sources, workspaceFilter(q))
	case "getSource":
		s.get(rec, s.sources, "sourceId", p["sourceId"], "source")
	case "deleteSource":
		s.sources = s.del(rec, s.sources, "sourceId", p["sourceId"], "source")
	case "createSource":
		s.createActor(rec, in, "source")
	case "listDestinations":
		s.list(rec, r, s.destinations, workspaceFilter(q))
	case "getDestination":
		s.get(rec, s.destinations, "destinationId", p["destinationId"], "destination")
	case "deleteDestination":
		s.destinations = s.del(rec, s.destinations, "destinationId", p["destinationId"], "destination")
	case "createDestination":
		s.createActor(rec, in, "destination")
	case "listConnections":
		s.list(rec, r, s.connections, workspaceFilter(q))
	case "getConnection":
		s.get(rec, s.connections, "connectionId", p["connectionId"], "connection")
	case "deleteConnection":
		s.connections = s.del(rec, s.connections, "connectionId", p["connectionId"], "connection")
	case "createConnection":
		s.createConnection(rec, in)
	case "patchConnection":
		s.patchConnection(rec, p["connectionId"], in)
	case "listTags":
		// Tags are not paginated: every match in one envelope.
		rec.json(http.StatusOK, map[string]any{"data": filter(s.tags, workspaceFilter(q))})
	case "createTag":
		if find(s.workspaces, "workspaceId", str(in["workspaceId"])) == nil {
			notFound(rec, "workspace", str(in["workspaceId"]))
			return
		}
		for _, t := range s.tags {
			if strings.EqualFold(str(t["workspaceId"]), str(in["workspaceId"])) && str(t["name"]) == str(in["name"]) {
				rec.problem(http.StatusConflict, "https://reference.airbyte.com/reference/errors#conflict", "conflict",
					fmt.Sprintf("The workspace already has a tag named %q.", str(in["name"])), map[string]any{"tagId": t["tagId"]})
				return
			}
		}
		tag := map[string]any{"tagId": newID(), "name": in["name"], "color": in["color"], "workspaceId": in["workspaceId"]}
		s.tags = append(s.tags, tag)
		rec.json(http.StatusOK, tag)
	case "getTag":
		s.get(rec, s.tags, "tagId", p["tagId"], "tag")
	case "deleteTag":
		s.tags = s.del(rec, s.tags, "tagId", p["tagId"], "tag")
	case "createJob":
		s.createJob(rec, in)
	case "getJob":
		j := s.findJob(p["jobId"])
		if j == nil {
			notFound(rec, "job", p["jobId"])
			return
		}
		rec.json(http.StatusOK, s.jobView(j, true))
	case "cancelJob":
		j := s.findJob(p["jobId"])
		if j == nil {
			notFound(rec, "job", p["jobId"])
			return
		}
		if !terminal(s.jobStatus(j)) {
			now := s.opts.Now()
			j.cancelled = &now
		}
		rec.json(http.StatusOK, s.jobView(j, true))
	case "listJobs":
		s.listJobs(rec, r, q)
	default:
		s.answerFromSpec(rec, op)
	}
}

// listJobs filters by connection, workspace, type, status and creation or
// update time, and sorts as orderBy says (newest first by default).
func (s *Server) listJobs(rec *recorder, r *http.Request, q url.Values) {
	inWorkspace := workspaceFilter(q)
	var bounds [4]time.Time // createdAtStart, createdAtEnd, updatedAtStart, updatedAtEnd
	for i, name := range []string{"createdAtStart", "createdAtEnd", "updatedAtStart", "updatedAtEnd"} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				rec.problem(http.StatusBadRequest, "error:bad-request", "Bad request", fmt.Sprintf("query parameter %s: %v", name, err), nil)
				return
			}
			bounds[i] = t
		}
	}
	field, dir := "createdAt", "DESC"
	if v := q.Get("orderBy"); v != "" {
		f, d, ok := strings.Cut(v, "|")
		if !ok || (f != "createdAt" && f != "updatedAt") || (d != "ASC" && d != "DESC") {
			rec.problem(http.StatusBadRequest, "error:bad-request", "Bad request",
				fmt.Sprintf("query parameter orderBy: %q is not createdAt or updatedAt followed by |ASC or |DESC", v), nil)
			return
		}
		field, dir = f, d
	}
	type row struct {
		id               int64
		view             map[string]any
		created, updated time.Time
	}
	var rows []row
	for _, j := range s.jobs {
		if c := q.Get("connectionId"); c != "" && !strings.EqualFold(c, j.connectionID) {
			continue
		}
		if st := q.Get("status"); st != "" && st != s.jobStatus(j) {
			continue
		}
		if jt := q.Get("jobType"); jt != "" && jt != j.jobType {
			continue
		}
		if inWorkspace != nil {
			conn := find(s.connections, "connectionId", j.connectionID)
			if conn == nil || !inWorkspace(conn) {
				continue
			}
		}
		updated := s.jobEnd(j)
		if outside(j.created, bounds[0], bounds[1]) || outside(updated, bounds[2], bounds[3]) {
			continue
		}
		rows = append(rows, row{j.id, s.jobView(j, true), j.created, updated})
	}
	sort.SliceStable(rows, func(a, b int) bool {
		x, y := rows[a].created, rows[b].created
		if field == "updatedAt" {
			x, y = rows[a].updated, rows[b].updated
		}
		if x.Equal(y) { // jobs made in the same instant: by id
			return (dir == "ASC") == (rows[a].id < rows[b].id)
		}
		return (dir == "ASC") == x.Before(y)
	})
	items := make([]map[string]any, len(rows))
	for i, r := range rows {
		items[i] = r.view
	}
	s.list(rec, r, items, nil)
}

// outside reports whether t is before start or after end (zero bounds are open).
func outside(t, start, end time.Time) bool {
	return (!start.IsZero() && t.Before(start)) || (!end.IsZero() && t.After(end))
}

func (s *Server) token(rec *recorder, in map[string]any) {
	if str(in["client_id"]) != s.opts.ClientID || str(in["client_secret"]) != s.opts.ClientSecret {
		rec.problem(http.StatusUnauthorized, "error:unauthorized", "Unauthorized", "the client credentials are not valid", nil)
		return
	}
	now := s.opts.Now()
	for t, exp := range s.tokens { // forget expired tokens
		if !now.Before(exp) {
			delete(s.tokens, t)
		}
	}
	tok := newToken()
	s.tokens[tok] = now.Add(s.opts.TokenLifetime)
	rec.json(http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": ceilSeconds(s.opts.TokenLifetime)})
}

// list writes one page of items with the real server's envelope: absolute
// next/previous links, "" when there is no such page.
func (s *Server) list(rec *recorder, r *http.Request, items []map[string]any, keep func(map[string]any) bool) {
	q := r.URL.Query()
	limit, offset := 20, 0
	if v, err := strconv.Atoi(q.Get("limit")); err == nil {
		limit = v
	}
	if v, err := strconv.Atoi(q.Get("offset")); err == nil {
		offset = v
	}
	filtered := filter(items, keep)
	page := []map[string]any{}
	if offset < len(filtered) {
		page = filtered[offset:min(offset+limit, len(filtered))]
	}
	link := func(off int) string {
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
		if r.TLS != nil {
			u.Scheme = "https"
		}
		lq := url.Values{}
		for k, vs := range q {
			lq[k] = []string{strings.Join(vs, ",")}
		}
		lq.Set("limit", strconv.Itoa(limit))
		lq.Set("offset", strconv.Itoa(off))
		u.RawQuery = lq.Encode()
		return u.String()
	}
	next, prev := "", ""
	if offset+limit < len(filtered) {
		next = link(offset + limit)
	}
	if offset > 0 {
		prev = link(max(0, offset-limit))
	}
	rec.json(http.StatusOK, map[string]any{"data": page, "next": next, "previous": prev})
}

// filter returns the items keep accepts (all when keep is nil), never nil.
func filter(items []map[string]any, keep func(map[string]any) bool) []map[string]any {
	out := []map[string]any{}
	for _, it := range items {
		if keep == nil || keep(it) {
			out = append(out, it)
		}
	}
	return out
}

func workspaceFilter(q url.Values) func(map[string]any) bool {
	raw := q.Get("workspaceIds")
	if raw == "" {
		return nil
	}
	want := map[string]bool{}
	for _, id := range strings.Split(raw, ",") {
		want[strings.ToLower(id)] = true
	}
	return func(it map[string]any) bool { return want[strings.ToLower(str(it["workspaceId"]))] }
}

func (s *Server) get(rec *recorder, items []map[string]any, key, id, kind string) {
	if it := find(items, key, id); it != nil {
		rec.json(http.StatusOK, it)
		return
	}
	notFound(rec, kind, id)
}

func (s *Server) del(rec *recorder, items []map[string]any, key, id, kind string) []map[string]any {
	for i, it := range items {
		if strings.EqualFold(str(it[key]), id) {
			rec.status = http.StatusNoContent
			return append(items[:i:i], items[i+1:]...)
		}
	}
	notFound(rec, kind, id)
	return items
}

func find(items []map[string]any, key, id string) map[string]any {
	for _, it := range items {
		if strings.EqualFold(str(it[key]), id) {
			return it
		}
	}
	return nil
}

func notFound(rec *recorder, kind, id string) {
	rec.problem(http.StatusNotFound, "https://reference.airbyte.com/reference/errors#resource-not-found", "resource-not-found",
		fmt.Sprintf("Could not find a %s with id %s", kind, id), map[string]any{"id": id, "resourceType": kind})
}

func (s *Server) createActor(rec *recorder, in map[string]any, kind string) {
	ws := str(in["workspaceId"])
	if find(s.workspaces, "workspaceId", ws) == nil {
		notFound(rec, "workspace", ws)
		return
	}
	cfg, _ := in["configuration"].(map[string]any)
	typ := str(cfg[kind+"Type"])
	if typ == "" && str(in["definitionId"]) != "" {
		typ = "custom" // the connector is chosen by its definition
	}
	if typ == "" {
		rec.problem(http.StatusUnprocessableEntity, "https://reference.airbyte.com/reference/errors#unprocessable-entity", "unprocessable-entity",
			fmt.Sprintf("The %s configuration has no %sType, so its connector cannot be chosen.", kind, kind), map[string]any{"field": "configuration." + kind + "Type"})
		return
	}
	def := str(in["definitionId"])
	if def == "" {
		def = newID()
	}
	// Secrets in the configuration come back masked, as the real server sends them.
	it := map[string]any{
		kind + "Id": newID(), "name": in["name"], kind + "Type": typ, "definitionId": def,
		"workspaceId": ws, "configuration": redact.Map(cfg, redact.Masked, nil), "createdAt": s.opts.Now().Unix(),
	}
	if kind == "source" {
		s.sources = append(s.sources, it)
	} else {
		s.destinations = append(s.destinations, it)
	}
	rec.json(http.StatusOK, it)
}

func (s *Server) createConnection(rec *recorder, in map[string]any) {
	src := find(s.sources, "sourceId", str(in["sourceId"]))
	if src == nil {
		notFound(rec, "source", str(in["sourceId"]))
		return
	}
	dst := find(s.destinations, "destinationId", str(in["destinationId"]))
	if dst == nil {
		notFound(rec, "destination", str(in["destinationId"]))
		return
	}
	name := str(in["name"])
	if name == "" {
		name = str(src["name"]) + " → " + str(dst["name"])
	}
	status := str(in["status"])
	if status == "" {
		status = "active"
	}
	schedule := map[string]any{"scheduleType": "manual"}
	if sc, ok := in["schedule"].(map[string]any); ok && str(sc["scheduleType"]) == "cron" {
		schedule = map[string]any{"scheduleType": "cron", "cronExpression": str(sc["cronExpression"]) + " UTC"}
	}
	configs, ok := in["configurations"].(map[string]any)
	if !ok {
		configs = map[string]any{"streams": []any{}}
	}
	c := map[string]any{
		"connectionId": newID(), "name": name, "sourceId": src["sourceId"], "destinationId": dst["destinationId"],
		"workspaceId": src["workspaceId"], "status": status, "schedule": schedule, "configurations": configs,
		"createdAt": s.opts.Now().Unix(), "tags": []any{},
		"namespaceDefinition": "destination", "nonBreakingSchemaUpdatesBehavior": "ignore",
	}
	s.connections = append(s.connections, c)
	rec.json(http.StatusOK, c)
}

// patchConnection changes what the request sets and keeps the rest; a
// schedule is stored as createConnection stores it.
func (s *Server) patchConnection(rec *recorder, id string, in map[string]any) {
	c := find(s.connections, "connectionId", id)
	if c == nil {
		notFound(rec, "connection", id)
		return
	}
	for _, k := range []string{"name", "status", "configurations", "namespaceDefinition", "namespaceFormat", "prefix", "nonBreakingSchemaUpdatesBehavior", "tags"} {
		if v, ok := in[k]; ok {
			c[k] = v
		}
	}
	if sc, ok := in["schedule"].(map[string]any); ok {
		c["schedule"] = map[string]any{"scheduleType": "manual"}
		if str(sc["scheduleType"]) == "cron" {
			c["schedule"] = map[string]any{"scheduleType": "cron", "cronExpression": str(sc["cronExpression"]) + " UTC"}
		}
	}
	rec.json(http.StatusOK, c)
}

func (s *Server) createJob(rec *recorder, in map[string]any) {
	cid := str(in["connectionId"])
	if find(s.connections, "connectionId", cid) == nil {
		notFound(rec, "connection", cid)
		return
	}
	for _, j := range s.jobs {
		if strings.EqualFold(j.connectionID, cid) && !terminal(s.jobStatus(j)) {
			rec.problem(http.StatusConflict, "https://reference.airbyte.com/reference/errors#try-again-later", "try-again-later",
				fmt.Sprintf("A sync is already running for connection %s (job %d).", cid, j.id), map[string]any{"jobId": j.id})
			return
		}
	}
	s.nextJobID++
	j := &job{id: s.nextJobID, connectionID: strings.ToLower(cid), jobType: str(in["jobType"]), created: s.opts.Now()}
	s.jobs = append(s.jobs, j)
	rec.json(http.StatusOK, s.jobView(j, false))
}

func (s *Server) findJob(id string) *job {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil
	}
	for _, j := range s.jobs {
		if j.id == n {
			return j
		}
	}
	return nil
}

func terminal(status string) bool {
	return status == "succeeded" || status == "failed" || status == "cancelled" || status == "incomplete"
}

// jobStatus derives a job's status from the clock: pending for the first
// tenth of its duration, then running, then succeeded (or failed).
func (s *Server) jobStatus(j *job) string {
	if j.cancelled != nil {
		return "cancelled"
	}
	el := s.opts.Now().Sub(j.created)
	switch {
	case el < s.opts.JobDuration/10:
		return "pending"
	case el < s.opts.JobDuration:
		return "running"
	case s.opts.FailJobs:
		return "failed"
	default:
		return "succeeded"
	}
}

// jobEnd is when a job last changed: now while it runs, when it finished
// or when it was cancelled.
func (s *Server) jobEnd(j *job) time.Time {
	end := s.opts.Now()
	if j.cancelled != nil {
		end = *j.cancelled
	}
	return j.created.Add(min(end.Sub(j.created), s.opts.JobDuration))
}

// jobView renders a job. The answer to POST /jobs carries no progress
// fields, as the real server's does not.
func (s *Server) jobView(j *job, progress bool) map[string]any {
	status := s.jobStatus(j)
	el := s.jobEnd(j).Sub(j.created)
	v := map[string]any{
		"jobId": j.id, "status": status, "jobType": j.jobType, "connectionId": j.connectionID,
		"startTime": j.created.UTC().Format(time.RFC3339),
	}
	if progress {
		frac := float64(0)
		if status != "pending" {
			frac = float64(el) / float64(s.opts.JobDuration)
		}
		if status == "failed" {
			frac /= 2
		}
		v["lastUpdatedAt"] = j.created.Add(el).UTC().Format(time.RFC3339)
		v["duration"] = fmt.Sprintf("PT%dS", int(el/time.Second))
		v["bytesSynced"] = int64(frac * float64(s.opts.JobBytes))
		v["rowsSynced"] = int64(frac * float64(s.opts.JobRows))
	}
	return v
}

// ceilSeconds is d in whole seconds, rounded up.
func ceilSeconds(d time.Duration) int64 {
	return int64((d + time.Second - 1) / time.Second)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
