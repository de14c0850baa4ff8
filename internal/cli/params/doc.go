// Package params turns what the command line collected for one cognito-idp
// operation into the operation's request parameters, exactly as the AWS CLI
// v2 (2.34+) with its vendored botocore does (spec aws-cli.md §2, §4–§6):
// param files (file://, fileb://) for every top-level member, JSON or
// shorthand chosen by the first token, one list element per token, the
// model coercion of awscli's BackCompatVisitor, the shallow
// --cli-input-json / --cli-input-yaml merge in which explicit options win,
// --cli-binary-format blob decoding, and botocore's client-side
// ParamValidator (required members, unknown members, types and minimums —
// never maximums, enums or patterns) with its messages, all errors
// collected. It also serialises a request as the AWS JSON 1.1 body
// (botocore's JSONSerializer), decodes a response body as botocore's JSON
// parser does (members in model order, timestamps per cli_timestamp_format)
// and prints the --generate-cli-skeleton outputs (input, yaml-input with
// comments written here from the model, and output).
//
// Values are those of internal/cli/value (nil, bool, string, int64,
// float64, []any, *value.Object) plus []byte, which stands for Python bytes:
// the contents of a fileb:// file, or a blob after base64 decoding. Because
// the AWS CLI's messages print Python values (str(), repr(), type()), the
// package keeps the Python reading of every value: a JSON object parsed by
// argprocess is an OrderedDict, one from shorthand, --cli-input-* or YAML a
// dict; integers are int64 and bool counts as an int, as isinstance does.
//
// Errors are *clierr.Error: ParamParse for "Error parsing parameter …" and
// the --cli-input-* errors, ParamValidation for "Parameter validation
// failed:", Usage for argparse's "invalid int value", and Other for what the
// AWS CLI leaves uncaught (exit 255), such as Python's int() ValueError.
//
// Known divergences from the AWS CLI: integers beyond int64 become float64
// (Python keeps them exact); a lone surrogate from a JSON \u escape becomes
// U+FFFD; YAML keys are always strings (ruamel keeps 2 as an int); the
// timestamp strings botocore hands to dateutil are read in the common ISO
// 8601 and RFC 822 forms only; CPython's recursion limit is approximated
// (JSON nesting deeper than 990 levels is refused as a RecursionError);
// --generate-cli-skeleton output gives timestamps in their json form
// (1970-01-01T00:00:00), where text and table print str(datetime).
//
// It imports the standard library, go.yaml.in/yaml/v3, internal/model,
// internal/cli/value, internal/cli/clierr and internal/cli/shorthand.
package params
