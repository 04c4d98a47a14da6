// Command airbyte-connectors checks, inspects and types Airbyte connector
// configurations against each connector's own schema.
//
// Usage:
//
//	airbyte-connectors validate [SCHEMA FLAGS] [-patch] CONFIG.json
//	airbyte-connectors secrets  [SCHEMA FLAGS]
//	airbyte-connectors gen      [SCHEMA FLAGS] -package NAME -type NAME [-kind source|destination -name SHORT] [-o FILE]
//
// The schema comes from either
//
//	-spec FILE      a spec.json (connectionSpecification at its top), a registry
//	                entry or version document (the schema under "spec"), or a bare schema;
//	-registry URL|FILE -connector NAME[@VERSION] [-kind source|destination]
//	                a registry document (a URL is fetched and cached under
//	                os.UserCacheDir()/airbyte-go/connectors, see -cache-dir and -no-cache);
//	                a pinned version is fetched from -metadata (Airbyte's by default).
//
// validate exits 0 when the configuration fits, 1 with one line per problem
// (each starting with the field's JSON pointer) when it does not, and 2 on
// bad usage, an unreadable file or a schema that cannot be had. -patch
// checks a partial configuration as a PATCH sends it. secrets prints the
// secret fields' pointers, one a line ("*" stands for every array element).
// gen prints (or writes to -o) Go types for the configuration.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/seed83f33fd3/airbyte-go/connectors"
	"github.com/seed83f33fd3/airbyte-go/connectors/typegen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK       = 0
	exitProblems = 1
	exitUsage    = 2
)

const usage = `usage:
  airbyte-connectors validate [SCHEMA] [-patch] CONFIG.json
  airbyte-connectors secrets  [SCHEMA]
  airbyte-connectors gen      [SCHEMA] -package NAME -type NAME [-kind source|destination -name SHORT] [-o FILE]
SCHEMA is -spec FILE, or -registry URL|FILE -connector NAME[@VERSION] [-kind source|destination]
`

// schemaFlags are the flags that say where the schema comes from.
type schemaFlags struct {
	spec, registry, connector, kind, metadata, flavor, cacheDir string
	noCache                                                     bool
	httpClient                                                  *http.Client // tests set it
}

func (s *schemaFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.spec, "spec", "", "spec.json, registry entry or schema `FILE`")
	fs.StringVar(&s.registry, "registry", "", "registry `URL or FILE` (with -connector)")
	fs.StringVar(&s.connector, "connector", "", "connector `NAME[@VERSION]`: source-postgres, postgres (with -kind) or a definition ID")
	fs.StringVar(&s.kind, "kind", "", "`source or destination` (for a short -connector name, and for gen's sourceType/destinationType)")
	fs.StringVar(&s.metadata, "metadata", "", "base `URL` of pinned versions' documents (default Airbyte's)")
	fs.StringVar(&s.flavor, "flavor", "oss", "pinned version document: `oss or cloud`")
	fs.StringVar(&s.cacheDir, "cache-dir", "", "cache `DIR` for fetched documents (default os.UserCacheDir()/airbyte-go/connectors)")
	fs.BoolVar(&s.noCache, "no-cache", false, "do not cache fetched documents")
}

// loaded is a schema and what is known of its connector.
type loaded struct {
	spec   *connectors.Spec
	kind   connectors.Kind
	name   string // short name, "" when unknown
	source string // for gen's header
}

func (s *schemaFlags) load(ctx context.Context) (*loaded, error) {
	if s.kind != "" && s.kind != string(connectors.KindSource) && s.kind != string(connectors.KindDestination) {
		return nil, usageError("-kind must be source or destination")
	}
	switch {
	case s.spec != "" && (s.registry != "" || s.connector != ""):
		return nil, usageError("give -spec, or -registry with -connector, not both")
	case s.spec != "":
		data, err := os.ReadFile(s.spec)
		if err != nil {
			return nil, err
		}
		spec, err := connectors.ParseSpecDocument(data)
		if err != nil {
			return nil, err
		}
		l := &loaded{spec: spec, kind: connectors.Kind(s.kind), source: filepath.ToSlash(s.spec)}
		// A registry entry also says which connector it is.
		if d, err := connectors.ParseDefinition(data, s.spec); err == nil {
			l.kind, l.name = d.Kind, d.ShortName()
		}
		return l, nil
	case s.registry != "" && s.connector != "":
		ref := connectors.ParseRef(s.connector)
		ref.Kind = connectors.Kind(s.kind)
		var d *connectors.Definition
		if strings.HasPrefix(s.registry, "http://") || strings.HasPrefix(s.registry, "https://") {
			c, err := s.client()
			if err != nil {
				return nil, err
			}
			if d, err = c.Resolve(ctx, ref); err != nil {
				return nil, err
			}
		} else {
			r, err := connectors.LoadRegistryFile(s.registry)
			if err != nil {
				return nil, err
			}
			if d, err = r.Lookup(ref); err != nil {
				return nil, err
			}
		}
		spec, err := d.CompileSpec()
		if err != nil {
			return nil, err
		}
		return &loaded{spec: spec, kind: d.Kind, name: d.ShortName(), source: d.RepositoryName() + "@" + d.DockerImageTag}, nil
	default:
		return nil, usageError("give -spec FILE, or -registry URL|FILE with -connector NAME[@VERSION]")
	}
}

func (s *schemaFlags) client() (*connectors.Client, error) {
	if s.flavor != string(connectors.FlavorOSS) && s.flavor != string(connectors.FlavorCloud) {
		return nil, usageError("-flavor must be oss or cloud")
	}
	c := &connectors.Client{
		HTTPClient: s.httpClient, RegistryURL: s.registry, MetadataBaseURL: s.metadata,
		Flavor: connectors.Flavor(s.flavor),
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 2 * time.Minute}
	}
	if !s.noCache {
		dir := s.cacheDir
		if dir == "" {
			var err error
			if dir, err = connectors.DefaultCacheDir(); err != nil {
				return nil, err
			}
		}
		c.Cache = &connectors.Cache{Dir: dir, StaleIfError: true}
	}
	return c, nil
}

type usageError string

func (e usageError) Error() string { return string(e) }

// run is the command with its arguments (without the program name) and
// output streams; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runWith(ctx, args, stdout, stderr, nil)
}

func runWith(ctx context.Context, args []string, stdout, stderr io.Writer, hc *http.Client) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, args := args[0], args[1:]
	fs := flag.NewFlagSet("airbyte-connectors "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf schemaFlags
	sf.httpClient = hc
	sf.register(fs)
	var (
		patch               bool
		pkg, typ, name, out string
	)
	switch cmd {
	case "validate":
		fs.BoolVar(&patch, "patch", false, "check a partial configuration (PATCH) instead of a whole one")
	case "secrets":
	case "gen":
		fs.StringVar(&pkg, "package", "", "package `NAME` of the generated file")
		fs.StringVar(&typ, "type", "", "`NAME` of the configuration's type")
		fs.StringVar(&name, "name", "", "connector short `NAME` written as sourceType/destinationType (default: from the registry)")
		fs.StringVar(&out, "o", "", "write to `FILE` instead of standard output")
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "airbyte-connectors: unknown command %q\n%s", cmd, usage)
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "airbyte-connectors %s: %v\n", cmd, err)
		return exitUsage
	}
	wantArgs := 0
	if cmd == "validate" {
		wantArgs = 1
	}
	if fs.NArg() != wantArgs {
		return fail(usageError(fmt.Sprintf("want %d argument(s) after the flags, got %d", wantArgs, fs.NArg())))
	}
	if cmd == "gen" && (pkg == "" || typ == "") {
		return fail(usageError("gen needs -package and -type"))
	}
	l, err := sf.load(ctx)
	if err != nil {
		return fail(err)
	}
	for _, p := range l.spec.SkippedPatterns() {
		fmt.Fprintf(stderr, "airbyte-connectors: note: pattern %q compiles in no engine; values are not checked against it\n", p)
	}

	switch cmd {
	case "validate":
		data, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return fail(err)
		}
		var cfg map[string]any
		if err := json.Unmarshal(data, &cfg); err != nil || cfg == nil {
			return fail(fmt.Errorf("%s: not a JSON object", fs.Arg(0)))
		}
		check := l.spec.Validate
		if patch {
			check = l.spec.ValidatePatch
		}
		err = check(cfg)
		var ve *connectors.ValidationError
		switch {
		case err == nil:
			return exitOK
		case errors.As(err, &ve):
			for _, p := range ve.Problems {
				fmt.Fprintln(stdout, p.String())
			}
			return exitProblems
		default:
			return fail(err)
		}
	case "secrets":
		for _, p := range l.spec.SecretPaths() {
			fmt.Fprintln(stdout, p.String())
		}
		return exitOK
	default: // gen
		if name == "" {
			name = l.name
		}
		src, err := typegen.Generate(l.spec.Schema(), typegen.Options{
			Package: pkg, Type: typ, Kind: l.kind, Name: name, Source: l.source,
		})
		if err != nil {
			return fail(err)
		}
		if out == "" {
			_, _ = stdout.Write(src)
			return exitOK
		}
		if err := os.WriteFile(out, src, 0o644); err != nil {
			return fail(err)
		}
		return exitOK
	}
}
