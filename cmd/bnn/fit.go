package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// fitMethods are the model kinds "bnn fit" trains.
var fitMethods = []string{"bbb", "ensemble", "dropout", "blr"}

// runFit implements "bnn fit".
func runFit(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bnn fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "training CSV file with a header row (required)")
	target := fs.String("target", "y", "name of the target column")
	method := fs.String("method", "bbb", "model: "+strings.Join(fitMethods, "|"))
	model := fs.String("model", "model.bnn", "path of the model file to write")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" {
		return usageErrorf("-data is required")
	}
	t, err := readCSV(*data)
	if err != nil {
		return err
	}
	if _, _, _, err := t.split(*target); err != nil {
		return err
	}
	_ = model
	return fmt.Errorf("bnn fit: method %s: %w", *method, pending("the model files (modelfile.go)"))
}

// runPredict implements "bnn predict".
func runPredict(args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("bnn predict: %w", pending("the model files (modelfile.go)"))
}
