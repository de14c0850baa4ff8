package shorthand

import (
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/cli/value"
)

// FuzzParse checks that Parse never panics, that a nil error comes with an
// object and a non-nil error is a *SyntaxError or the LoadFile error, and
// that results hold only the shorthand value types.
func FuzzParse(f *testing.F) {
	for _, group := range [][]parseCase{verifiedCases, grammarCases} {
		for _, c := range group {
			f.Add(c.in)
		}
	}
	for _, s := range edgeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		obj, err := Parse(in, Options{LoadFile: stubLoad})
		if err == nil {
			if obj == nil {
				t.Fatalf("Parse(%q): nil object and nil error", in)
			}
			checkValue(t, in, obj, 0)
			return
		}
		if obj != nil {
			t.Fatalf("Parse(%q): object with error %v", in, err)
		}
		if err == errMissing {
			if !strings.Contains(in, "missing") {
				t.Fatalf("Parse(%q): load error without a load", in)
			}
			return
		}
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Fatalf("Parse(%q): error %T %v", in, err, err)
		}
		if se.Offset < 0 || se.Offset > len(in) || se.Input != in {
			t.Fatalf("Parse(%q): bad error position %+v", in, se)
		}
		msg := se.Error()
		switch se.Kind {
		case Unexpected:
			if !strings.HasPrefix(msg, "Expected: '"+se.Expected+"', received: '"+se.Received+"' for input:\n ") ||
				!strings.Contains(msg, "^") {
				t.Fatalf("Parse(%q): message %q", in, msg)
			}
		case DuplicateKey:
			if !strings.HasSuffix(msg, "\nThis is often because there is a preceding \",\" instead of a space.") {
				t.Fatalf("Parse(%q): message %q", in, msg)
			}
		}
		// The same input without a loader fails the same way or, when the
		// error was not about a file, identically.
		if _, err2 := Parse(in, Options{}); err2 == nil && !strings.Contains(in, "@") {
			t.Fatalf("Parse(%q): fails with a loader (%v) but not without", in, err)
		}
	})
}

func checkValue(t *testing.T, in string, v any, depth int) {
	t.Helper()
	if depth > MaxDepth+1 {
		t.Fatalf("Parse(%q): nesting deeper than MaxDepth", in)
	}
	switch x := v.(type) {
	case string, []byte:
	case []any:
		for _, e := range x {
			checkValue(t, in, e, depth+1)
		}
	case *value.Object:
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			checkValue(t, in, e, depth+1)
		}
	default:
		t.Fatalf("Parse(%q): value of type %T", in, v)
	}
}
