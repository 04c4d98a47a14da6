# airbyte-go: everything a change must pass is `make test`.
GO           ?= go
STATICCHECK  ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
UPSTREAM     ?= ../shared/upstream/airbyte-api.yaml
FUZZTIME     ?= 30s
PKGS         := ./...
# OLDEST_GO is the oldest toolchain go.mod's go directive allows (see the
# README); test-oldest fetches it through the module proxy.
OLDEST_GO    ?= go1.26.0

.PHONY: all demo fake test tidy-check fmt-check generate check-generated vet staticcheck spec-check drift race test-oldest bench fuzz

all: test

## demo: the quickstart, against the built-in fake unless AIRBYTE_CLIENT_ID is set
demo:
	$(GO) run ./examples/quickstart

## fake: serve the fake Airbyte on 127.0.0.1:8000
fake:
	$(GO) run ./cmd/airbyte-fake

## test: every check a change must pass (CI runs this)
test: tidy-check fmt-check check-generated vet staticcheck spec-check drift race test-oldest

## tidy-check: go.mod and go.sum are tidy
tidy-check:
	$(GO) mod tidy -diff

## fmt-check: every Go file is gofmt-formatted
fmt-check:
	@files="$$(gofmt -l .)"; if [ -n "$$files" ]; then echo "not gofmt-formatted (run gofmt -w):"; echo "$$files"; exit 1; fi

## generate: regenerate generated/ and the root package's *.gen.go from openapi/airbyte.yaml
generate:
	$(GO) generate ./...

## check-generated: regenerate and fail if any generated file changed
GENERATED := generated/ '*.gen.go' '*.gen_test.go'
check-generated: generate
	@if [ -n "$$(git status --porcelain -- $(GENERATED))" ]; then \
		git status --porcelain -- $(GENERATED); git --no-pager diff --stat -- $(GENERATED); \
		echo "generated code is stale: run 'make generate' and commit the result (never edit *.gen.go by hand)"; exit 1; \
	fi

## vet: go vet
vet:
	$(GO) vet $(PKGS)

## staticcheck: pinned staticcheck, run through the Go toolchain
staticcheck:
	$(GO) run $(STATICCHECK) $(PKGS)

## spec-check: the spec loads, validates with examples and formats, and passes the style checks
spec-check:
	$(GO) test -count=1 ./openapi/...

## drift: every difference from the upstream spec is explained in openapi/DEVIATIONS.md (skips when UPSTREAM is absent)
drift:
	$(GO) run ./cmd/airbyte-drift -upstream $(UPSTREAM)

## race: all tests (examples included) with the race detector
race:
	$(GO) test -race -count=1 $(PKGS)

## fuzz: run every fuzz target for FUZZTIME each (CI runs only the committed seeds, through race)
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$target ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

## test-oldest: the tests on the oldest supported toolchain (without -race, which race already runs)
test-oldest:
	GOTOOLCHAIN=$(OLDEST_GO) $(GO) test -count=1 $(PKGS)

## bench: benchmarks (compare ratios within one run)
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)
