module svgplotmv

go 1.26
