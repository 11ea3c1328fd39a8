package main

import (
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/distributed"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// natsCredentialFlags are how search, resume and worker authenticate to a NATS server.
func natsCredentialFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "nats-user", EnvVars: []string{"ZERONAS_NATS_USER"}, Usage: "NATS user name"},
		&cli.StringFlag{Name: "nats-password", EnvVars: []string{"ZERONAS_NATS_PASSWORD"}, Usage: "NATS password (better in $ZERONAS_NATS_PASSWORD than on the command line)"},
		&cli.StringFlag{Name: "nats-token", EnvVars: []string{"ZERONAS_NATS_TOKEN"}, Usage: "NATS token (search --nats embedded: the token to require, generated if not given)"},
		&cli.StringFlag{Name: "nats-nkey", Usage: "file holding an NATS nkey seed"},
		&cli.StringFlag{Name: "nats-ca", Usage: "PEM file of the CAs that sign the NATS server's TLS certificate"},
	}
}

// natsFlags are the flags of search and resume that evaluate on workers.
func natsFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "nats", Usage: "evaluate on workers ('zeronas worker') through NATS JetStream at this URL, or 'embedded' to start a server (file storage in DIR/nats)"},
		&cli.StringFlag{Name: "nats-listen", Value: "127.0.0.1:4222", Usage: "--nats embedded: HOST:PORT to listen on (port 0: any free port)"},
		&cli.BoolFlag{Name: "insecure-local", Usage: "--nats embedded: require no token (then only a loopback address may be listened on)"},
		&cli.DurationFlag{Name: "nats-ack-wait", Value: distributed.DefaultAckWait, Usage: "a task whose worker goes silent this long is delivered again"},
		&cli.IntFlag{Name: "nats-max-deliver", Value: distributed.DefaultMaxDeliver, Usage: "a task delivered this many times without a result is recorded as failed"},
		&cli.IntFlag{Name: "nats-replicas", Value: 1, Usage: "copies of each stream in a clustered JetStream (3 survives the loss of a node)"},
	}, natsCredentialFlags()...)
}

func natsCredentials(c *cli.Context) distributed.Credentials {
	return distributed.Credentials{User: c.String("nats-user"), Password: c.String("nats-password"), Token: c.String("nats-token"),
		NKeySeedFile: c.String("nats-nkey"), CAFile: c.String("nats-ca")}
}

// natsEvaluator returns the evaluator factory of rundir.Options that --nats asks for (nil
// without --nats): it starts the coordinator, its connection and an embedded server, and
// returns what releases them.
func natsEvaluator(c *cli.Context, log *zap.Logger) func(dir string, cfg *rundir.Config) (search.Evaluator[space.Arch], func(), error) {
	if c.String("nats") == "" {
		return nil
	}
	return func(dir string, cfg *rundir.Config) (search.Evaluator[space.Arch], func(), error) {
		return startNATS(c, dir, cfg, log)
	}
}

// startNATS starts the evaluation of the run of cfg in dir on NATS JetStream workers.
func startNATS(c *cli.Context, dir string, cfg *rundir.Config, log *zap.Logger) (search.Evaluator[space.Arch], func(), error) {
	u := c.String("nats")
	var closers []func()
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	creds := natsCredentials(c)
	if u == "embedded" {
		e, err := distributed.StartEmbedded(distributed.EmbeddedOptions{StoreDir: filepath.Join(dir, "nats"),
			Listen: c.String("nats-listen"), Token: creds.Token, Insecure: c.Bool("insecure-local")})
		if err != nil {
			return nil, nil, badInput(fmt.Errorf("--nats embedded: %w", err))
		}
		closers = append(closers, e.Shutdown)
		u, creds = e.URL(), distributed.Credentials{}
		fmt.Fprintf(c.App.ErrWriter, "NATS JetStream server for workers: %s\nstart workers with: zeronas worker --nats %s\n", u, u)
	}
	nc, err := distributed.Connect(u, "zeronas coordinator", creds)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	closers = append(closers, nc.Close)
	spec, err := distributed.SpecOf(dir, version, cfg)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	co, err := distributed.NewCoordinator(c.Context, nc, spec, distributed.Options{Version: version,
		AckWait: c.Duration("nats-ack-wait"), MaxDeliver: c.Int("nats-max-deliver"), Replicas: c.Int("nats-replicas")}, log)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	closers = append(closers, func() {
		st := co.Stats()
		log.Info("nats", zap.Int("published", st.Published), zap.Int("reused", st.Reused), zap.Int("redelivered", st.Redelivered),
			zap.Int("duplicates", st.Duplicates), zap.Int("refused", st.Refused))
		co.Close()
	})
	return co, closeAll, nil
}

// deviceLatency checks --latency device:NAME (hardware in the loop) and returns its spec.
func deviceLatency(c *cli.Context, device string) (rundir.LatencySpec, error) {
	switch {
	case distributed.CheckDevice(device) != nil:
		return rundir.LatencySpec{}, badInput(fmt.Errorf("--latency: %w", distributed.CheckDevice(device)))
	case c.String("nats") == "":
		return rundir.LatencySpec{}, badInput(fmt.Errorf("--latency device:%s: latency is measured on workers started with --device %s; give --nats", device, device))
	case c.Float64("max-latency-ms") > 0:
		return rundir.LatencySpec{}, badInput(fmt.Errorf("--max-latency-ms: a budget needs a latency model; with device:%s latency is only measured", device))
	}
	return rundir.LatencySpec{Model: rundir.DevicePrefix + device,
		Description: fmt.Sprintf("measured on workers started with --device %s: forward pass, batch 1, sequence 128, p10 of 20 repetitions, 1 thread", device)}, nil
}
