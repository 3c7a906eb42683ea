module tcroom.invalid/hosts/go

go 1.19
