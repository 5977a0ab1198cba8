// Command bnn runs the seed notebook's pipeline end to end and fits the
// library's probabilistic regressors to a user's own CSV data.
//
//	bnn oscillator [-out dir] [-seed n] [-epochs n] [-samples n] [-hidden n] [-grid n] [-methods list] [-quick]
//	bnn fit -data train.csv -target y -method bbb|ensemble|dropout|blr -model m.bnn
//	bnn predict -model m.bnn -data test.csv [-out predictions.csv] [-level 0.95]
//	bnn cv -data d.csv -target y [-methods blr,ensemble,dropout,bbb] [-splits 20] [-test 0.1] [-folds k] [-seed 0] [-out dir]
//
// Run "bnn <command> -h" for the flags of a command.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

const usage = `bnn: Bayesian inference from Bayes' rule to Bayesian neural networks

usage:
  bnn oscillator [flags]   run every section of the seed notebook, write figures and results.json
  bnn fit [flags]          train a model on a CSV file and save it
  bnn predict [flags]      predict with a saved model on a CSV file
  bnn cv [flags]           cross-validate the methods on a CSV file: accuracy, likelihood, calibration

Run "bnn <command> -h" for the flags of a command.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the process exit code:
// 0 on success, 1 on a failure, 2 on a usage error.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "oscillator":
		err = runOscillator(args[1:], stdout, stderr)
	case "fit":
		err = runFit(args[1:], stdout, stderr)
	case "predict":
		err = runPredict(args[1:], stdout, stderr)
	case "cv":
		err = runCV(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "bnn: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		if ue.msg != "" {
			fmt.Fprintf(stderr, "bnn %s: %s\n", args[0], ue.msg)
		}
		return 2
	default:
		fmt.Fprintln(stderr, err)
		return 1
	}
}

// usageError is a bad command line (exit code 2). An empty message means
// the flag package has already reported it.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usageErrorf reports a bad command line.
func usageErrorf(format string, a ...any) error {
	return &usageError{fmt.Sprintf(format, a...)}
}

// parseFlags parses args into fs, turning a parse failure (already printed
// by fs) into a usage error and rejecting stray positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{}
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// isTerminal reports whether w is a character device (an interactive
// terminal), which decides whether live progress is shown.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
