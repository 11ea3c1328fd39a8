// Command zeronas searches Transformer architectures without training them: it scores
// FlexiBERT architectures with the ZeroLM zero-cost proxy, validates the proxy against
// trained benchmarks, and runs a resumable multi-objective search.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
	"github.com/zeronas/zeronas/internal/numcheck"
)

// version is the zeronas version recorded in run configurations.
const version = "0.1.0"

func main() {
	ctx, stop := signalContexts()
	defer stop()
	app := newApp(os.Stdout, os.Stderr)
	err := app.RunContext(ctx, interspersed(app, os.Args))
	os.Exit(report(os.Stderr, err))
}

// hardKey keys the context that only a second signal cancels.
type hardKey struct{}

// signalContexts returns a context that the first SIGINT or SIGTERM cancels and that
// carries (see hardContext) one that only a second signal cancels: a search stops at the
// next generation boundary on the first signal and at once on the second, its checkpoint
// complete either way.
func signalContexts() (context.Context, func()) {
	hard, cancelHard := context.WithCancel(context.Background())
	graceful, cancelGraceful := context.WithCancel(context.WithValue(hard, hardKey{}, hard))
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		if _, ok := <-sig; !ok {
			return
		}
		cancelGraceful()
		if _, ok := <-sig; ok {
			cancelHard()
		}
	}()
	return graceful, func() {
		signal.Stop(sig)
		close(sig)
		cancelGraceful()
		cancelHard()
	}
}

// hardContext returns the context only a second signal cancels, or ctx itself.
func hardContext(ctx context.Context) context.Context {
	if h, ok := ctx.Value(hardKey{}).(context.Context); ok {
		return h
	}
	return ctx
}

// newApp builds the command tree; tests run it with their own writers.
func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:           "zeronas",
		Usage:          "training-free Transformer architecture search",
		Version:        version,
		Writer:         stdout,
		ErrWriter:      stderr,
		Flags:          globalFlags(),
		ExitErrHandler: func(*cli.Context, error) {}, // main maps errors to exit codes once
		OnUsageError:   usageError,
		Commands: []*cli.Command{
			scoreCommand(),
			correlateCommand(),
			calibrateCommand(),
			spaceCommand(),
			searchCommand(),
			resumeCommand(),
			latencyCommand(),
			exportCommand(),
			plotCommand(),
			reportCommand(),
			mooBenchCommand(),
			workerCommand(),
		},
	}
	for _, c := range app.Commands {
		addGlobalFlags(c)
	}
	return app
}

// usageError turns a flag-parsing error into an input error.
func usageError(_ *cli.Context, err error, _ bool) error { return badInput(err) }

// addGlobalFlags lets --verbose and --log-format follow any command as well as precede it,
// makes flag errors input errors everywhere, and refuses NaN and Inf in every float flag.
func addGlobalFlags(c *cli.Command) {
	c.OnUsageError = usageError
	c.Before = finiteFloats
	if len(c.Subcommands) == 0 {
		c.Flags = append(c.Flags, globalFlags()...)
	}
	for _, s := range c.Subcommands {
		addGlobalFlags(s)
	}
}

// report prints err, if any, and returns the process exit code for it.
func report(w io.Writer, err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintf(w, "zeronas: %v\n", err)
	return exitCode(err)
}

// finiteFloats refuses a NaN or infinite value of any float flag the user set: no setting
// of zeronas means anything at NaN or Inf, and they would otherwise surface late or not at
// all.
func finiteFloats(c *cli.Context) error {
	for _, f := range c.Command.Flags {
		ff, ok := f.(*cli.Float64Flag)
		if !ok || !c.IsSet(ff.Name) {
			continue
		}
		if err := numcheck.Finite("--"+ff.Name, c.Float64(ff.Name)); err != nil {
			return badInput(err)
		}
	}
	return nil
}
