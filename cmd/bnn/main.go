// Command bnn runs the seed notebook's pipeline (bnn oscillator) and fits the
// library's models to a user's CSV data (bnn fit, bnn predict).
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bnn oscillator | fit | predict [flags]")
		os.Exit(2)
	}
	fmt.Fprintf(os.Stderr, "bnn: %s: not available yet\n", os.Args[1])
	os.Exit(2)
}
