package fake

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// connectionWorkspace is the workspace a connection ID resolves to for
// the role check; "" for an unknown ID.
func (s *Server) connectionWorkspace(id string) string {
	if conn := s.st.t("connections").get(id); conn != nil {
		return str(conn["workspaceId"])
	}
	return ""
}

// connectionFor checks the caller's roles on a connection's workspace
// before looking the connection up, as the controllers do.
func (s *Server) connectionFor(c *call, id string, roles ...string) obj {
	if !c.allow(s.rolesIn(c.user, s.connectionWorkspace(id), ""), roles...) {
		return nil
	}
	conn := s.st.t("connections").get(id)
	if conn == nil {
		c.rec.notFound("connection", id)
		return nil
	}
	return conn
}

var cronField = regexp.MustCompile(`^[0-9A-Za-z*?/,#LW-]+$`)

// cronSeparators split a cron field into its values.
var cronSeparators = regexp.MustCompile(`[,/#-]`)

// cronRanges are the bounds of the numeric values of each Quartz field.
var cronRanges = [7][2]int{{0, 59}, {0, 59}, {0, 23}, {1, 31}, {1, 12}, {1, 7}, {1970, 2099}}

var cronNames = map[string]bool{"JAN": true, "FEB": true, "MAR": true, "APR": true, "MAY": true, "JUN": true, "JUL": true, "AUG": true,
	"SEP": true, "OCT": true, "NOV": true, "DEC": true, "SUN": true, "MON": true, "TUE": true, "WED": true, "THU": true, "FRI": true, "SAT": true}

// checkCron validates a Quartz cron expression as the public API does: six
// or seven fields, values in range, exactly one of day-of-month and
// day-of-week given as "?", and the seconds (and with seven fields the
// minutes) a plain number (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/AirbyteCatalogHelper.kt:210-249).
func checkCron(expr string) error {
	f := strings.Fields(expr)
	if len(f) < 6 || len(f) > 7 {
		return fmt.Errorf("it has %d fields; a Quartz cron expression has 6 or 7", len(f))
	}
	for i, field := range f {
		if !cronField.MatchString(field) {
			return fmt.Errorf("field %d (%q) has characters a cron field cannot have", i+1, field)
		}
		for _, tok := range cronSeparators.Split(field, -1) {
			tok = strings.TrimSuffix(strings.TrimSuffix(tok, "W"), "L")
			if tok == "" || tok == "*" || tok == "?" || cronNames[strings.ToUpper(tok)] {
				continue
			}
			n, err := strconv.Atoi(tok)
			if err != nil {
				return fmt.Errorf("field %d (%q) is not understood", i+1, field)
			}
			if strings.Contains(field, "/") && strings.HasSuffix(field, "/"+tok) {
				continue // an increment
			}
			if n < cronRanges[i][0] || n > cronRanges[i][1] {
				return fmt.Errorf("field %d (%q) is out of range", i+1, field)
			}
		}
	}
	if (f[3] == "?") == (f[5] == "?") {
		return fmt.Errorf("exactly one of day-of-month and day-of-week must be '?'")
	}
	if _, err := strconv.Atoi(f[0]); err != nil {
		return fmt.Errorf("the seconds must be a number")
	}
	if len(f) == 7 {
		if _, err := strconv.Atoi(f[1]); err != nil {
			return fmt.Errorf("the minutes must be a number")
		}
	}
	return nil
}

// schedule turns a request's schedule into the stored one: manual when
// absent, cron with the time zone UTC, a trailing "UTC" in the request
// removed first (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/ConnectionCreateMapper.kt:60-72;
// AirbyteCatalogHelper.kt:253-260). ok is false when it answered 400.
func (s *Server) schedule(c *call, v any) (obj, bool) {
	sc, _ := v.(map[string]any)
	if sc == nil || str(sc["scheduleType"]) != "cron" {
		return obj{"scheduleType": "manual"}, true
	}
	expr, has := sc["cronExpression"].(string)
	if !has {
		c.rec.message(probBadRequest, "The schedule is cron but has no cron expression.")
		return nil, false
	}
	expr = strings.TrimSpace(strings.Replace(expr, "UTC", "", 1))
	if err := checkCron(expr); err != nil {
		c.rec.message(probBadRequest, fmt.Sprintf("The cron expression %q is not valid: %v.", expr, err))
		return nil, false
	}
	// Airbyte Cloud runs a connection at most once an hour; a cron whose
	// seconds or minutes field names more than one value fires more often
	// (server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/helpers/ConnectionScheduleHelper.kt:205-222).
	if f := strings.Fields(expr); s.opts.Edition == EditionCloud && !single(f[1]) {
		c.rec.problem(probCronHourly, map[string]any{"cronExpression": expr, "validationErrorMessage": "the minutes field names more than one minute"})
		return nil, false
	}
	return obj{"scheduleType": "cron", "cronExpression": expr + " UTC"}, true
}

// single reports whether a cron field names exactly one value.
func single(field string) bool {
	_, err := strconv.Atoi(field)
	return err == nil
}

// streamConfigs checks the requested stream configurations against the
// source's catalog and returns the stored list: every catalog stream, the
// ones asked for as asked (defaults filled in) and, when none were asked
// for, all of them as full_refresh_overwrite
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/ConnectionsController.kt:140-143;
// AirbyteCatalogHelper.kt:63-199; mappers/ConnectionReadMapper.kt:43-69).
func streamConfigs(c *call, src obj, v any) ([]any, bool) {
	k := connectorByID("source", str(src["definitionId"]))
	var catalog []stream
	if k != nil {
		catalog = k.streams
	}
	cfgs, _ := v.(map[string]any)
	asked, _ := cfgs["streams"].([]any)
	byName := map[string]obj{}
	for _, a := range asked {
		m, _ := a.(map[string]any)
		name := str(m["name"])
		if _, dup := byName[name]; dup {
			c.rec.message(probBadRequest, fmt.Sprintf("The stream %q is configured twice.", name))
			return nil, false
		}
		var st *stream
		for i := range catalog {
			if catalog[i].name == name {
				st = &catalog[i]
			}
		}
		if st == nil {
			c.rec.message(probBadRequest, fmt.Sprintf("The source has no stream %q.", name))
			return nil, false
		}
		mode := str(m["syncMode"])
		if strings.HasPrefix(mode, "incremental") && st.cursor == nil {
			c.rec.message(probBadRequest, fmt.Sprintf("The stream %q cannot be synced incrementally.", name))
			return nil, false
		}
		byName[name] = m
	}
	out := []any{}
	for _, st := range catalog {
		m, ok := byName[st.name]
		if len(asked) > 0 && !ok {
			continue
		}
		sc := obj{"name": st.name}
		if st.namespace != "" {
			sc["namespace"] = st.namespace
		}
		for k, v := range m {
			if v != nil {
				sc[k] = v
			}
		}
		if sc["syncMode"] == nil {
			sc["syncMode"] = "full_refresh_overwrite"
		}
		if strings.HasPrefix(str(sc["syncMode"]), "incremental") && sc["cursorField"] == nil {
			sc["cursorField"] = st.cursor
		}
		if strings.Contains(str(sc["syncMode"]), "dedup") && sc["primaryKey"] == nil {
			sc["primaryKey"] = st.primaryKey
		}
		out = append(out, sc)
	}
	return out, true
}

// tagsOf resolves the tags a request names by tagId to the workspace's
// stored tags.
func (s *Server) tagsOf(ws string, v any) []any {
	list, _ := v.([]any)
	out := []any{}
	for _, t := range list {
		m, _ := t.(map[string]any)
		tag := s.st.t("tags").get(str(m["tagId"]))
		if tag != nil && key(str(tag["workspaceId"])) == key(ws) {
			out = append(out, view(tag))
		}
	}
	return out
}

// connView writes a connection; its tags as they are now.
func (s *Server) connView(conn obj) obj {
	v := view(conn)
	tags := []any{}
	for _, id := range conn["_tags"].([]any) {
		if tag := s.st.t("tags").get(str(id)); tag != nil {
			tags = append(tags, view(tag))
		}
	}
	v["tags"] = tags
	return v
}

func tagIDs(tags []any) []any {
	out := []any{}
	for _, t := range tags {
		out = append(out, t.(obj)["tagId"])
	}
	return out
}

// createConnection connects a source to a destination (server:
// ConnectionsController.kt:61-167; mappers/ConnectionCreateMapper.kt):
// the caller needs an editor role on the source's workspace; status
// defaults to active, the schedule to manual.
func (s *Server) createConnection(c *call) {
	srcID, dstID := str(c.in["sourceId"]), str(c.in["destinationId"])
	if !c.allow(s.rolesIn(c.user, s.actorWorkspace("source", srcID), ""), anyActorEdit) {
		return
	}
	sched, ok := s.schedule(c, c.in["schedule"])
	if !ok {
		return
	}
	src := s.st.t("sources").get(srcID)
	if src == nil || src["_deleted"] == true {
		c.rec.notFound("source", srcID)
		return
	}
	dst := s.st.t("destinations").get(dstID)
	if dst == nil || dst["_deleted"] == true {
		c.rec.notFound("destination", dstID)
		return
	}
	streams, ok := streamConfigs(c, src, c.in["configurations"])
	if !ok {
		return
	}
	name := str(c.in["name"])
	if name == "" {
		name = str(src["name"]) + " → " + str(dst["name"])
	}
	status := str(c.in["status"])
	if status == "" {
		status = "active"
	}
	nsDef := str(c.in["namespaceDefinition"])
	if nsDef == "" {
		nsDef = "destination"
	}
	nonBreaking := str(c.in["nonBreakingSchemaUpdatesBehavior"])
	if nonBreaking == "" {
		nonBreaking = "ignore"
	}
	ws := str(src["workspaceId"])
	id := newID()
	conn := obj{
		"connectionId": id, "name": name, "sourceId": key(srcID), "destinationId": key(dstID), "workspaceId": ws,
		"status": status, "schedule": sched, "configurations": obj{"streams": streams}, "createdAt": c.now.Unix(),
		"namespaceDefinition": nsDef, "nonBreakingSchemaUpdatesBehavior": nonBreaking,
		"namespaceFormat": c.in["namespaceFormat"], "prefix": c.in["prefix"], "_tags": tagIDs(s.tagsOf(ws, c.in["tags"])),
	}
	s.st.t("connections").put(id, conn)
	c.rec.json(http.StatusOK, s.connView(conn))
}

// listConnections lists the connections of the given workspaces (or of
// every readable one), deprecated ones only with includeDeleted, and only
// those with one of tagIds when given; links drop tagIds
// (server: ConnectionsController.kt:236-278; mappers/ConnectionsResponseMapper.kt:38-45).
func (s *Server) listConnections(c *call) {
	want, ok := s.listedWorkspaces(c)
	if !ok {
		return
	}
	deleted := flag(c.q, "includeDeleted")
	tags := map[string]bool{}
	for _, t := range multi(c.q, "tagIds") {
		tags[key(t)] = true
	}
	items := s.st.t("connections").list(func(o obj) bool {
		if !want[key(str(o["workspaceId"]))] || (!deleted && o["status"] == "deprecated") {
			return false
		}
		if len(tags) == 0 {
			return true
		}
		for _, t := range o["_tags"].([]any) {
			if tags[key(str(t))] {
				return true
			}
		}
		return false
	})
	views := make([]obj, len(items))
	for i, o := range items {
		views[i] = s.connView(o)
	}
	limit, offset := paging(c.q)
	pg := page(views, limit, offset)
	next, prev := s.links(c, "connections", commonKeep(c), len(pg), limit, offset)
	c.rec.json(http.StatusOK, map[string]any{"data": pg, "next": next, "previous": prev})
}

func (s *Server) getConnection(c *call) {
	if conn := s.connectionFor(c, c.p["connectionId"], wsReader); conn != nil {
		c.rec.json(http.StatusOK, s.connView(conn))
	}
}

// patchConnection applies the non-null fields of the body: a schedule
// replaces the schedule, streams replace the stream list, tags replace
// the tag set; a locked connection answers 409
// (server: ConnectionsController.kt:280-417; mappers/ConnectionUpdateMapper.kt:38-86).
func (s *Server) patchConnection(c *call) {
	conn := s.connectionFor(c, c.p["connectionId"], anyActorEdit)
	if conn == nil {
		return
	}
	if conn["status"] == "locked" {
		c.rec.problem(problemKind{409, "error:connection/locked", "Connection is locked", "The connection is locked.", false},
			map[string]any{"connectionId": conn["connectionId"], "statusReason": nil})
		return
	}
	var sched obj
	if v := c.in["schedule"]; v != nil {
		var ok bool
		if sched, ok = s.schedule(c, v); !ok {
			return
		}
	}
	var streams []any
	if cfgs, _ := c.in["configurations"].(map[string]any); cfgs != nil {
		if list, _ := cfgs["streams"].([]any); len(list) > 0 {
			var ok bool
			if streams, ok = streamConfigs(c, s.st.t("sources").get(str(conn["sourceId"])), cfgs); !ok {
				return
			}
		}
	}
	if sched != nil {
		conn["schedule"] = sched
	}
	if streams != nil {
		conn["configurations"] = obj{"streams": streams}
	}
	for _, f := range []string{"name", "status", "namespaceDefinition", "namespaceFormat", "prefix", "nonBreakingSchemaUpdatesBehavior"} {
		if v := c.in[f]; v != nil {
			conn[f] = v
		}
	}
	if c.in["tags"] != nil {
		conn["_tags"] = tagIDs(s.tagsOf(str(conn["workspaceId"]), c.in["tags"]))
	}
	c.rec.json(http.StatusOK, s.connView(conn))
}

// deleteConnection deprecates the connection; it stays readable
// (server: ConnectionsController.kt:169-206; airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/converters/ConnectionHelper.kt:35-38).
func (s *Server) deleteConnection(c *call) {
	conn := s.connectionFor(c, c.p["connectionId"], anyActorEdit)
	if conn == nil {
		return
	}
	conn["status"] = "deprecated"
	c.rec.empty(http.StatusNoContent)
}
