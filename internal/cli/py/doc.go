// Package py holds Python's spellings that the AWS CLI's output and
// messages use: str() and repr() of strings, bytes, lists and dicts
// (value.PyStr and value.PyFloat are the scalars' and floats'), type names,
// int() and float() of a str, and json.dumps and json.loads as the C
// encoder and scanner of CPython write and read JSON.
//
// Every function here is the one implementation the CLI's packages share;
// where the AWS CLI calls a Python function with other arguments (json.dumps
// with an indent, ensure_ascii=False or compact separators), the arguments
// are options, not copies.
package py
