module github.com/gobnn/bnn/bench

go 1.26

require github.com/gobnn/bnn v0.0.0

require gonum.org/v1/gonum v0.17.0

replace github.com/gobnn/bnn => ../
