package fake

import (
	"fmt"
	"net/http"
)

// Sources and destinations ("actors") share their rules; kind is "source"
// or "destination".

// actorRoles are the roles writing an actor needs
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/SourcesController.kt:52,117;
// DestinationsController.kt:51,117).
func actorRoles(kind string) []string {
	if kind == "source" {
		return []string{wsEditor, wsSrcEditor}
	}
	return []string{wsEditor, wsDstEditor}
}

// findValue finds a member anywhere in a JSON object, depth first, as
// Jackson's findValue does (server: SourcesController.kt:60).
func findValue(v any, name string) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		if val, ok := x[name]; ok {
			return val, true
		}
		for _, child := range x {
			if val, ok := findValue(child, name); ok {
				return val, true
			}
		}
	case []any:
		for _, child := range x {
			if val, ok := findValue(child, name); ok {
				return val, true
			}
		}
	}
	return nil, false
}

// jsonText is a JSON value as Jackson's toString writes it, quotes
// removed (server: SourcesController.kt:71).
func jsonText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "null"
	case float64:
		return fmt.Sprint(x)
	default:
		return string(jsonBytes(x))
	}
}

// storedConfig is a configuration as stored and shown: the type member
// removed (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/ActorConfigurationHelper.kt:24-60)
// and secrets masked as the server masks them.
func storedConfig(cfg map[string]any, kind, defID string) obj {
	out := obj{}
	for k, v := range cfg {
		if k != kind+"Type" {
			out[k] = v
		}
	}
	return maskConfig(kind, defID, out)
}

// mergeConfig deep-merges a partial configuration into a stored one
// (server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/SourceHandler.kt:224-230).
func mergeConfig(old, patch map[string]any) obj {
	out := obj{}
	for k, v := range old {
		out[k] = v
	}
	for k, v := range patch {
		if pm, ok := v.(map[string]any); ok {
			if om, ok := out[k].(map[string]any); ok {
				out[k] = mergeConfig(om, pm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// actorType is the short name the API shows for a definition: the known
// connector's, else "" (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/SourceReadMapper.kt:25).
func actorType(kind, defID string) string {
	if k := connectorByID(kind, defID); k != nil {
		return k.name
	}
	return ""
}

// createActor stores a source or destination. Its connector comes from
// definitionId, else from the configuration's sourceType/destinationType:
// missing → 422, unknown → 400 value-not-found
// (server: SourcesController.kt:52-107; DestinationsController.kt:51-107).
func (s *Server) createActor(c *call, kind string) {
	ws := str(c.in["workspaceId"])
	if !s.inWorkspace(c, ws, actorRoles(kind)...) {
		return
	}
	cfg, _ := c.in["configuration"].(map[string]any)
	defID := str(c.in["definitionId"])
	if defID == "" {
		v, ok := findValue(cfg, kind+"Type")
		if !ok {
			c.rec.problem(probUnprocessable, nil)
			return
		}
		k := connectorByName(kind, jsonText(v))
		if k == nil {
			c.rec.problem(probValueNotFound, map[string]any{"value": jsonText(v)})
			return
		}
		defID = k.id
	}
	if s.workspace(ws) == nil {
		c.rec.notFound("workspace", ws)
		return
	}
	if s.definition(kind, ws, defID) == nil && (kind != "source" || s.usableDeclarative(ws, defID) == nil) {
		defNotFound(c, kind, defID)
		return
	}
	if !checkConfig(c, kind, defID, cfg, false) {
		return
	}
	id := newID()
	a := obj{kind + "Id": id, "name": str(c.in["name"]), kind + "Type": actorType(kind, defID), "definitionId": key(defID),
		"workspaceId": key(ws), "configuration": storedConfig(cfg, kind, defID), "createdAt": c.now.Unix(),
		"resourceAllocation": c.in["resourceAllocation"]}
	s.st.t(kind+"s").put(id, a)
	c.rec.json(http.StatusOK, view(a))
}

// usableDeclarative finds a live declarative definition of a workspace.
func (s *Server) usableDeclarative(ws, id string) obj {
	d := s.st.t("declarativeDefinitions").get(id)
	if d == nil || d["_deleted"] == true || key(str(d["_workspaceId"])) != key(ws) {
		return nil
	}
	return d
}

// actorWorkspace is the workspace an actor ID resolves to for the role
// check; "" for an unknown ID.
func (s *Server) actorWorkspace(kind, id string) string {
	if a := s.st.t(kind + "s").get(id); a != nil {
		return str(a["workspaceId"])
	}
	return ""
}

// actorFor checks the caller's roles on an actor's workspace before the
// actor is looked up, as the controllers do: an unknown ID is 403 to
// everyone but instance admins, who get 404.
func (s *Server) actorFor(c *call, kind string, roles ...string) obj {
	id := c.p[kind+"Id"]
	if !c.allow(s.rolesIn(c.user, s.actorWorkspace(kind, id), ""), roles...) {
		return nil
	}
	a := s.st.t(kind + "s").get(id)
	if a == nil {
		c.rec.notFound(kind, id)
		return nil
	}
	return a
}

// getActor answers a source or destination, also a deleted one (its
// configuration blanked), as the server reads without filtering deleted
// rows.
func (s *Server) getActor(c *call, kind string, roles ...string) {
	if a := s.actorFor(c, kind, roles...); a != nil {
		c.rec.json(http.StatusOK, view(a))
	}
}

// listActors lists the live sources or destinations of the given
// workspaces, or of every workspace the caller may read
// (server: SourcesController.kt:189-228; P/services/SourceService.kt:242).
func (s *Server) listActors(c *call, kind string) {
	want, ok := s.listedWorkspaces(c)
	if !ok {
		return
	}
	deleted := flag(c.q, "includeDeleted")
	items := s.st.t(kind + "s").list(func(o obj) bool {
		return want[key(str(o["workspaceId"]))] && (deleted || o["_deleted"] != true)
	})
	s.listPage(c, kind+"s", commonKeep(c), items)
}

// patchActor changes what the body names: the name when given, the
// configuration deep-merged, the resource allocation when given; a
// workspaceId in the body is ignored
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/services/SourceService.kt:145-151).
func (s *Server) patchActor(c *call, kind string) {
	a := s.actorFor(c, kind, actorRoles(kind)...)
	if a == nil {
		return
	}
	cfg, hasCfg := c.in["configuration"].(map[string]any)
	if hasCfg && !checkConfig(c, kind, str(a["definitionId"]), cfg, true) {
		return
	}
	if name := str(c.in["name"]); name != "" {
		a["name"] = name
	}
	if hasCfg {
		old, _ := a["configuration"].(map[string]any)
		a["configuration"] = mergeConfig(old, storedConfig(cfg, kind, str(a["definitionId"])))
	}
	if ra := c.in["resourceAllocation"]; ra != nil {
		a["resourceAllocation"] = ra
	}
	c.rec.json(http.StatusOK, view(a))
}

// putActor replaces the name and the configuration
// (server: SourceHandler.kt:261-263).
func (s *Server) putActor(c *call, kind string) {
	a := s.actorFor(c, kind, actorRoles(kind)...)
	if a == nil {
		return
	}
	cfg, _ := c.in["configuration"].(map[string]any)
	if !checkConfig(c, kind, str(a["definitionId"]), cfg, false) {
		return
	}
	a["name"], a["configuration"] = str(c.in["name"]), storedConfig(cfg, kind, str(a["definitionId"]))
	if ra := c.in["resourceAllocation"]; ra != nil {
		a["resourceAllocation"] = ra
	}
	c.rec.json(http.StatusOK, view(a))
}

// deleteActor deprecates the connections reading from or writing to an
// actor, then marks it deleted and blanks its configuration
// (server: SourceHandler.kt:458-476; airbyte-data SourceServiceJooqImpl.kt:860-869).
func (s *Server) deleteActor(kind string, a obj) {
	id := str(a[kind+"Id"])
	for _, conn := range s.st.t("connections").list(func(o obj) bool { return key(str(o[kind+"Id"])) == key(id) }) {
		conn["status"] = "deprecated"
	}
	tombstone(a)
}

func tombstone(a obj) {
	a["_deleted"] = true
	a["configuration"] = obj{}
}

func (s *Server) deleteActorCall(c *call, kind string) {
	a := s.actorFor(c, kind, actorRoles(kind)...)
	if a == nil {
		return
	}
	s.deleteActor(kind, a)
	c.rec.empty(http.StatusNoContent)
}

func (s *Server) listSources(c *call)  { s.listActors(c, "source") }
func (s *Server) createSource(c *call) { s.createActor(c, "source") }

// getSource: readers (server: SourcesController.kt:155-159).
func (s *Server) getSource(c *call)    { s.getActor(c, "source", wsReader) }
func (s *Server) patchSource(c *call)  { s.patchActor(c, "source") }
func (s *Server) putSource(c *call)    { s.putActor(c, "source") }
func (s *Server) deleteSource(c *call) { s.deleteActorCall(c, "source") }

// listedWorkspaces is the set of workspaces a list of sources,
// destinations or connections covers: the workspaceIds asked for, each of
// which the caller must be able to read (else it answers the 403 and
// reports false), or every workspace the caller may read.
func (s *Server) listedWorkspaces(c *call) (map[string]bool, bool) {
	ids := multi(c.q, "workspaceIds")
	if len(ids) == 0 {
		return s.visibleWorkspaces(c.user, true), true
	}
	if !s.inWorkspaces(c, ids, wsReader) {
		return nil, false
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[key(id)] = true
	}
	return want, true
}
