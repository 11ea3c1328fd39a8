# zeronas: build, run, test. Go comes from the machine (/usr/local/go) and modules from the
# Go module proxy; nothing else is needed.
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin
GO      ?= go
BENCH   := experiments/data/nas-bench-bert/nas-bench-bert-dev.json
LTS     := experiments/data/lts/gpt2-lm1b-dev.jsonl
BIN     := bin/zeronas
# Packages with concurrent code, tested again under the race detector (cmd/zeronas's tests
# run the built binary, which the race detector does not see into).
RACE    := ./search/... ./proxy/... ./objectives/... ./internal/...

.PHONY: build run test nats-e2e bench lint default-alpha experiments clean

build:
	$(GO) build -o $(BIN) ./cmd/zeronas

# run: a real search of NAS-Bench-BERT for proxy, parameters and measured latency.
run: build
	$(BIN) search --out runs/quickstart --force --generations 40 --seed 1
	$(BIN) plot runs/quickstart --out runs/quickstart/front.png --force
	@echo "front: runs/quickstart/front.json (picture: runs/quickstart/front.png); export it with: $(BIN) export runs/quickstart --format hf --out runs/quickstart/hf"

test:
	$(GO) vet ./...
	$(GO) test -count=1 -skip '^TestRealNATSServer$$' ./...
	$(GO) test -count=1 -race -short $(RACE)
	$(MAKE) nats-e2e

# nats-e2e builds the real nats-server from the Go module (the version in go.mod) and runs a
# search against it with three worker processes and a server restart.
NATS_SERVER := $(CURDIR)/bin/nats-server
nats-e2e:
	$(GO) build -o $(NATS_SERVER) github.com/nats-io/nats-server/v2
	ZERONAS_NATS_SERVER=$(NATS_SERVER) $(GO) test -count=1 -run '^TestRealNATSServer$$' -v ./cmd/zeronas

bench:
	$(GO) test -run '^$$' -bench . ./...

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

# default-alpha recalibrates the default alpha on the embedded benchmark (50 records, seed 1);
# proxy's tests check that the shipped file is what this produces.
default-alpha: build
	$(BIN) calibrate --bench $(BENCH) --strategy sampling --sample 50 --seed 1 --format json > proxy/default_alpha.json.tmp
	mv proxy/default_alpha.json.tmp proxy/default_alpha.json
	$(BIN) calibrate --bench $(LTS) --space gpt2 --strategy sampling --sample 50 --seed 1 --format json > proxy/default_alpha_gpt2.json.tmp
	mv proxy/default_alpha_gpt2.json.tmp proxy/default_alpha_gpt2.json

experiments: build
	$(GO) run ./experiments/nasbenchbert -bench $(BENCH) -out experiments/nasbenchbert
	$(GO) run ./experiments/nasbenchbert -space gpt2 -bench $(LTS) -out experiments/lts
	$(GO) run ./experiments/ranking -bert $(BENCH) -lts $(LTS) -out experiments/ranking -svd-lts
	$(GO) run ./experiments/searchbench -space nas-bench-bert -budgets 1000,2000,5000 -seeds 5
	$(GO) run ./experiments/searchbench -space flexibert -seeds 10
	$(GO) run ./experiments/searchbench -space gpt2 -budgets 1000,2000,5000,10000 -seeds 10

clean:
	rm -rf bin
