// Package warehouse holds the configuration types generated for the
// "warehouse" source, a connector made up for airbyte-go's tests
// (connectors/testdata/source-warehouse.spec.json). It shows what
// airbyte-connectors gen writes; regenerate with go generate.
package warehouse

//go:generate go run ../../../cmd/airbyte-connectors gen -spec ../../testdata/source-warehouse.spec.json -kind source -name warehouse -package warehouse -type Config -o config.gen.go
