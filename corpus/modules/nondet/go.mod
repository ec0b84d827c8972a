module example.com/nondet

go 1.21
