package query

import "github.com/cognate/cognate/internal/cli/py"

// literalJSON is json.loads as jmespath.py's lexer calls it for literals
// and quoted identifiers: deep in the parser, so Python's recursion limit
// leaves the scanner fewer levels than at the top.
var literalJSON = py.JSONDecoder{MaxDepth: 900}

// toStringJSON is json.dumps(v, separators=(',', ':'), default=str) with
// ensure_ascii=True, as to_string() calls it.
var toStringJSON = py.JSON{Compact: true, Default: func(v any) (any, error) { return pyStr(v), nil }}

// pyJSONDumps is to_string()'s json.dumps.
func pyJSONDumps(v any) string {
	out, _ := toStringJSON.Append(nil, v)
	return string(out)
}
