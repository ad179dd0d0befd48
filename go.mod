module rolegate

go 1.26
