module github.com/gobnn/bnn

go 1.26
