package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/zeronas/zeronas/search/distributed"
)

func workerCommand() *cli.Command {
	return &cli.Command{
		Name:      "worker",
		Usage:     "evaluate architectures for searches started with --nats",
		UsageText: "zeronas worker --nats URL [--concurrency N] [--device NAME] [--name NAME] [credential flags]",
		Description: "Takes evaluation tasks from the NATS JetStream work queue of 'zeronas search --nats', evaluates them with the code a local run uses " +
			"(the problem is rebuilt from the run's settings), publishes the results and acks each task after its result is stored. " +
			"Tasks of another zeronas version, or whose settings it cannot build, are refused with a log line and left for other workers. " +
			"With --device NAME it takes only the tasks of searches run with --latency device:NAME and times each architecture's forward pass here " +
			"(one at a time unless --concurrency is given). Runs until SIGINT or SIGTERM; a task in progress then goes back to the queue.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "nats", Required: true, Usage: "NATS server URL(s), comma-separated (as printed by 'zeronas search --nats embedded')"},
			&cli.IntFlag{Name: "concurrency", Value: runtime.GOMAXPROCS(0), Usage: "tasks evaluated at once"},
			&cli.StringFlag{Name: "name", Usage: "name of this worker in results and logs (default: host-pid)"},
			&cli.StringFlag{Name: "device", Usage: "take only the tasks of searches with --latency device:NAME, and measure their latency on this machine"},
		}, natsCredentialFlags()...),
		Action: runWorker,
	}
}

func runWorker(c *cli.Context) error {
	log, err := newLogger(c)
	if err != nil {
		return err
	}
	device := c.String("device")
	if device != "" {
		if err := distributed.CheckDevice(device); err != nil {
			return badInput(fmt.Errorf("--device: %w", err))
		}
		if !c.IsSet("concurrency") {
			c.Set("concurrency", "1") // one measurement at a time, or they disturb each other
		}
	}
	if c.Int("concurrency") < 1 {
		return badInput(fmt.Errorf("--concurrency %d: need at least 1", c.Int("concurrency")))
	}
	name := c.String("name")
	if name == "" {
		host, _ := os.Hostname()
		name = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	nc, err := distributed.Connect(c.String("nats"), "zeronas worker "+name, natsCredentials(c))
	if err != nil {
		return badInput(err)
	}
	defer nc.Close()
	w := &distributed.Worker{Name: name, Version: version, Concurrency: c.Int("concurrency"), Device: device, Log: log}
	err = w.Run(c.Context, nc)
	log.Info("worker stopped", zap.Int("evaluated", w.Done()))
	if c.Context.Err() != nil {
		return nil // stopped by a signal, as asked
	}
	return err
}
