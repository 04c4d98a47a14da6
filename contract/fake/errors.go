package fake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// A problemKind is one of the server's problem types. Status, type and
// title are the server's (server: airbyte-api/problems-api/src/main/openapi/api-problems.yaml);
// the detail sentences are the fake's own words. As the server does, a
// problem's detail is a fixed sentence and the specifics go in its data.
type problemKind struct {
	status      int
	typ, title  string
	detail      string
	messageData bool // data is {"message": ...}
}

const ref = "https://reference.airbyte.com/reference/errors"

var (
	probBadRequest     = problemKind{400, ref + "#bad-request", "bad-request", "The request is malformed.", true}
	probValueNotFound  = problemKind{400, ref, "value-not-found", "A value in the request names nothing the server knows.", false}
	probCronHourly     = problemKind{400, "error:cron-validation/under-one-hour-not-allowed", "Cron executions more frequent than once per hour are not allowed", "The schedule runs more often than once an hour.", false}
	probTagColor       = problemKind{400, "error:tag-invalid-hex-color", "Invalid hex color", "The color is not a six-digit hex value.", true}
	probTagTooLong     = problemKind{400, "error:tag-name-too-long", "Tag name too long", "The tag name is longer than 30 characters.", true}
	probTagLimit       = problemKind{400, "error:tag-limit-for-workspace-reached", "Tag limit for workspace reached", "The workspace has as many tags as it may have.", true}
	probForbidden      = problemKind{403, ref + "#forbidden", "forbidden", "The caller may not do this.", true}
	probNotFound       = problemKind{404, ref + "#resource-not-found", "resource-not-found", "The resource does not exist.", false}
	probTryAgain       = problemKind{409, ref + "#try-again-later", "try-again-later", "Try again later.", true}
	probStateConflict  = problemKind{409, ref + "#409-state-conflict", "state-conflict", "The resource is not in a state that allows this.", true}
	probTagExists      = problemKind{409, "error:tag-already-exists", "Tag already exists", "The workspace already has a tag of that name.", true}
	probGroupExists    = problemKind{409, "error:group-already-exists", "Group already exists", "The organization already has a group of that name.", true}
	probMemberExists   = problemKind{409, "error:group-member-already-exists", "Group member already exists", "The user is already in the group.", true}
	probUnprocessable  = problemKind{422, ref + "#unprocessable-entity", "unprocessable-entity", "The request body cannot be processed.", true}
	probInvalidRedir   = problemKind{422, ref + "#invalid-redirect-url", "invalid-redirect-url", "The redirect URL is not an https URL.", false}
	probUnexpected     = problemKind{500, ref, "unexpected-problem", "The server failed unexpectedly.", true}
	probFakeBadOutcome = problemKind{500, "error:fake-invalid-response", "The fake produced an invalid response", "", true}
)

// A recorder holds an answer until it has been validated.
type recorder struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (rec *recorder) json(status int, v any) {
	rec.status = status
	rec.header.Set("Content-Type", "application/json")
	rec.body.Reset()
	data, err := json.Marshal(v)
	if err != nil {
		panic("fake: encode answer: " + err.Error())
	}
	rec.body.Write(data)
}

func (rec *recorder) empty(status int) {
	rec.status = status
	rec.body.Reset()
}

// problem writes a problem body as the server does: every member present,
// nulls written out (server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/problems/AbstractThrowableProblemHandler.kt:32).
func (rec *recorder) problem(k problemKind, data map[string]any) {
	rec.json(k.status, k.body(k.detail, data))
}

// body is k's problem body with detail, nulls written out as the server
// writes them.
func (k problemKind) body(detail string, data map[string]any) map[string]any {
	var d any
	if data != nil {
		d = data
	}
	return map[string]any{"status": k.status, "type": k.typ, "title": k.title, "detail": detail, "documentationUrl": nil, "data": d}
}

// Answers of the framework in front of the controllers, which the fake
// writes as plain problems (see doc.go: the server's own bodies differ).
var (
	probUnauthorized     = problemKind{401, "about:blank", "Unauthorized", "The access token is missing, unknown or expired.", false}
	probMethodNotAllowed = problemKind{405, "about:blank", "Method Not Allowed", "", false}
	probTooLarge         = problemKind{413, "about:blank", "Payload Too Large", "", false}
	probUnavailable      = problemKind{503, "about:blank", "Service Unavailable", "injected failure", false}
	probNoRoute          = problemKind{404, ref + "#resource-not-found", "resource-not-found", "The API is served under " + BasePath + ".", false}
)

// message writes a problem whose data is {"message": msg}.
func (rec *recorder) message(k problemKind, msg string) {
	rec.problem(k, map[string]any{"message": msg})
}

// errorID writes the body the server gives failures its problem handlers
// do not cover: bean validation (400), unreadable JSON (422), unknown
// routes (404), anything uncaught (500), rejected OIDC credentials (401)
// (server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/handlers/InvalidInputExceptionHandler.kt:48,
// InvalidJsonExceptionHandler.kt:44, NotFoundExceptionHandler.kt:40, UncaughtExceptionHandler.kt:49).
func (rec *recorder) errorID(status int) {
	rec.json(status, map[string]any{"errorId": newID()})
}

// notFound is the server's resource-not-found problem, data
// {resourceType, resourceId} (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/errorHandlers/ConfigClientErrorHandler.kt:89).
func (rec *recorder) notFound(kind, id string) {
	rec.problem(probNotFound, map[string]any{"resourceType": kind, "resourceId": id})
}

// forbidden is the role check's refusal
// (server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/authorization/RoleResolver.kt:225-243).
func (rec *recorder) forbidden(roles ...string) {
	rec.message(probForbidden, "The caller lacks the role this needs: one of "+strings.Join(roles, ", ")+".")
}

// writeDirect answers outside the validated path (faults, routing).
func writeDirect(w http.ResponseWriter, status int, header http.Header, body []byte) {
	for k, vs := range header {
		w.Header()[k] = vs
	}
	w.WriteHeader(status)
	w.Write(body)
}

func jsonBytes(v any) []byte {
	data, _ := json.Marshal(v)
	return data
}
