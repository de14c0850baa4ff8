package params

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"unicode/utf8"

	python "github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
)

// py is the Python reading of the values of one Build: which objects are
// collections.OrderedDict (argprocess parses JSON with
// object_pairs_hook=OrderedDict) rather than dict. The AWS CLI's messages
// print values with str() and type(), so the difference shows.
type py struct {
	ordered map[*value.Object]bool
}

func newPy() *py { return &py{ordered: map[*value.Object]bool{}} }

// legacyOrderedDictRepr selects the OrderedDict repr of Python 3.11 and
// older, OrderedDict([('a', 1)]), instead of 3.12+'s OrderedDict({'a': 1}).
// AWS CLI v2 2.34+ bundles Python 3.14; the differential tests run against
// the machine's Python and set this to match it.
var legacyOrderedDictRepr = false

// typeName is str(type(v)).
func (p *py) typeName(v any) string {
	switch t := v.(type) {
	case *value.Object:
		if p.ordered[t] {
			return "<class 'collections.OrderedDict'>"
		}
	case yamlTime:
		if t.dateOnly {
			return "<class 'datetime.date'>"
		}
		return "<class 'datetime.datetime'>"
	}
	return "<class '" + python.TypeName(v) + "'>"
}

// str is Python's str(v).
func (p *py) str(v any) string {
	if t, ok := v.(yamlTime); ok {
		return t.str()
	}
	return p.printer().Str(v)
}

// repr is Python's repr(v).
func (p *py) repr(v any) string { return p.printer().Repr(v) }

// printer is repr() with this Build's OrderedDicts and YAML's datetimes.
func (p *py) printer() python.Printer { return python.Printer{Custom: p.writeRepr} }

// writeRepr writes the repr of the values whose spelling is this
// package's: an OrderedDict, a datetime.
func (p *py) writeRepr(b *strings.Builder, v any) bool {
	switch t := v.(type) {
	case yamlTime:
		b.WriteString(t.repr())
		return true
	case *value.Object:
		if !p.ordered[t] {
			return false
		}
		pr := p.printer()
		switch {
		case t.Len() == 0:
			b.WriteString("OrderedDict()")
		case legacyOrderedDictRepr:
			b.WriteString("OrderedDict([")
			for i, k := range t.Keys() {
				if i > 0 {
					b.WriteString(", ")
				}
				e, _ := t.Get(k)
				b.WriteByte('(')
				b.WriteString(python.StrRepr(k))
				b.WriteString(", ")
				pr.WriteRepr(b, e)
				b.WriteByte(')')
			}
			b.WriteString("])")
		default:
			b.WriteString("OrderedDict(")
			pr.WriteDict(b, t)
			b.WriteByte(')')
		}
		return true
	}
	return false
}

// pyRuneLen is len() of a Python str: code points, each byte that is not
// UTF-8 counting as one (a surrogateescape'd byte).
func pyRuneLen(s string) int { return utf8.RuneCountInString(s) }

func pyStrip(s string) string  { return strings.TrimFunc(s, python.IsSpace) }
func pyLStrip(s string) string { return strings.TrimLeftFunc(s, python.IsSpace) }

// pyValueError is a Python exception the AWS CLI does not catch: its
// message is printed alone and the exit code is 255.
type pyValueError struct{ msg string }

func (e *pyValueError) Error() string { return e.msg }

// pyInt is Python's int(v) for the values the CLI hands it: str (and bytes)
// in base 10 with surrounding whitespace, a sign and single underscores
// between digits. Integers that do not fit an int64 become a float64 (a
// known divergence: Python keeps them exact).
func pyInt(v any) (any, error) {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case []byte:
		s = string(t)
	case int64:
		return t, nil
	case bool:
		if t {
			return int64(1), nil
		}
		return int64(0), nil
	case float64:
		if math.IsInf(t, 0) {
			return nil, &pyValueError{"cannot convert float infinity to integer"}
		}
		if math.IsNaN(t) {
			return nil, &pyValueError{"cannot convert float NaN to integer"}
		}
		return int64(t), nil
	default:
		return nil, &pyValueError{fmt.Sprintf("int() argument must be a string, a bytes-like object or a real number, not '%s'", pyTypeShort(v))}
	}
	bad := func() error {
		r := newPy().repr(v)
		if utf8.RuneCountInString(r) > 200 {
			r = string([]rune(r)[:200])
		}
		return &pyValueError{"invalid literal for int() with base 10: " + r}
	}
	if _, isBytes := v.([]byte); isBytes && !isASCII(s) {
		return nil, bad() // int() of bytes knows ASCII digits and spaces only
	}
	n, b, err := python.ParseInt(s)
	if err != nil {
		if ie, ok := err.(*python.IntError); ok && ie.Digits > 0 {
			return nil, &pyValueError{ie.Error()}
		}
		return nil, bad()
	}
	if b != nil {
		f, _ := new(big.Float).SetString(b.String())
		x, _ := f.Float64()
		return x, nil
	}
	return n, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// pyFloat is Python's float(v) for str and bytes.
func pyFloat(v any) (any, error) {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case []byte:
		s = string(t)
	case int64:
		return float64(t), nil
	case float64:
		return t, nil
	case bool:
		if t {
			return 1.0, nil
		}
		return 0.0, nil
	default:
		return nil, &pyValueError{fmt.Sprintf("float() argument must be a string or a real number, not '%s'", pyTypeShort(v))}
	}
	f, ok := python.ParseFloat(s)
	if !ok {
		return nil, &pyValueError{"could not convert string to float: " + newPy().repr(v)}
	}
	return f, nil
}

// pyTypeShort is type(v).__name__.
func pyTypeShort(v any) string {
	s := newPy().typeName(v)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<class '"), "'>")
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		s = s[i+1:]
	}
	return s
}
