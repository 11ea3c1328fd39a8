# zeronas: build, run, test. Go comes from the machine (/usr/local/go) and modules from the
# Go module proxy; nothing else is needed.
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin
GO      ?= go
BENCH   := experiments/data/nas-bench-bert/nas-bench-bert-dev.json
BIN     := bin/zeronas
# Packages with concurrent code, tested again under the race detector.
RACE    := ./search/... ./proxy/... ./cmd/...

.PHONY: build run test bench lint default-alpha experiments clean

build:
	$(GO) build -o $(BIN) ./cmd/zeronas

run: build
	$(BIN) correlate --bench $(BENCH)
	$(BIN) correlate --bench $(BENCH) --proxy params --build legacy

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -race -short $(RACE)

bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./... 

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

# default-alpha recalibrates the default alpha on the embedded benchmark (50 records, seed 1);
# proxy's tests check that the shipped file is what this produces.
default-alpha: build
	$(BIN) calibrate --bench $(BENCH) --strategy sampling --sample 50 --seed 1 --format json > proxy/default_alpha.json.tmp
	mv proxy/default_alpha.json.tmp proxy/default_alpha.json

experiments: build
	$(GO) run ./experiments/nasbenchbert -bench $(BENCH) -out experiments/nasbenchbert

clean:
	rm -rf bin
