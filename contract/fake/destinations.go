package fake

// Destinations follow the source rules in sources.go with their own roles
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/DestinationsController.kt).

func (s *Server) listDestinations(c *call)  { s.listActors(c, "destination") }
func (s *Server) createDestination(c *call) { s.createActor(c, "destination") }

// getDestination: readers only (server: DestinationsController.kt:149-152).
func (s *Server) getDestination(c *call)    { s.getActor(c, "destination", wsReader) }
func (s *Server) patchDestination(c *call)  { s.patchActor(c, "destination") }
func (s *Server) putDestination(c *call)    { s.putActor(c, "destination") }
func (s *Server) deleteDestination(c *call) { s.deleteActorCall(c, "destination") }
