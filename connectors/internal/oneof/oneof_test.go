package oneof

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestDiscriminator(t *testing.T) {
	t.Parallel()
	parse := func(s string) []any {
		var v []any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		alts     string
		distinct bool
		want     string
	}{
		{`[{"properties":{"mode":{"const":"a"},"x":{}}},{"properties":{"mode":{"enum":["b"]}}}]`, true, "mode [a b]"},
		// Two alternatives fixing the same value name no single one.
		{`[{"properties":{"mode":{"const":"a"}}},{"properties":{"mode":{"const":"a"}}}]`, true, " []"},
		{`[{"properties":{"mode":{"const":"a"}}},{"properties":{"mode":{"const":"a"}}}]`, false, "mode [a a]"},
		// An object const is no discriminator for the generator.
		{`[{"properties":{"m":{"const":{"k":1}}}},{"properties":{"m":{"const":{"k":2}}}}]`, true, " []"},
		{`[{"properties":{"a":{"const":1},"b":{"const":"x"}}},{"properties":{"b":{"const":"y"}}}]`, true, "b [x y]"},
		{`[{"properties":{"mode":{"enum":["a","b"]}}}]`, false, " []"},
		{`[]`, false, " []"},
	}
	for _, tt := range tests {
		name, values := Discriminator(parse(tt.alts), tt.distinct)
		if got := fmt.Sprint(name, " ", values); got != tt.want {
			t.Errorf("Discriminator(%s, %v) = %q; want %q", tt.alts, tt.distinct, got, tt.want)
		}
	}
}
