package query

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"

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
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case string:
		return "str"
	case int64:
		return "int"
	case float64:
		return "float"
	case []any:
		return "list"
	case *value.Object:
		return "dict"
	case *expref:
		return "_Expression"
	}
	return fmt.Sprintf("%T", v)
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

// pyStr is Python's str(v).
func pyStr(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case numLit:
		return t.text
	}
	return pyRepr(v)
}

// pyRepr is Python's repr(v).
func pyRepr(v any) string {
	var b strings.Builder
	writeRepr(&b, v)
	return b.String()
}

func writeRepr(b *strings.Builder, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if t {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case string:
		b.WriteString(pyReprString(t))
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case float64:
		b.WriteString(value.PyFloat(t))
	case numLit:
		b.WriteString(t.text)
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e)
		}
		b.WriteByte(']')
	case *value.Object:
		b.WriteByte('{')
		for i, k := range t.Keys() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(pyReprString(k))
			b.WriteString(": ")
			e, _ := t.Get(k)
			writeRepr(b, e)
		}
		b.WriteByte('}')
	case *expref:
		b.WriteString(exprefStr)
	default:
		fmt.Fprint(b, v)
	}
}

// pyReprString is Python 3's repr() of a str.
func pyReprString(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < ' ' || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x7f:
			b.WriteRune(r)
		case unicode.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

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

// jsonNaN is the NaN json.loads gives: one object (json.decoder's NaN
// constant), so Python finds it equal to itself inside lists, dicts and
// "in" (which compare identity first). Other NaNs (float('nan'),
// inf - inf) are new objects each time and carry other bits here.
var jsonNaN = math.Float64frombits(jsonNaNBits)

const jsonNaNBits = 0x7ff8000000000001

// pyEqualElem is PyObject_RichCompareBool(a, b, Py_EQ): == after an
// identity check, which only matters for the json NaN.
func pyEqualElem(a, b any) bool {
	if fa, ok := a.(float64); ok && math.Float64bits(fa) == jsonNaNBits {
		fb, ok := b.(float64)
		return ok && math.Float64bits(fb) == jsonNaNBits
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

// pyIsSpace is Py_UNICODE_ISSPACE.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// pyDecimal is Py_UNICODE_TODECIMAL: the value of a Unicode decimal digit
// (category Nd), or -1.
func pyDecimal(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r < 0x80 || !unicode.Is(unicode.Nd, r) {
		return -1
	}
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	return -1
}

// pyNumberText is _PyUnicode_TransformDecimalAndSpaceToASCII (non-ASCII
// whitespace becomes a space, Unicode decimal digits ASCII digits) followed
// by the strip of C whitespace int() and float() do; ok is false if s holds
// a character that cannot be part of a number.
func pyNumberText(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 127:
			b.WriteRune(r)
		case pyIsSpace(r):
			b.WriteByte(' ')
		case pyDecimal(r) >= 0:
			b.WriteByte(byte('0' + pyDecimal(r)))
		default:
			return "", false
		}
	}
	return strings.Trim(b.String(), " \t\n\v\f\r"), true
}

// pyIntString is Python's int(s) for a str; bi is set instead of i when
// the value does not fit an int64.
func pyIntString(s string) (i int64, bi *big.Int, ok bool) {
	t, ok := pyNumberText(s)
	if !ok || t == "" {
		return 0, nil, false
	}
	sign := ""
	if t[0] == '+' || t[0] == '-' {
		sign, t = t[:1], t[1:]
	}
	digits, ok := stripUnderscores(t, false)
	if !ok || digits == "" {
		return 0, nil, false
	}
	if len(digits) > intDigitsLimit {
		return 0, nil, false
	}
	if sign == "-" {
		digits = "-" + digits
	}
	if v, err := strconv.ParseInt(digits, 10, 64); err == nil {
		return v, nil, true
	}
	bi, _ = new(big.Int).SetString(digits, 10)
	return 0, bi, true
}

// stripUnderscores removes underscores that sit between two digits and
// reports whether the text is all digits (or, with floatChars, a decimal
// float body) with only such underscores.
func stripUnderscores(t string, floatChars bool) (string, bool) {
	var b strings.Builder
	prev := byte(0)
	for i := 0; i < len(t); i++ {
		c := t[i]
		isDigit := c >= '0' && c <= '9'
		if c == '_' {
			if !(prev >= '0' && prev <= '9') || i+1 >= len(t) || !(t[i+1] >= '0' && t[i+1] <= '9') {
				return "", false
			}
			prev = c
			continue
		}
		if !isDigit && !floatChars {
			return "", false
		}
		b.WriteByte(c)
		prev = c
	}
	return b.String(), true
}

// pyFloatString is Python's float(s) for a str.
func pyFloatString(s string) (float64, bool) {
	t, ok := pyNumberText(s)
	if !ok || t == "" {
		return 0, false
	}
	body := t
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if t[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan": // float('nan'): not the json NaN
		if t[0] == '-' {
			return math.Float64frombits(0xfff8000000000000), true
		}
		return math.Float64frombits(0x7ff8000000000000), true
	}
	clean, ok := stripUnderscores(t, true)
	if !ok || !isDecimalFloat(clean) {
		return 0, false
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	return f, true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// isDecimalFloat matches [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
func isDecimalFloat(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	mant := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		mant++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			mant++
		}
	}
	if mant == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
