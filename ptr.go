package airbyte

// Ptr returns a pointer to a copy of v. Optional fields of requests are
// pointers, so that "not set" differs from the zero value:
//
//	airbyte.ConnectionPatchRequest{Name: airbyte.Ptr("nightly orders")}
//
// From Go 1.26 on, new(v) does the same; Ptr serves older toolchains.
func Ptr[T any](v T) *T { return &v }
