package connectors

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// A Checker checks the configurations a program sends to the Airbyte API
// against their connectors' schemas, found in a Registry. It is what
// airbyte.WithConfigValidator takes: the client calls it before it creates,
// replaces or patches a source or a destination, and sends nothing when it
// fails.
//
// Each connector's schema is compiled once, on first use. A Checker is safe
// for concurrent use.
type Checker struct {
	reg *Registry

	mu    sync.Mutex
	specs map[string]func() (*Spec, error) // by definition ID
}

// NewChecker returns a Checker for the connectors of reg.
func NewChecker(reg *Registry) *Checker {
	return &Checker{reg: reg, specs: map[string]func() (*Spec, error){}}
}

// ValidateConfiguration checks cfg, the configuration of a kind ("source"
// or "destination") connector, before it is sent. The connector is the one
// definitionID names when it is set, else the one typeName names (the
// configuration's sourceType or destinationType, such as "postgres"). With
// patch set, cfg is a partial configuration checked as Spec.ValidatePatch
// does.
//
// A definition ID the registry does not list is a custom connector, whose
// schema the registry cannot know, and a typeName it does not list may
// still be one the server knows (it resolves names from a map of its
// own): for both ValidateConfiguration answers nil and the server checks.
// A configuration that does not fit is a *ValidationError.
func (c *Checker) ValidateConfiguration(ctx context.Context, kind, definitionID, typeName string, cfg map[string]any, patch bool) error {
	if c == nil || c.reg == nil {
		return errors.New("connectors: Checker without a registry (use NewChecker)")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	spec, err := c.resolve(kind, definitionID, typeName)
	if errors.Is(err, ErrUnknownConnector) {
		// A custom connector, or a name the registry does not list: the
		// server resolves names from a map of its own
		// (airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/NameToDefinitionMapper.kt,
		// looked up in SourcesController.kt:71-74), so it is the one to say.
		return nil
	}
	if err != nil {
		return err
	}
	if patch {
		return spec.ValidatePatch(cfg)
	}
	return spec.Validate(cfg)
}

// MaskConfiguration returns a copy of cfg with its secrets masked as the
// server masks them ("**********"): the fields its connector's schema marks
// airbyte_secret, found as ValidateConfiguration finds the connector. When
// the connector is not known it guesses secrets from key names, as a nil
// *Spec's Mask does. The client uses it to keep secrets out of its debug
// log and errors.
func (c *Checker) MaskConfiguration(kind, definitionID, typeName string, cfg map[string]any) map[string]any {
	var spec *Spec
	if c != nil && c.reg != nil {
		spec, _ = c.resolve(kind, definitionID, typeName)
	}
	return spec.Mask(cfg)
}

// resolve finds the connector named by definitionID or typeName and its
// compiled schema.
func (c *Checker) resolve(kind, definitionID, typeName string) (*Spec, error) {
	k := Kind(kind)
	if k != KindSource && k != KindDestination {
		return nil, fmt.Errorf("connectors: kind %q is neither %q nor %q", kind, KindSource, KindDestination)
	}
	var ref Ref
	switch {
	case definitionID != "":
		if !uuidRE.MatchString(definitionID) {
			return nil, fmt.Errorf("connectors: definition ID %q is not a UUID", definitionID)
		}
		// Looked up without the kind, so that a destination's definition
		// given for a source is named as such, not taken for a custom
		// connector.
		ref = Ref{Name: definitionID}
	case typeName != "":
		ref = Ref{Name: strings.TrimPrefix(typeName, string(k)+"-"), Kind: k}
	default:
		return nil, fmt.Errorf("connectors: the %s names no connector (no definition ID and no %sType)", kind, kind)
	}
	return c.spec(ref, k)
}

// spec finds and compiles the schema of ref, a connector of kind, once.
func (c *Checker) spec(ref Ref, kind Kind) (*Spec, error) {
	def, err := c.reg.Lookup(ref)
	if err != nil {
		return nil, err
	}
	if def.Kind != kind {
		return nil, fmt.Errorf("connectors: %s is a %s, not a %s", ref.Name, def.Kind, kind)
	}
	c.mu.Lock()
	compile := c.specs[def.DefinitionID]
	if compile == nil {
		// Compiled once, failure included: a schema that does not compile
		// is not compiled again on every check.
		compile = sync.OnceValues(def.CompileSpec)
		c.specs[def.DefinitionID] = compile
	}
	c.mu.Unlock()
	return compile()
}
