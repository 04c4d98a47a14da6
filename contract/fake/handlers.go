package fake

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// handlers maps every operation of the spec to its handler; a test checks
// that none is missing.
var handlers = map[string]handler{
	"getDocumentation": (*Server).getDocumentation, "getHealthCheck": (*Server).getHealthCheck,
	"createAccessToken": (*Server).createAccessToken,
	"listApplications":  (*Server).listApplications, "createApplication": (*Server).createApplication,
	"getApplication": (*Server).getApplication, "deleteApplication": (*Server).deleteApplication,
	"listWorkspaces": (*Server).listWorkspaces, "createWorkspace": (*Server).createWorkspace,
	"getWorkspace": (*Server).getWorkspace, "updateWorkspace": (*Server).updateWorkspace, "deleteWorkspace": (*Server).deleteWorkspace,
	"listSources": (*Server).listSources, "createSource": (*Server).createSource, "getSource": (*Server).getSource,
	"patchSource": (*Server).patchSource, "putSource": (*Server).putSource, "deleteSource": (*Server).deleteSource,
	"listDestinations": (*Server).listDestinations, "createDestination": (*Server).createDestination,
	"getDestination": (*Server).getDestination, "patchDestination": (*Server).patchDestination,
	"putDestination": (*Server).putDestination, "deleteDestination": (*Server).deleteDestination,
	"listConnections": (*Server).listConnections, "createConnection": (*Server).createConnection,
	"getConnection": (*Server).getConnection, "patchConnection": (*Server).patchConnection, "deleteConnection": (*Server).deleteConnection,
	"listJobs": (*Server).listJobs, "createJob": (*Server).createJob, "getJob": (*Server).getJob, "cancelJob": (*Server).cancelJob,
	"listTags": (*Server).listTags, "createTag": (*Server).createTag, "getTag": (*Server).getTag,
	"updateTag": (*Server).updateTag, "deleteTag": (*Server).deleteTag,
	"listUsersWithinAnOrganization":              (*Server).listUsersWithinAnOrganization,
	"listOrganizationsForUser":                   (*Server).listOrganizationsForUser,
	"createOrUpdateOrganizationOAuthCredentials": (*Server).createOrUpdateOrganizationOAuthCredentials,
	"deleteOrganizationOAuthCredentials":         (*Server).deleteOrganizationOAuthCredentials,
	"createOrUpdateWorkspaceOAuthCredentials":    (*Server).createOrUpdateWorkspaceOAuthCredentials,
	"deleteWorkspaceOAuthCredentials":            (*Server).deleteWorkspaceOAuthCredentials,
	"initiateOAuth":                              (*Server).initiateOAuth, "oauthCallback": (*Server).oauthCallback,
	"listPermissions": (*Server).listPermissions, "createPermission": (*Server).createPermission,
	"getPermission": (*Server).getPermission, "updatePermission": (*Server).updatePermission, "deletePermission": (*Server).deletePermission,
	"listGroups": (*Server).listGroups, "createGroup": (*Server).createGroup, "getGroup": (*Server).getGroup,
	"updateGroup": (*Server).updateGroup, "deleteGroup": (*Server).deleteGroup,
	"listGroupMembers": (*Server).listGroupMembers, "addGroupMember": (*Server).addGroupMember, "removeGroupMember": (*Server).removeGroupMember,
	"listGroupPermissions": (*Server).listGroupPermissions, "createGroupPermission": (*Server).createGroupPermission,
	"deleteGroupPermission": (*Server).deleteGroupPermission,
	"listRegions":           (*Server).listRegions, "createRegion": (*Server).createRegion, "getRegion": (*Server).getRegion,
	"updateRegion": (*Server).updateRegion, "deleteRegion": (*Server).deleteRegion,
	"listDataplanes": (*Server).listDataplanes, "createDataplane": (*Server).createDataplane, "getDataplane": (*Server).getDataplane,
	"updateDataplane": (*Server).updateDataplane, "deleteDataplane": (*Server).deleteDataplane,
	"listConnectorDefinitions": (*Server).listConnectorDefinitions,
	"listSourceDefinitions":    (*Server).listSourceDefinitions, "createSourceDefinition": (*Server).createSourceDefinition,
	"getSourceDefinition": (*Server).getSourceDefinition, "updateSourceDefinition": (*Server).updateSourceDefinition,
	"deleteSourceDefinition":     (*Server).deleteSourceDefinition,
	"listDestinationDefinitions": (*Server).listDestinationDefinitions, "createDestinationDefinition": (*Server).createDestinationDefinition,
	"getDestinationDefinition": (*Server).getDestinationDefinition, "updateDestinationDefinition": (*Server).updateDestinationDefinition,
	"deleteDestinationDefinition":       (*Server).deleteDestinationDefinition,
	"listDeclarativeSourceDefinitions":  (*Server).listDeclarativeSourceDefinitions,
	"createDeclarativeSourceDefinition": (*Server).createDeclarativeSourceDefinition,
	"getDeclarativeSourceDefinition":    (*Server).getDeclarativeSourceDefinition,
	"updateDeclarativeSourceDefinition": (*Server).updateDeclarativeSourceDefinition,
	"deleteDeclarativeSourceDefinition": (*Server).deleteDeclarativeSourceDefinition,
	"getStreamProperties":               (*Server).getStreamProperties,
	"listEmbeddedOrganizationsByUser":   (*Server).listEmbeddedOrganizationsByUser,
	"generateEmbeddedScopedToken":       (*Server).generateEmbeddedScopedToken,
	"getEmbeddedWidget":                 (*Server).getEmbeddedWidget,
}

const maxBody = 1 << 20

// errTooLarge is readBody's error for a body over maxBody bytes.
var errTooLarge = fmt.Errorf("request body is larger than %d bytes", maxBody)

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if len(data) > maxBody {
		return nil, errTooLarge
	}
	return data, nil
}

type bodyReader struct{ *strings.Reader }

// Close does nothing: the body is in memory.
func (bodyReader) Close() error { return nil }

func nopCloser(b []byte) io.ReadCloser { return bodyReader{strings.NewReader(string(b))} }

// classify turns a request violation into the server's status and a
// summary that names what was wrong but never repeats a value of the
// body: a body the server cannot map is 422, anything else (parameters,
// a missing body) 400 (server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/handlers/InvalidJsonInputExceptionHandler.kt:28-45,
// InvalidInputExceptionHandler.kt:48-51).
func classify(err error) (int, string) {
	status := http.StatusBadRequest
	var parts []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if me, ok := e.(openapi3.MultiError); ok {
			for _, x := range me {
				walk(x)
			}
			return
		}
		var re *openapi3filter.RequestError
		if errors.As(e, &re) {
			switch {
			case re.Parameter != nil:
				parts = append(parts, fmt.Sprintf("%s parameter %q: %s", re.Parameter.In, re.Parameter.Name, reason(re.Err, re.Reason)))
			case re.RequestBody != nil && (re.Err == nil || errors.Is(re.Err, openapi3filter.ErrInvalidRequired)):
				parts = append(parts, "request body: "+re.Reason)
			case re.RequestBody != nil:
				status = http.StatusUnprocessableEntity
				parts = append(parts, "request body"+pointer(re.Err)+": "+reason(re.Err, re.Reason))
			default:
				parts = append(parts, re.Reason)
			}
			return
		}
		var se *openapi3.SchemaError
		if errors.As(e, &se) {
			status = http.StatusUnprocessableEntity
			parts = append(parts, "request body"+pointer(se)+": "+se.Reason)
			return
		}
		var sr *openapi3filter.SecurityRequirementsError
		if errors.As(e, &sr) {
			parts = append(parts, "authentication: a bearer token is required")
			return
		}
		// The validator's own checks name parameters and headers only.
		parts = append(parts, e.Error())
	}
	var v interface{ Unwrap() error }
	if errors.As(err, &v) {
		walk(v.Unwrap())
	} else {
		walk(err)
	}
	sort.Strings(parts)
	summary := strings.Join(parts, "; ")
	summary = strings.NewReplacer("\n", " ", "\r", " ").Replace(summary)
	if len(summary) > 1000 {
		summary = summary[:1000]
	}
	return status, summary
}

// reason is a schema error's reason (which names the rule, not the
// value), else the fallback.
func reason(err error, fallback string) string {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return se.Reason
	}
	if err != nil && fallback == "" {
		var pe *openapi3filter.ParseError
		if errors.As(err, &pe) {
			return "cannot be parsed: " + pe.Reason
		}
		return "is not valid"
	}
	return fallback
}

// pointer is " at /json/pointer" of a schema error inside err, or "".
func pointer(err error) string {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		if p := se.JSONPointer(); len(p) > 0 {
			return " at /" + strings.Join(p, "/")
		}
	}
	return ""
}
