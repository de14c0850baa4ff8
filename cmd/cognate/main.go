// Command cognate is a self-hostable Amazon Cognito user-pool service with
// an AWS-CLI-compatible command line. See internal/app.
package main

import (
	"os"

	"github.com/cognate/cognate/internal/app"
)

func main() { os.Exit(app.Main(os.Args[1:], os.Stdout, os.Stderr)) }
