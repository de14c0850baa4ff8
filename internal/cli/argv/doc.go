// Package argv parses command lines the way Python's argparse does in the
// AWS CLI (parse_known_args at each level: options anywhere, "--name value"
// and "--name=value", unambiguous prefixes, greedy multi-value options,
// last occurrence wins, store_true/store_false pairs, "--" ending options),
// with argparse's error texts. The AWS CLI v2 that Cognate reproduces runs
// on CPython 3.11 in Debian's build (2.9.19) and 3.13 in the installer
// builds; where they differ this package follows 3.11, the one the
// differential test can run. It imports only the standard library.
package argv
