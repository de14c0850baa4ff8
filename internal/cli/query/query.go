package query

import (
	"github.com/cognate/cognate/internal/cli/value"
)

// Query is a compiled JMESPath expression. It is immutable and safe for
// concurrent use.
type Query struct {
	expr string
	root *node
}

// Compile parses expr as jmespath.compile does. Its error is an *Error
// whose Error() is the AWS CLI's text after "Bad value for --query <expr>: ",
// e.g. for `Log[[`:
//
//	Expecting: star, got: lbracket: Parse error at column 4, token "[" (LBRACKET), for expression:
//	"Log[["
//	     ^
//
// Class is ClassParse, ClassIncomplete, ClassLexer, ClassEmpty,
// ClassValueError (a number of more than 4300 digits) or "RecursionError"
// (nesting deeper than this package's stand-in for Python's recursion
// limit). Unknown functions and wrong argument counts are not compile
// errors: jmespath.py reports them when the function is called.
func Compile(expr string) (*Query, error) {
	n, err := parse(expr)
	if err != nil {
		return nil, err
	}
	return &Query{expr: expr, root: n}, nil
}

// String returns the expression.
func (q *Query) String() string { return q.expr }

// Search evaluates the query on v, a value of package value (nil, bool,
// string, int64, float64, []any, *value.Object), and returns such a value.
// Results share structure with v and with the query's literals; callers
// must not modify them. The error is an *Error whose Error() is what the
// AWS CLI prints (exit 255): ClassArity, ClassVariadicArity, ClassType,
// ClassUnknownFunction, ClassValueError, ClassTypeError or
// ClassOverflowError. A result that holds an expression reference (&expr)
// is a ClassTypeError with the AWS CLI JSON encoder's message.
func (q *Query) Search(v any) (any, error) {
	in := &interp{}
	r, err := in.eval(q.root, v)
	if err != nil {
		return nil, err
	}
	if in.exprefs && holdsExpref(r) {
		return nil, &Error{Class: ClassTypeError, msg: "Encountered unrecognized type in JSON encoder."}
	}
	return r, nil
}

func holdsExpref(v any) bool {
	switch t := v.(type) {
	case *expref:
		return true
	case []any:
		for _, e := range t {
			if holdsExpref(e) {
				return true
			}
		}
	case *value.Object:
		for _, k := range t.Keys() {
			e, _ := t.Get(k)
			if holdsExpref(e) {
				return true
			}
		}
	}
	return false
}
