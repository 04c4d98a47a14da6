package lake_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/connectors"
	"github.com/seed83f33fd3/airbyte-go/connectors/examples/lake"
	"github.com/seed83f33fd3/airbyte-go/connectors/typegen"
)

const entryFile = "../../testdata/destination-lake.entry.json"

func definition(t *testing.T) (*connectors.Definition, *connectors.Spec) {
	t.Helper()
	data, err := os.ReadFile(entryFile)
	if err != nil {
		t.Fatal(err)
	}
	d, err := connectors.ParseDefinition(data, entryFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := d.CompileSpec()
	if err != nil {
		t.Fatal(err)
	}
	return d, s
}

func ptr[T any](v T) *T { return &v }

func TestTypedConfigRoundTripsAndValidates(t *testing.T) {
	t.Parallel()
	_, s := definition(t)
	for name, cfg := range map[string]lake.Config{
		"csv gzip, keys": {
			Bucket: "my-bucket", Region: lake.ConfigRegionEast2,
			Credentials: lake.ConfigCredentialsKeys{AccessKeyID: "AK", SecretAccessKey: "SK"},
			Output:      lake.ConfigOutputCSV{Delimiter: ptr(";"), Compression: lake.ConfigOutputCSVCompressionGzip{Level: ptr(int64(9))}},
			Tags:        []lake.ConfigTagsItem{{Key: "k", Value: "v"}},
		},
		"parquet, role": {
			Bucket: "b.k-t", Region: lake.ConfigRegionNorth1,
			Credentials: lake.ConfigCredentialsRole{RoleName: "writer", ExternalID: ptr("x")},
			Output:      lake.ConfigOutputParquet{PageSizeKb: ptr(int64(128)), Dictionary: ptr(false)},
		},
	} {
		b, err := json.Marshal(cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		if m["destinationType"] != "lake" {
			t.Errorf("%s: destinationType = %v", name, m["destinationType"])
		}
		if err := s.Validate(m); err != nil {
			t.Errorf("%s: Validate(%s) = %v", name, b, err)
		}
		var back lake.Config
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: Unmarshal: %v", name, err)
		}
		if !reflect.DeepEqual(back, cfg) {
			t.Errorf("%s: round trip =\n%#v\nwant\n%#v", name, back, cfg)
		}
	}
	// A typed value can still be wrong where types cannot tell: the
	// schema catches it.
	bad, _ := json.Marshal(lake.Config{Bucket: "B", Region: "west-9", Credentials: lake.ConfigCredentialsRole{}, Output: lake.ConfigOutputParquet{}})
	var m map[string]any
	_ = json.Unmarshal(bad, &m)
	if err := s.Validate(m); err == nil {
		t.Error("Validate(bad typed config) = nil")
	}
}

func TestGeneratedFileIsFresh(t *testing.T) {
	t.Parallel()
	d, s := definition(t)
	want, err := typegen.Generate(s.Schema(), typegen.Options{
		Package: "lake", Type: "Config", Kind: d.Kind, Name: d.ShortName(), Source: entryFile,
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("config.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("config.gen.go is stale: run go generate ./connectors/examples/...")
	}
}
