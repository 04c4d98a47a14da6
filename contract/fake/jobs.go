package fake

import (
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/seed83f33fd3/airbyte-go/apitime"
)

// A job is a sync or reset of a connection. Its status follows from the
// clock: pending for the first tenth of JobDuration, then running; a job
// whose attempts fail passes through incomplete between its three
// attempts and ends failed.
type job struct {
	ID           int64      `json:"id"`
	ConnectionID string     `json:"connectionId"`
	Type         string     `json:"type"`
	Created      time.Time  `json:"created"`
	Cancelled    *time.Time `json:"cancelled,omitempty"`
	Fail         bool       `json:"fail"`
}

// Phases of a job, as fractions of JobDuration.
const (
	runStart = 0.1
	attempts = 3
)

// phase is a job's status at an elapsed fraction of its duration, and
// when (as a fraction) that status began.
func phase(frac float64, fail bool) (string, float64) {
	switch {
	case frac < runStart:
		return "pending", 0
	case frac >= 1:
		if fail {
			return "failed", 1
		}
		return "succeeded", 1
	case !fail:
		return "running", runStart
	}
	// Three attempts of equal length share [runStart, 1); each but the
	// last ends with a short incomplete spell before the next begins.
	span := (1 - runStart) / attempts
	i := min(int((frac-runStart)/span), attempts-1)
	start := runStart + float64(i)*span
	if i < attempts-1 && frac >= start+span*5/6 {
		return "incomplete", start + span*5/6
	}
	return "running", start
}

// terminal reports whether a status is final: only failed, succeeded and
// cancelled are (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/JobResponseMapper.kt:24).
func terminal(status string) bool {
	return status == "succeeded" || status == "failed" || status == "cancelled"
}

func (s *Server) fraction(j *job, at time.Time) float64 {
	return float64(at.Sub(j.Created)) / float64(s.opts.JobDuration)
}

// jobStatus is a job's status now.
func (s *Server) jobStatus(j *job, now time.Time) string {
	st, _ := s.jobState(j, now)
	return st
}

// jobState is a job's status at now and when it last changed.
func (s *Server) jobState(j *job, now time.Time) (string, time.Time) {
	if j.Cancelled != nil && !now.Before(*j.Cancelled) {
		if st, _ := phase(s.fraction(j, *j.Cancelled), j.Fail); !terminal(st) {
			return "cancelled", *j.Cancelled
		}
	}
	st, since := phase(s.fraction(j, now), j.Fail)
	return st, j.Created.Add(time.Duration(math.Round(since*float64(s.opts.JobDuration)/1e6) * 1e6))
}

// javaTime writes an instant, truncated to whole seconds, as Java's
// OffsetDateTime.toString() does in UTC: seconds left out when zero
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/JobResponseMapper.kt:62,65).
func javaTime(t time.Time) string {
	return apitime.Time{Time: t.UTC().Truncate(time.Second)}.JavaString()
}

// javaDuration writes whole seconds as Java's Duration.toString() does:
// PT2M5S, PT25H1M1S, PT0S (JobResponseMapper.kt:72).
func javaDuration(secs int64) string {
	return apitime.Duration{Duration: time.Duration(secs) * time.Second}.String()
}

// jobView writes a job as the server's mapper does: lastUpdatedAt only
// once final, duration (updated minus created, in whole seconds) unless
// pending, counts only once the job has run
// (server: JobResponseMapper.kt:46-78).
func (s *Server) jobView(j *job, now time.Time) obj {
	status, updated := s.jobState(j, now)
	created := j.Created.Unix()
	v := obj{"jobId": j.ID, "status": status, "jobType": j.Type, "connectionId": j.ConnectionID, "startTime": javaTime(j.Created)}
	if terminal(status) {
		v["lastUpdatedAt"] = javaTime(updated)
	}
	if status != "pending" {
		v["duration"] = javaDuration(updated.Unix() - created)
		end := now
		if j.Cancelled != nil && j.Cancelled.Before(end) {
			end = *j.Cancelled
		}
		frac := min(max(s.fraction(j, end)-runStart, 0)/(1-runStart), 1)
		if j.Fail {
			frac /= 2
		}
		v["bytesSynced"] = int64(frac * float64(s.opts.JobBytes))
		v["rowsSynced"] = int64(frac * float64(s.opts.JobRows))
	}
	return v
}

// jobWorkspace is the workspace a job ID resolves to for the role check.
func (s *Server) jobWorkspace(id string) (*job, string) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, ""
	}
	j := s.st.jobs[n]
	if j == nil {
		return nil, ""
	}
	return j, s.connectionWorkspace(j.ConnectionID)
}

// jobGone is the server's answer for an unknown job ID past the role
// check: 409 state-conflict, not 404, as the persistence layer's error is
// mapped so (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/errorHandlers/ConfigClientErrorHandler.kt:135-136).
func jobGone(c *call) {
	c.rec.message(probStateConflict, "Job is not currently running")
}

// createJob starts a sync or a reset. clear runs as a reset and reads back
// as one; refresh is refused with 422; a connection that has a job not
// yet ended answers 409 try-again-later; one that is not active, 409
// state-conflict (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/JobsController.kt:91-208;
// airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/SchedulerHandler.kt:639,698-702).
func (s *Server) createJob(c *call) {
	cid, typ := str(c.in["connectionId"]), str(c.in["jobType"])
	roles := []string{wsRunner}
	if typ == "clear" {
		roles = []string{anyActorEdit}
	}
	conn := s.connectionFor(c, cid, roles...)
	if conn == nil {
		return
	}
	switch typ {
	case "refresh":
		c.rec.message(probUnprocessable, "Refreshes cannot be started through the public API.")
		return
	case "clear":
		typ = "reset"
	}
	if jid, ok := s.st.current[key(cid)]; ok && !terminal(s.jobStatus(s.st.jobs[jid], c.now)) {
		c.rec.message(probTryAgain, "A sync is already running for: "+str(conn["connectionId"]))
		return
	}
	if conn["status"] != "active" {
		c.rec.message(probStateConflict, "Could not fulfill request")
		return
	}
	s.st.nextJobID++
	j := &job{ID: s.st.nextJobID, ConnectionID: str(conn["connectionId"]), Type: typ, Created: c.now, Fail: s.opts.FailJobs}
	s.st.jobs[j.ID] = j
	s.st.jobIDs = append(s.st.jobIDs, j.ID)
	s.st.current[key(cid)] = j.ID
	c.rec.json(http.StatusOK, s.jobView(j, c.now))
}

func (s *Server) getJob(c *call) {
	j, ws := s.jobWorkspace(c.p["jobId"])
	if !s.inWorkspace(c, ws, wsReader) {
		return
	}
	if j == nil {
		jobGone(c)
		return
	}
	c.rec.json(http.StatusOK, s.jobView(j, c.now))
}

// cancelJob cancels the job the connection of the given job is running,
// whichever that is; with none running it answers 409 state-conflict
// (server: SchedulerHandler.kt:590-601). The fake's cancellation takes
// effect at once.
func (s *Server) cancelJob(c *call) {
	j, ws := s.jobWorkspace(c.p["jobId"])
	if !s.inWorkspace(c, ws, wsRunner) {
		return
	}
	if j == nil {
		jobGone(c)
		return
	}
	cur, ok := s.st.jobs[s.st.current[key(j.ConnectionID)]]
	if !ok || terminal(s.jobStatus(cur, c.now)) {
		jobGone(c)
		return
	}
	now := c.now
	cur.Cancelled = &now
	c.rec.json(http.StatusOK, s.jobView(cur, c.now))
}

// listJobs filters by connection or workspaces, type, status and creation
// and update time; orderBy is field|ASC or field|DESC, oldest first by
// default; links keep jobType and connectionId or workspaceIds only
// (server: JobsController.kt:247-332; helpers/JobsHelper.kt:15-30;
// mappers/JobsResponseMapper.kt:48-91).
func (s *Server) listJobs(c *call) {
	q := c.q
	cid := q.Get("connectionId")
	wsIDs := multi(q, "workspaceIds")
	switch {
	case cid != "":
		if !s.inWorkspace(c, s.connectionWorkspace(cid), wsReader) {
			return
		}
	case len(wsIDs) > 0:
		if !s.inWorkspaces(c, wsIDs, wsReader) {
			return
		}
	}
	field, dir := "createdAt", "ASC"
	if v := q.Get("orderBy"); v != "" {
		f, d, ok := strings.Cut(v, "|")
		if !ok || (f != "createdAt" && f != "updatedAt") || (d != "ASC" && d != "DESC") {
			c.rec.message(probBadRequest, fmt.Sprintf("orderBy %q is not createdAt or updatedAt followed by |ASC or |DESC.", v))
			return
		}
		field, dir = f, d
	}
	var bounds [4]time.Time
	for i, name := range []string{"createdAtStart", "createdAtEnd", "updatedAtStart", "updatedAtEnd"} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				c.rec.errorID(http.StatusBadRequest)
				return
			}
			bounds[i] = t
		}
	}
	var inWS map[string]bool
	if cid == "" {
		inWS = s.visibleWorkspaces(c.user, true)
		if len(wsIDs) > 0 {
			inWS = map[string]bool{}
			for _, id := range wsIDs {
				inWS[key(id)] = true
			}
		}
	}
	type row struct {
		j                *job
		created, updated time.Time
	}
	var rows []row
	for _, id := range s.st.jobIDs {
		j := s.st.jobs[id]
		if cid != "" && key(cid) != key(j.ConnectionID) {
			continue
		}
		if inWS != nil && !inWS[key(s.connectionWorkspace(j.ConnectionID))] {
			continue
		}
		status, updated := s.jobState(j, c.now)
		if st := q.Get("status"); st != "" && st != status {
			continue
		}
		if jt := q.Get("jobType"); jt != "" && jt != j.Type {
			continue
		}
		if outside(j.Created, bounds[0], bounds[1]) || outside(updated, bounds[2], bounds[3]) {
			continue
		}
		rows = append(rows, row{j, j.Created, updated})
	}
	sort.SliceStable(rows, func(a, b int) bool {
		x, y := rows[a].created, rows[b].created
		if field == "updatedAt" {
			x, y = rows[a].updated, rows[b].updated
		}
		if x.Equal(y) { // made in the same instant: by id
			return (dir == "ASC") == (rows[a].j.ID < rows[b].j.ID)
		}
		return (dir == "ASC") == x.Before(y)
	})
	limit, offset := paging(q)
	data := []obj{}
	for i := offset; i < len(rows) && i < offset+limit; i++ {
		data = append(data, s.jobView(rows[i].j, c.now))
	}
	var keep []qparam
	if jt := q.Get("jobType"); jt != "" {
		keep = append(keep, qparam{"jobType", jt})
	}
	if cid != "" {
		keep = append(keep, qparam{"connectionId", cid})
	} else if len(wsIDs) > 0 {
		keep = append(keep, qparam{"workspaceIds", strings.Join(wsIDs, ",")})
	}
	next, prev := s.links(c, "jobs", keep, len(data), limit, offset)
	c.rec.json(http.StatusOK, map[string]any{"data": data, "next": next, "previous": prev})
}

// outside reports whether t is before start or after end (zero bounds are open).
func outside(t, start, end time.Time) bool {
	return (!start.IsZero() && t.Before(start)) || (!end.IsZero() && t.After(end))
}
