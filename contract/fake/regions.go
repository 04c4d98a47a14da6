package fake

import (
	"net/http"
	"sort"
)

// Regions (data plane groups) and their data planes belong to an
// organization; every call needs ORGANIZATION_ADMIN there. The fake
// treats every organization as entitled to them.

// stamp sets createdAt (once) and updatedAt to now, as the server writes
// them (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/RegionResponseMapper.kt:22-23).
func stamp(o obj, c *call) {
	if o["createdAt"] == nil {
		o["createdAt"] = javaTime(c.now)
	}
	o["updatedAt"] = javaTime(c.now)
	o["_updated"] = c.now.UnixNano()
}

// newestFirst sorts by last update, newest first
// (server: airbyte-data DataplaneGroupServiceDataImpl.kt:77-82).
func newestFirst(items []obj) {
	sort.SliceStable(items, func(a, b int) bool { return num(items[a]["_updated"]) > num(items[b]["_updated"]) })
}

// num reads a stored integer, which a state file gives back as float64.
func num(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}

// regionFor finds a region; an unknown ID is an uncaught error, 500
// {"errorId"}, before any role check
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/RegionController.kt:62-101).
func (s *Server) regionFor(c *call, id string) obj {
	r := s.st.t("regions").get(id)
	if r == nil {
		c.rec.errorID(http.StatusInternalServerError)
		return nil
	}
	if !s.inOrg(c, str(r["organizationId"]), orgAdmin) {
		return nil
	}
	return r
}

// listRegions answers a bare array of the organization's live regions
// (server: RegionController.kt:37-47; P/services/RegionService.kt:63-95).
func (s *Server) listRegions(c *call) {
	org := c.q.Get("organizationId")
	if !s.inOrg(c, org, orgAdmin) {
		return
	}
	items := s.st.t("regions").list(func(o obj) bool { return key(str(o["organizationId"])) == key(org) && o["_deleted"] != true })
	newestFirst(items)
	out := make([]obj, len(items))
	for i, o := range items {
		out[i] = view(o)
	}
	c.rec.json(http.StatusOK, out)
}

// uniqueName reports whether no live row of t in the same scope has name,
// other than the row whose idField is self. Names are unique per
// organization (regions) or region (data planes) by the database's
// constraint; the server answers a duplicate with 500 unexpected-problem
// (server: airbyte-data DataplaneGroupServiceDataImpl.kt:52-62, the save
// that fails, mapped by ConfigClientErrorHandler.kt:133-139).
func uniqueName(c *call, t *table, scopeField, scope, name, idField, self string) bool {
	ok := true
	t.each(func(o obj) bool {
		if o["_deleted"] != true && key(str(o[scopeField])) == key(scope) && o["name"] == name && key(str(o[idField])) != key(self) {
			ok = false
			return false
		}
		return true
	})
	if !ok {
		c.rec.message(probUnexpected, "The name "+name+" is taken.")
	}
	return ok
}

func (s *Server) createRegion(c *call) {
	org := str(c.in["organizationId"])
	if !s.inOrg(c, org, orgAdmin) {
		return
	}
	if s.st.t("organizations").get(org) == nil {
		c.rec.message(probUnexpected, "The organization does not exist.")
		return
	}
	name := str(c.in["name"])
	if !uniqueName(c, s.st.t("regions"), "organizationId", org, name, "regionId", "") {
		return
	}
	enabled := true // server: P/services/RegionService.kt:106
	if b, ok := c.in["enabled"].(bool); ok {
		enabled = b
	}
	id := newID()
	r := obj{"regionId": id, "name": name, "organizationId": key(org), "enabled": enabled}
	stamp(r, c)
	s.st.t("regions").put(id, r)
	c.rec.json(http.StatusOK, view(r))
}

// getRegion answers deleted regions too
// (server: airbyte-data DataplaneGroupServiceDataImpl.kt:28-33).
func (s *Server) getRegion(c *call) {
	if r := s.regionFor(c, c.p["regionId"]); r != nil {
		c.rec.json(http.StatusOK, view(r))
	}
}

// updateRegion changes only the fields given (server: RegionService.kt:156-160).
func (s *Server) updateRegion(c *call) {
	r := s.regionFor(c, c.p["regionId"])
	if r == nil {
		return
	}
	s.patchNamed(c, r, "regions", "organizationId", "regionId")
}

// patchNamed changes the name (unique within scope) and enabled flag the
// request gives of a region or a data plane, and answers it.
func (s *Server) patchNamed(c *call, o obj, table, scope, idField string) {
	if name := str(c.in["name"]); name != "" {
		if !uniqueName(c, s.st.t(table), scope, str(o[scope]), name, idField, str(o[idField])) {
			return
		}
		o["name"] = name
	}
	if b, ok := c.in["enabled"].(bool); ok {
		o["enabled"] = b
	}
	stamp(o, c)
	c.rec.json(http.StatusOK, view(o))
}

// deleteRegion marks the region and its data planes deleted and answers
// the region (server: RegionService.kt:179-209).
func (s *Server) deleteRegion(c *call) {
	r := s.regionFor(c, c.p["regionId"])
	if r == nil {
		return
	}
	if r["_deleted"] != true {
		r["_deleted"] = true
		stamp(r, c)
		for _, d := range s.st.t("dataplanes").list(func(o obj) bool { return key(str(o["regionId"])) == key(str(r["regionId"])) }) {
			s.retireDataplane(d, c)
		}
	}
	c.rec.json(http.StatusOK, view(r))
}
