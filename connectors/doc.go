// Package connectors finds, validates, masks and types Airbyte connector
// configurations with each connector's own schema.
//
// Every Airbyte source and destination declares the configuration it takes
// as a draft-07 JSON Schema, its connectionSpecification, published in
// Airbyte's connector registries. The public API types a configuration as
// a free-form object and answers 422 when it does not fit; with this
// package a program finds out before it sends, masks secrets by what the
// schema says rather than by guessing from key names, and can use Go types
// generated from the schema (see the typegen package and the
// airbyte-connectors command).
//
// # Usage
//
// Resolve a connector in a registry (fetched through your *http.Client,
// with a context, cached on disk) and compile its schema once:
//
//	dir, _ := connectors.DefaultCacheDir() // os.UserCacheDir()/airbyte-go/connectors
//	c := &connectors.Client{HTTPClient: hc, Cache: &connectors.Cache{Dir: dir}}
//	def, err := c.Resolve(ctx, connectors.Ref{Name: "source-postgres", Version: "3.6.28"})
//	// def.DefinitionID is the API's definitionId, def.DockerImageTag the version.
//	spec, err := def.CompileSpec()
//
// or read it from a file: LoadRegistryFile for a registry, ParseSpecDocument
// for a spec.json, a registry entry or a bare schema, NewSpec for the raw
// connectionSpecification.
//
// Check a configuration before a create or a replace, and a partial one
// before a patch; the error is a *ValidationError listing each problem by
// the field's JSON pointer:
//
//	if err := spec.Validate(cfg); err != nil { ... }
//	if err := spec.ValidatePatch(patch); err != nil { ... }
//
// Mask secrets before logging, and put them back into a configuration kept
// without them:
//
//	log.Print(spec.Mask(cfg))  // airbyte_secret fields become "**********"
//	full, err := spec.MergeSecrets(stored, secrets)
//
// A nil *Spec stands for "no schema known": its Mask guesses secrets from
// key names.
//
// # Registries and versions
//
// OSSRegistryURL, CloudRegistryURL and CompositeRegistryURL list every
// connector at its current version. A Ref with a Version is fetched from
// MetadataBaseURL/<name>/<version>/oss.json (or cloud.json, see Flavor), which
// is how a configuration stays reproducible. The Cache documents its
// location and freshness rule; its writes are atomic. Errors are typed:
// ErrUnknownConnector, ErrUnknownVersion and ErrAmbiguousName (with
// errors.Is), *FetchError for the network and HTTP statuses, and
// *MalformedError for documents that are not what they should be.
//
// # Validation details
//
// Patterns are ECMAScript expressions; those Go's regexp cannot compile
// (look-around, back-references) run on github.com/dlclark/regexp2 in its
// ECMAScript mode, and any that neither compiles is skipped and listed by
// Spec.SkippedPatterns. Airbyte's own keywords (airbyte_secret,
// airbyte_hidden, order, group, always_show, multiline,
// pattern_descriptor, min, max) are accepted. For a oneOf whose
// alternatives are told apart by a const property, the problem names the
// alternative the configuration chose and what it lacks. Problems never
// quote a configuration's values, so they may be logged.
package connectors
