package fake

import "net/http"

// Declarative source definitions: a manifest with numbered versions, one
// of them active (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/DefinitionsController.kt:103-149,184-206,244-255,291-309,349-398).

// manifestOK reports whether a manifest carries spec.connection_specification,
// which the server needs (else 500; DefinitionsController.kt:109-114,369-374).
func manifestOK(c *call) bool {
	m, _ := c.in["manifest"].(map[string]any)
	spec, _ := m["spec"].(map[string]any)
	if _, ok := spec["connection_specification"].(map[string]any); !ok {
		c.rec.message(probUnexpected, "The manifest has no spec.connection_specification.")
		return false
	}
	return true
}

func declView(d obj) obj {
	return obj{"id": d["id"], "name": d["name"], "manifest": d["manifest"], "version": d["version"]}
}

// declarative finds a live declarative definition.
func (s *Server) declarative(c *call) obj {
	id := c.p["definitionId"]
	d := s.st.t("declarativeDefinitions").get(id)
	if d == nil || d["_deleted"] == true {
		c.rec.notFound("STANDARD_SOURCE_DEFINITION", id)
		return nil
	}
	return d
}

func (s *Server) listDeclarativeSourceDefinitions(c *call) {
	ws := c.p["workspaceId"]
	if !s.inWorkspace(c, ws, wsReader) {
		return
	}
	data := []obj{}
	s.st.t("declarativeDefinitions").each(func(d obj) bool {
		if d["_deleted"] != true && key(str(d["_workspaceId"])) == key(ws) {
			data = append(data, declView(d))
		}
		return true
	})
	c.rec.json(http.StatusOK, map[string]any{"data": data})
}

func (s *Server) createDeclarativeSourceDefinition(c *call) {
	ws := c.p["workspaceId"]
	if !s.inWorkspace(c, ws, wsEditor, wsSrcEditor) || !manifestOK(c) {
		return
	}
	if s.workspace(ws) == nil {
		c.rec.notFound("workspace", ws)
		return
	}
	id := newID()
	d := obj{"id": id, "name": str(c.in["name"]), "manifest": c.in["manifest"], "version": int64(1), "_workspaceId": key(ws),
		"dockerRepository": declarativeImage}
	s.st.t("declarativeDefinitions").put(id, d)
	c.rec.json(http.StatusOK, declView(d))
}

// getDeclarativeSourceDefinition does not check that the definition
// belongs to the path's workspace, as the server does not
// (server: DefinitionsController.kt:244-255).
func (s *Server) getDeclarativeSourceDefinition(c *call) {
	if !s.inWorkspace(c, c.p["workspaceId"], wsReader) {
		return
	}
	if d := s.declarative(c); d != nil {
		c.rec.json(http.StatusOK, declView(d))
	}
}

// updateDeclarativeSourceDefinition stores the manifest as a new version,
// one above the highest, and makes it active; the lookup comes before the
// role check (server: DefinitionsController.kt:349-398).
func (s *Server) updateDeclarativeSourceDefinition(c *call) {
	d := s.declarative(c)
	if d == nil || !s.inWorkspace(c, c.p["workspaceId"], wsEditor, wsSrcEditor) || !manifestOK(c) {
		return
	}
	v, _ := d["version"].(int64)
	if f, ok := d["version"].(float64); ok { // read back from a state file
		v = int64(f)
	}
	d["version"], d["manifest"] = v+1, c.in["manifest"]
	c.rec.json(http.StatusOK, declView(d))
}

// deleteDeclarativeSourceDefinition answers the active version and deletes
// the definition and the sources built on it
// (server: DefinitionsController.kt:184-206).
func (s *Server) deleteDeclarativeSourceDefinition(c *call) {
	if !s.inWorkspace(c, c.p["workspaceId"], wsEditor, wsSrcEditor) {
		return
	}
	d := s.declarative(c)
	if d == nil {
		return
	}
	out := declView(d)
	d["_deleted"] = true
	s.deleteActorsOf("source", str(d["id"]))
	c.rec.json(http.StatusOK, out)
}
