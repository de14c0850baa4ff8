// Package query is JMESPath as the AWS CLI evaluates --query: a port of
// jmespath.py 1.0.1 (lexer, Pratt parser, tree interpreter and the 26
// built-in functions) over the ordered values of package value, so that
// results keep model order for members and expression order for
// multi-select hashes, and numbers keep Python's int/float distinction.
//
// Semantics and error texts are jmespath.py's, run by the Python the AWS CLI
// v2 installers bundle (3.14: compensated float sum(), the 4300-digit limit
// of int()). The standard grammar only: the community extensions (let,
// $variables, arithmetic) are rejected the way jmespath.py rejects them
// (Unknown token $, Unknown token +, …). As in jmespath.py, unknown
// functions and wrong argument counts are found by Search, not Compile.
//
// Compile returns an *Error for what jmespath.compile raises (the AWS CLI
// prints "Bad value for --query <expr>: <Error()>", exit 252); Search
// returns an *Error for what ParsedResult.search raises (the AWS CLI prints
// Error() alone, exit 255). Error.Class names the Python exception.
//
// Known divergences from jmespath.py (none reachable from AWS responses
// with ordinary queries):
//
//   - Integers beyond int64 (Python's are unbounded) become float64, the
//     convention of package value: sum(`[9223372036854775807, 1]`) is
//     9.223372036854776e+18, not 9223372036854775808; the same for abs(),
//     ceil()/floor() of huge floats, to_number() and JSON literals, and in
//     error messages that print such a number.
//   - A lone UTF-16 surrogate (`"\ud800"`) is U+FFFD, and so is invalid
//     UTF-8 in the expression (Python sees surrogate escapes, \udcXX).
//   - str() of an expression reference prints a fixed address:
//     <jmespath.visitor._Expression object at 0x7f0000000000>.
//   - NaN: the NaN of JSON literals is one object, as in Python (equal to
//     itself inside lists, objects and contains()); any other NaN is never
//     equal to itself, even where Python would see the same object twice.
//     Sorting lists that hold NaN may order them differently.
//   - Recursion: more than 2000 nested expressions or 900 nested JSON
//     literal levels give a "RecursionError"; Python's limit depends on its
//     stack (a few hundred nested parentheses fail there, not here).
//   - merge() of a later non-object argument follows dict.update (lists of
//     pairs work, other values raise Python's errors), but a non-string key
//     is stored as json.dumps spells it.
//   - Unicode tables (printable characters in repr(), whitespace and decimal
//     digits in to_number()) are Go's, not Python 3.14's.
//   - A result holding an expression reference (`&a`) is an error with the
//     AWS CLI JSON encoder's message; with --output text/table the AWS CLI
//     would print it, and with json it may already have printed part of
//     the document.
//   - AWS CLI builds on Python 3.11 or older (apt's 2.9.19) add floats in
//     sum()/avg() without compensation: sum(`[0.1, 0.2, 0.3]`) is
//     0.6000000000000001 there, 0.6 here and in the official installers.
//
// It imports only the standard library and package value.
package query
