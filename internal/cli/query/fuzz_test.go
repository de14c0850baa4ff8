package query

import (
	"errors"
	"strings"
	"testing"
)

var (
	compileClasses = []string{ClassParse, ClassIncomplete, ClassLexer, ClassEmpty, ClassValueError, "RecursionError"}
	searchClasses  = []string{ClassArity, ClassVariadicArity, ClassType, ClassUnknownFunction,
		ClassValueError, ClassTypeError, ClassOverflowError}
)

// FuzzCompile: Compile never panics, fails only with an *Error of a
// compile class whose text has jmespath.py's shape, and what compiles
// searches without panicking, failing only with search classes.
func FuzzCompile(f *testing.F) {
	for _, s := range fixedDiffCases {
		f.Add(s)
	}
	data := fixedDiffDatas()
	f.Fuzz(func(t *testing.T, expr string) {
		q, err := Compile(expr)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Compile(%q) error %T %v is not an *Error", expr, err, err)
			}
			if !contains(compileClasses, e.Class) {
				t.Fatalf("Compile(%q) error class %q", expr, e.Class)
			}
			switch e.Class {
			case ClassParse, ClassIncomplete:
				if !strings.Contains(e.Error(), "for expression:\n\""+expr+"\"\n") &&
					!strings.Contains(e.Error(), "Incomplete expression:\n\""+expr+"\"\n") {
					t.Fatalf("Compile(%q) message %q does not quote the expression", expr, e.Error())
				}
			case ClassLexer:
				if !strings.HasPrefix(e.Error(), "Bad jmespath expression: ") || !strings.HasSuffix(e.Error(), "^") {
					t.Fatalf("Compile(%q) lexer message %q", expr, e.Error())
				}
			}
			return
		}
		for _, d := range data[:4] {
			if _, err := q.Search(d); err != nil {
				var e *Error
				if !errors.As(err, &e) || !contains(searchClasses, e.Class) {
					t.Fatalf("Search(%q) error %T %v", expr, err, err)
				}
			}
		}
	})
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
