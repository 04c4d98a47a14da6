package airbyte

// The typed services (services.gen.go, iterators.gen.go, types.gen.go and
// operations.gen_test.go) are generated from openapi/airbyte.yaml.
//go:generate go run ./internal/cmd/genservices
