package query

import (
	"math"
	"strings"

	"github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
)

// This file holds the Python behaviour the interpreter leans on: type
// names, str()/repr(), ==, ordering, truthiness.

// expref is jmespath.py's _Expression: the value of &expr.
type expref struct{ n *node }

// exprefStr is str() of an _Expression. Python prints the object's address,
// which cannot be reproduced; this is a fixed stand-in of the same shape.
const exprefStr = "<jmespath.visitor._Expression object at 0x7f0000000000>"

// numLit is a number token: Python int(buff), kept as its decimal text
// (for messages) and its value saturated to int64 (indices and slices
// behave the same for every value beyond the length of any list).
type numLit struct {
	text string
	val  int64
}

// pyTypeName is type(v).__name__.
func pyTypeName(v any) string {
	if _, ok := v.(*expref); ok {
		return "_Expression"
	}
	return py.TypeName(v)
}

// jpTypeName is jmespath.py's TYPES_MAP applied to a Python type name.
func jpTypeName(pyName string) string {
	switch pyName {
	case "bool":
		return "boolean"
	case "list":
		return "array"
	case "dict":
		return "object"
	case "NoneType":
		return "null"
	case "str":
		return "string"
	case "float", "int":
		return "number"
	case "_Expression":
		return "expref"
	}
	return "unknown"
}

// printer is repr() and str() with the interpreter's own values: a number
// token prints as its text, an expref as its _Expression object.
var printer = py.Printer{Custom: func(b *strings.Builder, v any) bool {
	switch t := v.(type) {
	case numLit:
		b.WriteString(t.text)
	case *expref:
		b.WriteString(exprefStr)
	default:
		return false
	}
	return true
}}

// pyStr is Python's str(v).
func pyStr(v any) string { return printer.Str(v) }

// isActualNumber is jmespath.py's _is_actual_number: int or float, not bool.
func isActualNumber(v any) bool {
	switch v.(type) {
	case int64, float64:
		return true
	}
	return false
}

// numCmp compares two Python numbers (int64, float64, or bool as 0/1)
// exactly. ok is false when either is NaN (every ordering is then false).
func numCmp(a, b any) (c int, ok bool) {
	switch x := a.(type) {
	case bool:
		return numCmp(boolInt(x), b)
	case int64:
		switch y := b.(type) {
		case bool:
			return cmpInt(x, boolInt(y)), true
		case int64:
			return cmpInt(x, y), true
		case float64:
			c, ok := cmpIntFloat(x, y)
			return c, ok
		}
	case float64:
		switch y := b.(type) {
		case bool:
			c, ok := cmpIntFloat(boolInt(y), x)
			return -c, ok
		case int64:
			c, ok := cmpIntFloat(y, x)
			return -c, ok
		case float64:
			if math.IsNaN(x) || math.IsNaN(y) {
				return 0, false
			}
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
	}
	return 0, false
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpIntFloat compares an int with a float exactly, as Python does.
func cmpIntFloat(i int64, f float64) (int, bool) {
	switch {
	case math.IsNaN(f):
		return 0, false
	case f >= 0x1p63:
		return -1, true
	case f < -0x1p63:
		return 1, true
	}
	t := math.Trunc(f)
	fi := int64(t)
	if c := cmpInt(i, fi); c != 0 {
		return c, true
	}
	switch frac := f - t; {
	case frac > 0:
		return -1, true
	case frac < 0:
		return 1, true
	}
	return 0, true
}

func isNumberish(v any) bool {
	switch v.(type) {
	case bool, int64, float64:
		return true
	}
	return false
}

// pyEqual is Python's a == b on JSON-shaped values (True == 1 included).
func pyEqual(a, b any) bool {
	if isNumberish(a) && isNumberish(b) {
		c, ok := numCmp(a, b)
		return ok && c == 0
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !pyEqualElem(x[i], y[i]) {
				return false
			}
		}
		return true
	case *value.Object:
		y, ok := b.(*value.Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		if x == y {
			return true
		}
		for _, k := range x.Keys() {
			ev, _ := x.Get(k)
			fv, ok := y.Get(k)
			if !ok || !pyEqualElem(ev, fv) {
				return false
			}
		}
		return true
	case *expref:
		y, ok := b.(*expref)
		return ok && x == y
	}
	return false
}

// pyEqualElem is PyObject_RichCompareBool(a, b, Py_EQ): == after an
// identity check, which only matters for the NaN json.loads gives (one
// object, json.decoder's NaN constant, so equal to itself inside lists,
// dicts and "in"; other NaNs, float('nan') or inf - inf, are new objects
// each time and carry other bits here).
func pyEqualElem(a, b any) bool {
	if fa, ok := a.(float64); ok && math.Float64bits(fa) == py.JSONNaNBits {
		fb, ok := b.(float64)
		return ok && math.Float64bits(fb) == py.JSONNaNBits
	}
	return pyEqual(a, b)
}

// jpEqual is jmespath.py's _equals: Python == except that 0 and 1 never
// equal a boolean at the top level.
func jpEqual(x, y any) bool {
	if isActualNumber(x) && isZeroOrOne(x) {
		if _, ok := y.(bool); ok {
			return false
		}
	} else if isActualNumber(y) && isZeroOrOne(y) {
		if _, ok := x.(bool); ok {
			return false
		}
	}
	return pyEqual(x, y)
}

func isZeroOrOne(v any) bool {
	switch t := v.(type) {
	case int64:
		return t == 0 || t == 1
	case float64:
		return t == 0 || t == 1
	}
	return false
}

// isFalse is the interpreter's _is_false: "", [], {}, None, False.
func isFalse(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case bool:
		return !t
	case string:
		return t == ""
	case []any:
		return len(t) == 0
	case *value.Object:
		return t.Len() == 0
	}
	return false
}

// pyOrder evaluates a < b (op "<", "<=", ">", ">=") as Python does for
// numbers and strings; other mixes raise TypeError.
func pyOrder(op string, a, b any) (bool, error) {
	var c int
	if sa, ok := a.(string); ok {
		sb, ok := b.(string)
		if !ok {
			return false, pyCompareError(op, a, b)
		}
		c = strings.Compare(sa, sb)
	} else {
		if !isNumberish(a) || !isNumberish(b) {
			return false, pyCompareError(op, a, b)
		}
		var ok bool
		if c, ok = numCmp(a, b); !ok {
			return false, nil
		}
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}
