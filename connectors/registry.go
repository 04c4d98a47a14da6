package connectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

// Kind tells a source from a destination.
type Kind string

// The two kinds of connector.
const (
	KindSource      Kind = "source"
	KindDestination Kind = "destination"
)

// Definition is one connector at one version, as a registry entry (or a
// version's metadata document) describes it.
type Definition struct {
	// Kind is KindSource or KindDestination, from which ID field the
	// entry carries.
	Kind Kind
	// DefinitionID is the UUID the API's definitionId takes.
	DefinitionID string
	// Name is the display name.
	Name string
	// DockerRepository is the image, such as "airbyte/source-postgres".
	DockerRepository string
	// DockerImageTag is the version, such as "3.6.28".
	DockerImageTag string
	// DocumentationURL links the connector's documentation.
	DocumentationURL string
	// ReleaseStage and SupportLevel are copied from the entry as given.
	ReleaseStage, SupportLevel string
	// Spec is the entry's whole "spec" object; its
	// connectionSpecification is the configuration's schema.
	Spec json.RawMessage
}

// entry is the wire shape of a registry entry, decoded leniently: unknown
// fields are ignored.
type entry struct {
	SourceDefinitionID      string          `json:"sourceDefinitionId"`
	DestinationDefinitionID string          `json:"destinationDefinitionId"`
	Name                    string          `json:"name"`
	DockerRepository        string          `json:"dockerRepository"`
	DockerImageTag          string          `json:"dockerImageTag"`
	DocumentationURL        string          `json:"documentationUrl"`
	ReleaseStage            string          `json:"releaseStage"`
	SupportLevel            string          `json:"supportLevel"`
	Spec                    json.RawMessage `json:"spec"`
}

func (e *entry) definition(want Kind) (Definition, error) {
	d := Definition{
		Name: e.Name, DockerRepository: e.DockerRepository, DockerImageTag: e.DockerImageTag,
		DocumentationURL: e.DocumentationURL, ReleaseStage: e.ReleaseStage, SupportLevel: e.SupportLevel,
		Spec: e.Spec,
	}
	switch {
	case e.SourceDefinitionID != "" && e.DestinationDefinitionID == "":
		d.Kind, d.DefinitionID = KindSource, e.SourceDefinitionID
	case e.DestinationDefinitionID != "" && e.SourceDefinitionID == "":
		d.Kind, d.DefinitionID = KindDestination, e.DestinationDefinitionID
	default:
		return d, fmt.Errorf("entry %q has not exactly one of sourceDefinitionId and destinationDefinitionId", e.DockerRepository)
	}
	if want != "" && d.Kind != want {
		return d, fmt.Errorf("entry %q is a %s in the %ss list", e.DockerRepository, d.Kind, want)
	}
	if e.DockerRepository == "" {
		return d, fmt.Errorf("entry %s has no dockerRepository", d.DefinitionID)
	}
	return d, nil
}

// RepositoryName is the image's name without its owner:
// "source-postgres" for "airbyte/source-postgres".
func (d *Definition) RepositoryName() string {
	if i := strings.LastIndexByte(d.DockerRepository, '/'); i >= 0 {
		return d.DockerRepository[i+1:]
	}
	return d.DockerRepository
}

// ShortName is the name the public API's sourceType or destinationType
// takes: the repository name without its "source-" or "destination-"
// prefix ("postgres").
//
// server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/NameToDefinitionMapper.kt:9
// (the API maps such short names to definition IDs).
func (d *Definition) ShortName() string {
	return strings.TrimPrefix(d.RepositoryName(), string(d.Kind)+"-")
}

// ConnectionSpecification returns the JSON Schema the connector's
// configuration must fit, or an error when the entry has none.
func (d *Definition) ConnectionSpecification() (json.RawMessage, error) {
	var s struct {
		ConnectionSpecification json.RawMessage `json:"connectionSpecification"`
	}
	if len(d.Spec) == 0 {
		return nil, &MalformedError{Source: d.DockerRepository, Err: errors.New("entry has no spec")}
	}
	if err := json.Unmarshal(d.Spec, &s); err != nil {
		return nil, &MalformedError{Source: d.DockerRepository, Err: err}
	}
	if len(s.ConnectionSpecification) == 0 || bytes.Equal(s.ConnectionSpecification, []byte("null")) {
		return nil, &MalformedError{Source: d.DockerRepository, Err: errors.New("spec has no connectionSpecification")}
	}
	return s.ConnectionSpecification, nil
}

// CompileSpec compiles the connector's connectionSpecification (see
// NewSpec).
func (d *Definition) CompileSpec() (*Spec, error) {
	raw, err := d.ConnectionSpecification()
	if err != nil {
		return nil, err
	}
	return NewSpec(raw)
}

// Registry is a set of connector definitions, each connector at one
// version, indexed for lookups. A Registry is not modified after it is
// built and is safe for concurrent use.
type Registry struct {
	defs   []Definition
	byID   map[string]int
	byRepo map[string]int // "source-postgres"
}

// Definitions returns the registry's definitions, sources first, each
// list in the document's order.
func (r *Registry) Definitions() []Definition {
	return append([]Definition(nil), r.defs...)
}

// ParseRegistry reads a registry document ({"sources": [...],
// "destinations": [...]}) or a single entry (a version's metadata
// document, such as oss.json). source names the document in errors.
func ParseRegistry(data []byte, source string) (*Registry, error) {
	// One pass: the registry's lists and an entry's own fields.
	var doc struct {
		Sources      *[]entry `json:"sources"`
		Destinations *[]entry `json:"destinations"`
		entry
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, &MalformedError{Source: source, Err: err}
	}
	r := &Registry{byID: map[string]int{}, byRepo: map[string]int{}}
	if doc.Sources == nil && doc.Destinations == nil {
		d, err := doc.entry.definition("")
		if err != nil {
			return nil, &MalformedError{Source: source, Err: fmt.Errorf("neither a registry nor an entry: %w", err)}
		}
		r.add(d)
		return r, nil
	}
	var sources, dests []entry
	if doc.Sources != nil {
		sources = *doc.Sources
	}
	if doc.Destinations != nil {
		dests = *doc.Destinations
	}
	r.defs = make([]Definition, 0, len(sources)+len(dests))
	for _, list := range []struct {
		kind    Kind
		entries []entry
	}{{KindSource, sources}, {KindDestination, dests}} {
		for i := range list.entries {
			d, err := list.entries[i].definition(list.kind)
			if err != nil {
				return nil, &MalformedError{Source: source, Err: err}
			}
			r.add(d)
		}
	}
	return r, nil
}

// ParseDefinition reads one registry entry (a version's metadata
// document).
func ParseDefinition(data []byte, source string) (*Definition, error) {
	var e entry
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, &MalformedError{Source: source, Err: err}
	}
	d, err := e.definition("")
	if err != nil {
		return nil, &MalformedError{Source: source, Err: err}
	}
	return &d, nil
}

// LoadRegistryFile reads a registry document or a single entry from a
// local file.
func LoadRegistryFile(path string) (*Registry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("connectors: read registry: %w", err)
	}
	return ParseRegistry(data, path)
}

func (r *Registry) add(d Definition) {
	i := len(r.defs)
	r.defs = append(r.defs, d)
	r.byID[strings.ToLower(d.DefinitionID)] = i
	r.byRepo[strings.ToLower(d.RepositoryName())] = i
}

// Ref names a connector, optionally at a version.
type Ref struct {
	// Name is a repository name ("source-postgres"), an image
	// ("airbyte/source-postgres"), a short name ("postgres", with Kind
	// set unless only one kind has it) or a definition ID (a UUID).
	Name string
	// Kind narrows a short name; it is checked against the other forms.
	Kind Kind
	// Version is an image tag; empty means the registry's version.
	Version string
}

// ParseRef reads "NAME" or "NAME@VERSION".
func ParseRef(s string) Ref {
	name, version, _ := strings.Cut(s, "@")
	return Ref{Name: name, Version: version}
}

func (ref Ref) String() string {
	s := ref.Name
	if ref.Kind != "" && !strings.HasPrefix(ref.Name, string(ref.Kind)+"-") {
		s = string(ref.Kind) + " " + s
	}
	if ref.Version != "" {
		s += "@" + ref.Version
	}
	return s
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// find resolves ref's name, ignoring its version.
func (r *Registry) find(ref Ref) (*Definition, error) {
	name := strings.ToLower(strings.TrimSpace(ref.Name))
	name = strings.TrimPrefix(name, "airbyte/")
	var hits []int
	if uuidRE.MatchString(name) {
		if i, ok := r.byID[name]; ok {
			hits = append(hits, i)
		}
	} else if i, ok := r.byRepo[name]; ok {
		hits = append(hits, i)
	} else {
		kinds := []Kind{KindSource, KindDestination}
		if ref.Kind != "" {
			kinds = []Kind{ref.Kind}
		}
		for _, k := range kinds {
			if i, ok := r.byRepo[string(k)+"-"+name]; ok {
				hits = append(hits, i)
			}
		}
	}
	if ref.Kind != "" {
		kept := hits[:0]
		for _, i := range hits {
			if r.defs[i].Kind == ref.Kind {
				kept = append(kept, i)
			}
		}
		hits = kept
	}
	switch len(hits) {
	case 0:
		return nil, fmt.Errorf("%w: %s", ErrUnknownConnector, ref.withoutVersion())
	case 1:
		d := r.defs[hits[0]]
		return &d, nil
	default:
		return nil, fmt.Errorf("%w: %q (give the kind, or source-%s / destination-%s)", ErrAmbiguousName, ref.Name, name, name)
	}
}

func (ref Ref) withoutVersion() string {
	ref.Version = ""
	return ref.String()
}

// Lookup resolves ref in the registry. A registry holds one version of
// each connector: a ref whose Version is another one fails with
// ErrUnknownVersion (Client.Resolve fetches pinned versions instead).
func (r *Registry) Lookup(ref Ref) (*Definition, error) {
	d, err := r.find(ref)
	if err != nil {
		return nil, err
	}
	if ref.Version != "" && ref.Version != d.DockerImageTag {
		return nil, fmt.Errorf("%w: %s (the registry has %s)", ErrUnknownVersion, ref, d.DockerImageTag)
	}
	return d, nil
}

// Names returns every connector's repository name, sorted.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.defs))
	for i := range r.defs {
		out = append(out, r.defs[i].RepositoryName())
	}
	sort.Strings(out)
	return out
}
