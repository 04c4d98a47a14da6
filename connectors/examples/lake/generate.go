// Package lake holds the configuration types generated for the "lake"
// destination, a connector made up for airbyte-go's tests
// (connectors/testdata/destination-lake.entry.json, a registry entry, so
// its kind and name come from the entry). Regenerate with go generate.
package lake

//go:generate go run ../../../cmd/airbyte-connectors gen -spec ../../testdata/destination-lake.entry.json -package lake -type Config -o config.gen.go
