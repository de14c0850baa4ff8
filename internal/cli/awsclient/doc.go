// Package awsclient is the AWS CLI v2's network half for cognito-idp: it
// resolves the profile, region, endpoint, retry and TLS settings and the
// credentials with the CLI's precedence (spec aws-cli.md §9), sends AWS JSON
// 1.1 requests signed with SigV4 (or unsigned for noAuth operations and
// --no-sign-request), retries them as botocore's "standard" mode does,
// turns failures into *clierr.Error values with the CLI's texts and kinds
// (§8), drives paginated operations exactly as botocore's PageIterator does
// (--starting-token, --page-size, --max-items and the base64 JSON NextToken,
// §1), and writes the --debug log in the CLI's line format.
//
// Entry points: New (settings and a Client), Client.Call / Client.Do (one
// request), Client.Paginate / Client.PaginateWith (a paginated operation),
// ClientErrorText (the CLI's line for a service error, with the "(reached
// max retries: N)" that clierr.Error has no field for) and Logger (the
// --debug line format, shareable with the caller through Config.Logger).
//
// It takes request bodies as JSON bytes and hands back response bodies as
// bytes: building bodies from parameters and shaping responses for output
// belong to the caller (Config.Serialize is how Paginate serialises the
// parameters of each page). It imports the standard library, the AWS SDK
// for Go v2 (config and credentials for the credential chain, the SigV4
// signer, the cognito-idp endpoint rules) and, from this module, only
// internal/model, internal/cli/value and internal/cli/clierr.
package awsclient
