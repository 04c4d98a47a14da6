package fake

import (
	"net/http"
)

// A connector is one the fake knows: its short name (the API's
// sourceType/destinationType), its definition ID in the server's name map
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/NameToDefinitionMapper.kt),
// and, for sources, the streams it offers.
type connector struct {
	name, id, title string
	streams         []stream
}

// A stream is one stream of a source's catalog (the fake's own).
type stream struct {
	name, namespace string
	fields          [][]string
	primaryKey      [][]string
	cursor          []string // default cursor; nil: no incremental sync
	sourceCursor    bool     // the source defines the cursor
}

func tableStream(ns, name string, cursor string, cols ...string) stream {
	st := stream{name: name, namespace: ns, primaryKey: [][]string{{cols[0]}}}
	for _, c := range cols {
		st.fields = append(st.fields, []string{c})
	}
	if cursor != "" {
		st.cursor = []string{cursor}
	}
	return st
}

var knownSources = []connector{
	{"postgres", "decd338e-5647-4c0b-adf4-da0e75f5a750", "Postgres", []stream{
		tableStream("public", "customers", "updated_at", "id", "email", "updated_at"),
		tableStream("public", "orders", "updated_at", "id", "customer_id", "total", "updated_at"),
	}},
	{"mysql", "435bb9a5-7887-4809-aa58-28c27df0d7ad", "MySQL", []stream{
		tableStream("shop", "customers", "updated_at", "id", "email", "updated_at"),
		tableStream("shop", "orders", "updated_at", "id", "customer_id", "total", "updated_at"),
	}},
	{"faker", "dfd88b22-b603-4c3d-aad7-3701784586b1", "Faker", []stream{
		tableStream("", "users", "updated_at", "id", "name", "email", "updated_at"),
		tableStream("", "products", "", "id", "make", "model", "price"),
		tableStream("", "purchases", "updated_at", "id", "user_id", "product_id", "updated_at"),
	}},
	{"stripe", "e094cb9a-26de-4645-8761-65c0c425d1de", "Stripe", sourceCursor(
		tableStream("", "charges", "created", "id", "amount", "created"),
		tableStream("", "customers", "created", "id", "email", "created"),
		tableStream("", "invoices", "created", "id", "total", "created"),
	)},
	{"github", "ef69ef6e-aa7f-4af1-a01d-ef775033524e", "GitHub", sourceCursor(
		tableStream("", "issues", "updated_at", "id", "title", "updated_at"),
		tableStream("", "pull_requests", "updated_at", "id", "title", "updated_at"),
	)},
	{"file", "778daa7c-feaf-4db6-96f3-70fd645acc77", "File", []stream{tableStream("", "records", "", "id", "data")}},
	{"s3", "69589781-7828-43c5-9f63-8925b1c1ccc2", "S3", []stream{tableStream("", "records", "_modified", "id", "data", "_modified")}},
	{"google-sheets", "71607ba1-c0ac-4799-8049-7f4b90dd50f7", "Google Sheets", []stream{tableStream("", "Sheet1", "", "row", "values")}},
	{"bigquery", "bfd1ddf8-ae8a-4620-b1d7-55597d2ba08c", "BigQuery", []stream{tableStream("dataset", "events", "ts", "id", "kind", "ts")}},
	{"snowflake", "e2d65910-8c8b-40a1-ae7d-ee2416b2bfa2", "Snowflake", []stream{tableStream("PUBLIC", "EVENTS", "TS", "ID", "KIND", "TS")}},
}

var knownDestinations = []connector{
	{name: "postgres", id: "25c5221d-dce2-4163-ade9-739ef790f503", title: "Postgres"},
	{name: "bigquery", id: "22f6c74f-5699-40ff-833c-4a879ea40133", title: "BigQuery"},
	{name: "snowflake", id: "424892c4-daac-4491-b35d-c6688ba547ba", title: "Snowflake"},
	{name: "s3", id: "4816b78f-1489-44c1-9060-4b19d5fa9362", title: "S3"},
	{name: "duckdb", id: "94bd199c-2ff0-4aa2-b98e-17f0acb72610", title: "DuckDB"},
	{name: "mysql", id: "ca81ee7c-3163-4246-af40-094cc31e5e42", title: "MySQL"},
	{name: "google-sheets", id: "a4cbd2d1-8dbe-4818-b8bc-b90ad782d12a", title: "Google Sheets"},
	{name: "e2e-test", id: "2eb65e87-983a-4fd7-b3e3-9d9dc6eb8537", title: "End-to-end test (/dev/null)"},
}

func sourceCursor(ss ...stream) []stream {
	for i := range ss {
		ss[i].sourceCursor = true
	}
	return ss
}

// connectorByName finds a known connector by its short name.
func connectorByName(kind, name string) *connector {
	list := knownSources
	if kind == "destination" {
		list = knownDestinations
	}
	for i := range list {
		if list[i].name == name {
			return &list[i]
		}
	}
	return nil
}

// connectorByID finds a known connector by its definition ID.
func connectorByID(kind, id string) *connector {
	list := knownSources
	if kind == "destination" {
		list = knownDestinations
	}
	for i := range list {
		if key(list[i].id) == key(id) {
			return &list[i]
		}
	}
	return nil
}

// declarativeImage is the image of definitions made from a manifest
// (server: airbyte-commons/src/main/kotlin/io/airbyte/commons/constants/AirbyteCatalogConstants.kt:24).
const declarativeImage = "airbyte/source-declarative-manifest"

// seedDefinitions stores the built-in definitions of the known connectors.
func (s *Server) seedDefinitions() {
	for kind, list := range map[string][]connector{"source": knownSources, "destination": knownDestinations} {
		for _, k := range list {
			s.st.t(kind+"Definitions").put(k.id, obj{
				"id": k.id, "name": k.title, "dockerRepository": "airbyte/" + kind + "-" + k.name, "dockerImageTag": "1.0.0",
				"documentationUrl": "https://docs.airbyte.com/integrations/" + kind + "s/" + k.name, "_builtin": true, "_type": k.name,
			})
		}
	}
}

// definition finds a definition the workspace may use: a built-in one or
// one of the workspace's own, not deleted.
func (s *Server) definition(kind, ws, id string) obj {
	d := s.st.t(kind + "Definitions").get(id)
	if d == nil || d["_deleted"] == true {
		return nil
	}
	if d["_builtin"] != true && key(str(d["_workspaceId"])) != key(ws) {
		return nil
	}
	return d
}

// writeRoles are the roles writing a kind of definition needs
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/DefinitionsController.kt:466-478).
func writeRoles(kind string) []string {
	if kind == "source" {
		return []string{wsEditor, wsSrcEditor}
	}
	return []string{wsEditor}
}

// defNotFound is the 404 of a definition lookup
// (server: DefinitionsController.kt:176,272).
func defNotFound(c *call, kind, id string) {
	t := "STANDARD_SOURCE_DEFINITION"
	if kind == "destination" {
		t = "STANDARD_DESTINATION_DEFINITION"
	}
	c.rec.notFound(t, id)
}

// defView writes documentationUrl always, "" when unset
// (server: DefinitionsController.kt:492,512).
func defView(d obj) obj {
	v := view(d)
	if _, ok := v["documentationUrl"]; !ok {
		v["documentationUrl"] = ""
	}
	return v
}

// listDefinitions lists every definition the workspace may use, built-in
// and its own, unpaginated (server: DefinitionsController.kt:278-322).
func (s *Server) listDefinitions(c *call, kind string) {
	ws := c.p["workspaceId"]
	if !s.inWorkspace(c, ws, wsReader) {
		return
	}
	data := []obj{}
	s.st.t(kind + "Definitions").each(func(d obj) bool {
		if s.definition(kind, ws, str(d["id"])) != nil {
			data = append(data, defView(d))
		}
		return true
	})
	c.rec.json(http.StatusOK, map[string]any{"data": data})
}

func (s *Server) getDefinition(c *call, kind string) {
	ws, id := c.p["workspaceId"], c.p["definitionId"]
	if !s.inWorkspace(c, ws, wsReader) {
		return
	}
	d := s.definition(kind, ws, id)
	if d == nil {
		defNotFound(c, kind, id)
		return
	}
	c.rec.json(http.StatusOK, defView(d))
}

// createDefinition makes a custom Docker definition in the workspace; on
// Cloud this is refused with 400 before the role check
// (server: DefinitionsController.kt:85-100,151-166).
func (s *Server) createDefinition(c *call, kind string) {
	ws := c.p["workspaceId"]
	if s.opts.Edition == EditionCloud {
		c.rec.message(probBadRequest, "Airbyte Cloud only takes declarative (manifest) definitions.")
		return
	}
	if !s.inWorkspace(c, ws, writeRoles(kind)...) {
		return
	}
	if s.workspace(ws) == nil {
		c.rec.notFound("workspace", ws)
		return
	}
	id := newID()
	d := obj{"id": id, "name": str(c.in["name"]), "dockerRepository": str(c.in["dockerRepository"]),
		"dockerImageTag": str(c.in["dockerImageTag"]), "documentationUrl": str(c.in["documentationUrl"]), "_workspaceId": key(ws)}
	s.st.t(kind+"Definitions").put(id, d)
	c.rec.json(http.StatusOK, defView(d))
}

// changeableDefinition looks a definition up for a change: unknown → 404,
// built-in → 400, then the role (server: DefinitionsController.kt:169-216,324-422,455-464).
func (s *Server) changeableDefinition(c *call, kind string) obj {
	ws, id := c.p["workspaceId"], c.p["definitionId"]
	d := s.definition(kind, ws, id)
	if d == nil {
		defNotFound(c, kind, id)
		return nil
	}
	if d["_builtin"] == true {
		c.rec.message(probBadRequest, "Built-in definitions cannot be changed.")
		return nil
	}
	if !s.inWorkspace(c, ws, writeRoles(kind)...) {
		return nil
	}
	return d
}

// updateDefinition sets the name and the image tag.
func (s *Server) updateDefinition(c *call, kind string) {
	if s.opts.Edition == EditionCloud {
		c.rec.message(probBadRequest, "Airbyte Cloud only takes declarative (manifest) definitions.")
		return
	}
	d := s.changeableDefinition(c, kind)
	if d == nil {
		return
	}
	d["name"], d["dockerImageTag"] = str(c.in["name"]), str(c.in["dockerImageTag"])
	c.rec.json(http.StatusOK, defView(d))
}

// deleteDefinition deletes a custom definition and every source or
// destination built on it (and so their connections), answering the
// definition as it was (server: DefinitionsController.kt:169-216;
// airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/SourceDefinitionsHandler.kt:471-485).
func (s *Server) deleteDefinition(c *call, kind string) {
	d := s.changeableDefinition(c, kind)
	if d == nil {
		return
	}
	out := defView(d)
	d["_deleted"] = true
	s.deleteActorsOf(kind, str(d["id"]))
	c.rec.json(http.StatusOK, out)
}

// deleteActorsOf deletes the live sources or destinations of a definition.
func (s *Server) deleteActorsOf(kind, defID string) {
	for _, a := range s.st.t(kind + "s").list(func(o obj) bool { return key(str(o["definitionId"])) == key(defID) && o["_deleted"] != true }) {
		s.deleteActor(kind, a)
	}
}

func (s *Server) listSourceDefinitions(c *call)       { s.listDefinitions(c, "source") }
func (s *Server) listDestinationDefinitions(c *call)  { s.listDefinitions(c, "destination") }
func (s *Server) getSourceDefinition(c *call)         { s.getDefinition(c, "source") }
func (s *Server) getDestinationDefinition(c *call)    { s.getDefinition(c, "destination") }
func (s *Server) createSourceDefinition(c *call)      { s.createDefinition(c, "source") }
func (s *Server) createDestinationDefinition(c *call) { s.createDefinition(c, "destination") }
func (s *Server) updateSourceDefinition(c *call)      { s.updateDefinition(c, "source") }
func (s *Server) updateDestinationDefinition(c *call) { s.updateDefinition(c, "destination") }
func (s *Server) deleteSourceDefinition(c *call)      { s.deleteDefinition(c, "source") }
func (s *Server) deleteDestinationDefinition(c *call) { s.deleteDefinition(c, "destination") }

// listConnectorDefinitions lists the definitions a workspace may use, of
// one type or both (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/ConnectorDefinitionsController.kt:32-69).
func (s *Server) listConnectorDefinitions(c *call) {
	ws := c.q.Get("workspaceId")
	if ws == "" {
		// server: ConnectorDefinitionsController.kt:39, an uncaught
		// IllegalArgumentException.
		c.rec.errorID(http.StatusInternalServerError)
		return
	}
	if !s.inWorkspace(c, ws, wsReader) {
		return
	}
	data := []obj{}
	for _, kind := range []string{"source", "destination"} {
		if t := c.q.Get("type"); t != "" && t != kind {
			continue
		}
		s.st.t(kind + "Definitions").each(func(d obj) bool {
			if s.definition(kind, ws, str(d["id"])) != nil {
				data = append(data, obj{"id": d["id"], "name": d["name"], "connectorDefinitionType": kind, "version": d["dockerImageTag"]})
			}
			return true
		})
		if kind == "source" {
			s.st.t("declarativeDefinitions").each(func(d obj) bool {
				if d["_deleted"] != true && key(str(d["_workspaceId"])) == key(ws) {
					data = append(data, obj{"id": d["id"], "name": d["name"], "connectorDefinitionType": kind, "version": "0.1.0"})
				}
				return true
			})
		}
	}
	c.rec.json(http.StatusOK, map[string]any{"data": data})
}
