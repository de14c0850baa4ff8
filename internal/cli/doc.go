// Package cli is `cognate cognito-idp …`: the AWS CLI v2's command line for
// every Cognito operation, generated from the model. It parses the three
// argparse levels (globals, service, operation), builds the request with
// params, calls with awsclient, applies query and writes with output; it
// is the one place that turns errors into the CLI's stderr texts and exit
// codes (AWS CLI v2.34+ rules, spec aws-cli.md §8). It imports the cli
// subpackages and internal/model.
package cli
