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
)

// version is the zeronas version recorded in run configurations.
const version = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := newApp(os.Stdout, os.Stderr)
	err := app.RunContext(ctx, os.Args)
	os.Exit(report(os.Stderr, err))
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
// and makes flag errors input errors everywhere.
func addGlobalFlags(c *cli.Command) {
	c.OnUsageError = usageError
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
