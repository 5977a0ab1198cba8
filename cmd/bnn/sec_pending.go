package main

import "fmt"

// pending reports a section whose library piece has not landed on main.
func pending(what string) error {
	return fmt.Errorf("%w: needs %s from the bnn library", errNotAvailable, what)
}

func sectionGrid(*oscRun) error {
	return pending("the RK45 solver and grid posterior (ode.go, grid.go)")
}
func sectionBLR(*oscRun) error      { return pending("Bayesian linear regression (bayes.go)") }
func sectionVI(*oscRun) error       { return pending("scalar variational inference (vi.go)") }
func sectionBNN(*oscRun) error      { return pending("Bayes-by-Backprop networks (bbb.go)") }
func sectionEnsemble(*oscRun) error { return pending("deep ensembles (ensemble.go)") }
func sectionDropout(*oscRun) error  { return pending("MC dropout (dropout.go)") }
