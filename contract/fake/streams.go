package fake

import "net/http"

// getStreamProperties answers a bare array describing the source's
// streams from the fake's catalog of its connector; sync modes only when
// a destination is given, as the combinations both sides support
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/StreamsController.kt:50-202).
// Known destinations support append, overwrite and append with dedup.
func (s *Server) getStreamProperties(c *call) {
	srcID, dstID := c.q.Get("sourceId"), c.q.Get("destinationId")
	if !s.inWorkspace(c, s.actorWorkspace("source", srcID), wsReader) {
		return
	}
	if dstID != "" && !s.inWorkspace(c, s.actorWorkspace("destination", dstID), wsReader) {
		return
	}
	src := s.st.t("sources").get(srcID)
	if src == nil {
		c.rec.notFound("source", srcID)
		return
	}
	if dstID != "" && s.st.t("destinations").get(dstID) == nil {
		c.rec.notFound("destination", dstID)
		return
	}
	var catalog []stream
	if k := connectorByID("source", str(src["definitionId"])); k != nil {
		catalog = k.streams
	}
	out := []obj{}
	for _, st := range catalog {
		p := obj{"streamName": st.name, "sourceDefinedCursorField": st.sourceCursor, "propertyFields": st.fields}
		if st.namespace != "" {
			p["streamnamespace"] = st.namespace
		}
		if st.cursor != nil {
			p["defaultCursorField"] = st.cursor
		}
		if st.primaryKey != nil {
			p["sourceDefinedPrimaryKey"] = st.primaryKey
		}
		if dstID != "" {
			modes := []string{"full_refresh_append", "full_refresh_overwrite"}
			if st.cursor != nil {
				modes = append(modes, "incremental_append", "incremental_deduped_history")
			}
			p["syncModes"] = modes
		}
		out = append(out, p)
	}
	c.rec.json(http.StatusOK, out)
}
