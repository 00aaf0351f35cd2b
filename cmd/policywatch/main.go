// Command policywatch watches privacy policies and terms of service: it
// records every version and shows what changed. See README.md.
package main

import (
	"os"
	_ "time/tzdata" // time zones work on machines without a zoneinfo database

	"github.com/policywatch/policywatch/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
