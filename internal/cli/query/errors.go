package query

import (
	"fmt"
	"strings"

	"github.com/cognate/cognate/internal/cli/py"
)

// The Python exception classes an Error can carry.
const (
	// Compile errors.
	ClassParse      = "ParseError"                // syntax errors of the parser
	ClassIncomplete = "IncompleteExpressionError" // the expression ended too early
	ClassLexer      = "LexerError"                // bad characters, unclosed quotes, bad literals
	ClassEmpty      = "EmptyExpressionError"      // the expression is ""
	// Search errors.
	ClassArity           = "ArityError"           // wrong number of function arguments
	ClassVariadicArity   = "VariadictArityError"  // too few arguments (jmespath.py's spelling)
	ClassType            = "JMESPathTypeError"    // a function argument of the wrong type
	ClassUnknownFunction = "UnknownFunctionError" // no such function
	// Plain Python exceptions that escape jmespath.py: ValueError (a slice
	// step of 0, merge() of a string, the 4300-digit int limit, which also
	// happens at compile time), TypeError ('<' between a number and a
	// string, contains() of a non-string in a string, merge() of a
	// non-object, a result holding an expression reference), OverflowError
	// (ceil/floor of an infinity).
	ClassValueError    = "ValueError"
	ClassTypeError     = "TypeError"
	ClassOverflowError = "OverflowError"
)

// Error is an error of Compile or Search. Error() is str() of the exception
// jmespath.py raises, which is what the AWS CLI prints.
type Error struct {
	// Class is the Python exception class (one of the Class constants).
	Class string
	msg   string
}

func (e *Error) Error() string { return e.msg }

// caretLine is the line under the expression pointing at column col.
func caretLine(col int) string { return strings.Repeat(" ", col) + "^" }

// parseError is jmespath.py's ParseError.__str__.
func parseError(expr string, pos int, tokValue any, tokType, msg string) *Error {
	return &Error{Class: ClassParse, msg: fmt.Sprintf(
		"%s: Parse error at column %d, token \"%s\" (%s), for expression:\n\"%s\"\n%s",
		msg, pos, pyStr(tokValue), strings.ToUpper(tokType), expr, caretLine(pos+1))}
}

// incompleteError is IncompleteExpressionError.__str__: the caret sits
// after the expression.
func incompleteError(expr string, length int) *Error {
	return &Error{Class: ClassIncomplete, msg: fmt.Sprintf(
		"Invalid jmespath expression: Incomplete expression:\n\"%s\"\n%s", expr, caretLine(length+1))}
}

// lexerError is LexerError.__str__ (no quotes around the expression).
func lexerError(expr string, pos int, msg string) *Error {
	return &Error{Class: ClassLexer, msg: fmt.Sprintf(
		"Bad jmespath expression: %s:\n%s\n%s", msg, expr, caretLine(pos))}
}

func typeError(fn string, current any, actualType string, expected []string) *Error {
	return &Error{Class: ClassType, msg: fmt.Sprintf(
		"In function %s(), invalid type for value: %s, expected one of: %s, received: \"%s\"",
		fn, pyStr(current), py.ListRepr(expected), actualType)}
}

func arityError(fn string, expected, actual int, variadic bool) *Error {
	word := "argument"
	if expected != 1 {
		word += "s"
	}
	if variadic {
		return &Error{Class: ClassVariadicArity, msg: fmt.Sprintf(
			"Expected at least %d %s for function %s(), received %d", expected, word, fn, actual)}
	}
	return &Error{Class: ClassArity, msg: fmt.Sprintf(
		"Expected %d %s for function %s(), received %d", expected, word, fn, actual)}
}

// pyCompareError is the TypeError of an ordering between unorderable types.
func pyCompareError(op string, a, b any) *Error {
	return &Error{Class: ClassTypeError, msg: fmt.Sprintf(
		"'%s' not supported between instances of '%s' and '%s'", op, pyTypeName(a), pyTypeName(b))}
}

// intDigitsError is the ValueError of int() of a literal with more digits
// than Python's default sys.get_int_max_str_digits().
func intDigitsError(digits int) *Error {
	return &Error{Class: ClassValueError, msg: (&py.IntError{Digits: digits}).Error()}
}
