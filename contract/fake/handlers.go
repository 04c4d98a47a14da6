package fake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

const maxBody = 1 << 20

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	return data, nil
}

type bodyReader struct{ *strings.Reader }

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
		s.list(rec, r, s.workspaces, nil)
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
	case "listTags":
		s.list(rec, r, s.tags, workspaceFilter(q))
	case "createTag":
		if find(s.workspaces, "workspaceId", str(in["workspaceId"])) == nil {
			notFound(rec, "workspace", str(in["workspaceId"]))
			return
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
		var items []map[string]any
		for i := len(s.jobs) - 1; i >= 0; i-- {
			j := s.jobs[i]
			if c := q.Get("connectionId"); c != "" && c != j.connectionID {
				continue
			}
			if st := q.Get("status"); st != "" && st != s.jobStatus(j) {
				continue
			}
			if jt := q.Get("jobType"); jt != "" && jt != j.jobType {
				continue
			}
			items = append(items, s.jobView(j, true))
		}
		s.list(rec, r, items, nil)
	default:
		s.answerFromSpec(rec, op)
	}
}

func (s *Server) token(rec *recorder, in map[string]any) {
	if str(in["client_id"]) != s.opts.ClientID || str(in["client_secret"]) != s.opts.ClientSecret {
		rec.problem(http.StatusUnauthorized, "error:unauthorized", "Unauthorized", "the client credentials are not valid", nil)
		return
	}
	tok := newToken()
	s.tokens[tok] = s.opts.Now().Add(s.opts.TokenLifetime)
	rec.json(http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int64(s.opts.TokenLifetime / time.Second)})
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
	var filtered []map[string]any
	for _, it := range items {
		if keep == nil || keep(it) {
			filtered = append(filtered, it)
		}
	}
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

// secretKeys are configuration keys the real server masks in responses.
var secretKeys = []string{"password", "secret", "token", "key", "credentials"}

func mask(cfg map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range cfg {
		lk := strings.ToLower(k)
		masked := false
		for _, s := range secretKeys {
			if strings.Contains(lk, s) {
				masked = true
			}
		}
		switch {
		case masked:
			out[k] = "**********"
		case isMap(v):
			out[k] = mask(v.(map[string]any))
		default:
			out[k] = v
		}
	}
	return out
}

func isMap(v any) bool { _, ok := v.(map[string]any); return ok }

func (s *Server) createActor(rec *recorder, in map[string]any, kind string) {
	ws := str(in["workspaceId"])
	if find(s.workspaces, "workspaceId", ws) == nil {
		notFound(rec, "workspace", ws)
		return
	}
	cfg, _ := in["configuration"].(map[string]any)
	typ := str(cfg[kind+"Type"])
	if typ == "" {
		rec.problem(http.StatusUnprocessableEntity, "https://reference.airbyte.com/reference/errors#unprocessable-entity", "unprocessable-entity",
			fmt.Sprintf("The %s configuration has no %sType, so its connector cannot be chosen.", kind, kind), map[string]any{"field": "configuration." + kind + "Type"})
		return
	}
	def := str(in["definitionId"])
	if def == "" {
		def = newID()
	}
	it := map[string]any{
		kind + "Id": newID(), "name": in["name"], kind + "Type": typ, "definitionId": def,
		"workspaceId": ws, "configuration": mask(cfg), "createdAt": s.opts.Now().Unix(),
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

// jobView renders a job. The answer to POST /jobs carries no progress
// fields, as the real server's does not.
func (s *Server) jobView(j *job, progress bool) map[string]any {
	status := s.jobStatus(j)
	end := s.opts.Now()
	if j.cancelled != nil {
		end = *j.cancelled
	}
	el := end.Sub(j.created)
	if el > s.opts.JobDuration {
		el = s.opts.JobDuration
	}
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

func str(v any) string {
	s, _ := v.(string)
	return s
}
