package fake

import "net/http"

// getDocumentation redirects to the documentation
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/DefaultController.kt:18-29).
func (s *Server) getDocumentation(c *call) {
	c.rec.header.Set("Location", "https://reference.airbyte.com/")
	c.rec.empty(http.StatusFound)
}

// getHealthCheck answers with a short text
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/HealthController.kt:38-40).
func (s *Server) getHealthCheck(c *call) {
	c.rec.status = http.StatusOK
	c.rec.header.Set("Content-Type", "text/plain")
	c.rec.body.WriteString("Successful operation")
}
