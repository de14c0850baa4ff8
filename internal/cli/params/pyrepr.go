package params

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
	case nil:
		return "<class 'NoneType'>"
	case bool:
		return "<class 'bool'>"
	case int64:
		return "<class 'int'>"
	case float64:
		return "<class 'float'>"
	case string:
		return "<class 'str'>"
	case []byte:
		return "<class 'bytes'>"
	case []any:
		return "<class 'list'>"
	case *value.Object:
		if p.ordered[t] {
			return "<class 'collections.OrderedDict'>"
		}
		return "<class 'dict'>"
	case yamlTime:
		if t.dateOnly {
			return "<class 'datetime.date'>"
		}
		return "<class 'datetime.datetime'>"
	}
	return fmt.Sprintf("<class '%T'>", v)
}

// str is Python's str(v).
func (p *py) str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case yamlTime:
		return t.str()
	}
	return p.repr(v)
}

// repr is Python's repr(v).
func (p *py) repr(v any) string {
	var b strings.Builder
	p.writeRepr(&b, v)
	return b.String()
}

func (p *py) writeRepr(b *strings.Builder, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if t {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case float64:
		b.WriteString(value.PyFloat(t))
	case string:
		b.WriteString(pyStrRepr(t))
	case []byte:
		b.WriteString(pyBytesRepr(t))
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			p.writeRepr(b, e)
		}
		b.WriteByte(']')
	case *value.Object:
		od := p.ordered[t]
		switch {
		case od && t.Len() == 0:
			b.WriteString("OrderedDict()")
			return
		case od && legacyOrderedDictRepr:
			b.WriteString("OrderedDict([")
			for i, k := range t.Keys() {
				if i > 0 {
					b.WriteString(", ")
				}
				e, _ := t.Get(k)
				b.WriteByte('(')
				b.WriteString(pyStrRepr(k))
				b.WriteString(", ")
				p.writeRepr(b, e)
				b.WriteByte(')')
			}
			b.WriteString("])")
			return
		case od:
			b.WriteString("OrderedDict(")
		}
		b.WriteByte('{')
		for i, k := range t.Keys() {
			if i > 0 {
				b.WriteString(", ")
			}
			e, _ := t.Get(k)
			b.WriteString(pyStrRepr(k))
			b.WriteString(": ")
			p.writeRepr(b, e)
		}
		b.WriteByte('}')
		if od {
			b.WriteByte(')')
		}
	case yamlTime:
		b.WriteString(t.repr())
	default:
		fmt.Fprint(b, v)
	}
}

// pyStrRepr is repr() of a Python str. Bytes that are not UTF-8 stand for
// the lone surrogates Python's surrogateescape makes of them (argv).
func pyStrRepr(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, "\\udc%02x", s[i])
			i++
			continue
		}
		i += size
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
			fmt.Fprintf(&b, "\\x%02x", r)
		case r < 0x7f:
			b.WriteRune(r)
		case unicode.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, "\\x%02x", r)
		case r <= 0xffff:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			fmt.Fprintf(&b, "\\U%08x", r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// pyBytesRepr is repr() of Python bytes.
func pyBytesRepr(data []byte) string {
	quote := byte('\'')
	s := string(data)
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte('b')
	b.WriteByte(quote)
	for _, c := range data {
		switch {
		case c == quote || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < ' ' || c >= 0x7f:
			fmt.Fprintf(&b, "\\x%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// pyRuneLen is len() of a Python str: code points, each byte that is not
// UTF-8 counting as one (a surrogateescape'd byte).
func pyRuneLen(s string) int { return utf8.RuneCountInString(s) }

// pyIsSpace is str.isspace() for one character (Py_UNICODE_ISSPACE).
func pyIsSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ', 0x85, 0xa0, 0x1680,
		0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

func pyStrip(s string) string  { return strings.TrimFunc(s, pyIsSpace) }
func pyLStrip(s string) string { return strings.TrimLeftFunc(s, pyIsSpace) }

// pyDigit is the value of a Unicode decimal digit (category Nd), which
// Python's int() and float() accept; Nd characters come in runs of ten
// from 0 to 9.
func pyDigit(r rune) (int, bool) {
	if r >= '0' && r <= '9' {
		return int(r - '0'), true
	}
	if r < 0x80 || !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	start := r
	for unicode.Is(unicode.Nd, start-1) {
		start--
	}
	return int(r-start) % 10, true
}

// pyValueError is a Python exception the AWS CLI does not catch: its
// message is printed alone and the exit code is 255.
type pyValueError struct{ msg string }

func (e *pyValueError) Error() string { return e.msg }

// pyIntMaxStrDigits is sys.get_int_max_str_digits()'s default.
const pyIntMaxStrDigits = 4300

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
	body := pyStrip(s)
	if _, isBytes := v.([]byte); isBytes {
		body = strings.Trim(s, " \t\n\r\v\f")
	}
	neg := false
	if body != "" && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	if body == "" {
		return nil, bad()
	}
	var digits []byte
	prevUnderscore := true // no leading underscore
	for _, r := range body {
		if r == '_' {
			if prevUnderscore {
				return nil, bad()
			}
			prevUnderscore = true
			continue
		}
		d, ok := pyDigit(r)
		if !ok {
			return nil, bad()
		}
		if _, isBytes := v.([]byte); isBytes && r >= 0x80 {
			return nil, bad()
		}
		digits = append(digits, byte('0'+d))
		prevUnderscore = false
	}
	if prevUnderscore {
		return nil, bad()
	}
	if len(digits) > pyIntMaxStrDigits {
		return nil, &pyValueError{fmt.Sprintf("Exceeds the limit (%d digits) for integer string conversion: value has %d digits; use sys.set_int_max_str_digits() to increase the limit", pyIntMaxStrDigits, len(digits))}
	}
	lit := string(digits)
	if neg {
		lit = "-" + lit
	}
	if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
		return n, nil
	}
	f, _ := new(big.Float).SetString(lit)
	x, _ := f.Float64()
	return x, nil
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
	bad := &pyValueError{"could not convert string to float: " + newPy().repr(v)}
	body := pyStrip(s)
	var lit strings.Builder
	prev := rune(0)
	for _, r := range body {
		if d, ok := pyDigit(r); ok {
			lit.WriteByte(byte('0' + d))
		} else if r == '_' {
			if _, ok := pyDigit(prev); !ok {
				return nil, bad
			}
		} else {
			if prev == '_' {
				return nil, bad
			}
			lit.WriteRune(r)
		}
		prev = r
	}
	if prev == '_' {
		return nil, bad
	}
	t := lit.String()
	low := strings.ToLower(strings.TrimLeft(t, "+-"))
	switch low {
	case "inf", "infinity", "nan":
		f, _ := strconv.ParseFloat(t, 64)
		return f, nil
	}
	if t == "" || strings.ContainsAny(low, "xp") || strings.HasPrefix(low, "in") || strings.HasPrefix(low, "na") {
		return nil, bad
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, nil
		}
		return nil, bad
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
