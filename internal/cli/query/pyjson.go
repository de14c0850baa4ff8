package query

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/cognate/cognate/internal/cli/value"
)

// jsonError is a JSONDecodeError (or the ValueError of the int digit
// limit); msg is the part of its text before the first colon, which is all
// jmespath.py's lexer keeps.
type jsonError struct{ msg string }

func (e *jsonError) Error() string { return e.msg }

// pyJSONLoads is Python's json.loads(s) (the C scanner, strict=True): int
// literals become int64 (float64 beyond), NaN/Infinity/-Infinity are
// accepted, objects keep their first key position and last value.
func pyJSONLoads(s []rune) (any, error) {
	if len(s) > 0 && s[0] == '\ufeff' {
		return nil, &jsonError{"Unexpected UTF-8 BOM (decode using utf-8-sig)"}
	}
	d := &jsonDecoder{s: s}
	i := d.skipWS(0)
	v, end, err := d.scan(i)
	if err != nil {
		return nil, err
	}
	if d.skipWS(end) != len(s) {
		return nil, &jsonError{"Extra data"}
	}
	return v, nil
}

type jsonDecoder struct {
	s     []rune
	depth int
}

func (d *jsonDecoder) skipWS(i int) int {
	for i < len(d.s) {
		switch d.s[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		break
	}
	return i
}

func (d *jsonDecoder) has(i int, lit string) bool {
	r := []rune(lit)
	if i+len(r) > len(d.s) {
		return false
	}
	for k, c := range r {
		if d.s[i+k] != c {
			return false
		}
	}
	return true
}

var errExpectingValue = &jsonError{"Expecting value"}

// scan is scan_once: one value starting at i.
func (d *jsonDecoder) scan(i int) (any, int, error) {
	if i >= len(d.s) {
		return nil, i, errExpectingValue
	}
	switch c := d.s[i]; {
	case c == '"':
		return d.scanString(i + 1)
	case c == '{':
		return d.scanObject(i + 1)
	case c == '[':
		return d.scanArray(i + 1)
	case c == 'n' && d.has(i, "null"):
		return nil, i + 4, nil
	case c == 't' && d.has(i, "true"):
		return true, i + 4, nil
	case c == 'f' && d.has(i, "false"):
		return false, i + 5, nil
	case c == 'N' && d.has(i, "NaN"):
		return jsonNaN, i + 3, nil
	case c == 'I' && d.has(i, "Infinity"):
		return math.Inf(1), i + 8, nil
	case c == '-' && d.has(i, "-Infinity"):
		return math.Inf(-1), i + 9, nil
	}
	return d.scanNumber(i)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func (d *jsonDecoder) scanNumber(start int) (any, int, error) {
	s, i := d.s, start
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	case i < len(s) && s[i] == '0':
		i++
	default:
		return nil, start, errExpectingValue
	}
	isFloat := false
	if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		isFloat = true
		i += 2
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		e := i
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		ds := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i > ds {
			isFloat = true
		} else {
			i = e
		}
	}
	text := string(s[start:i])
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil && !isRangeErr(err) {
			return nil, start, errExpectingValue
		}
		return f, i, nil
	}
	digits := len(text)
	if text[0] == '-' {
		digits--
	}
	if digits > intDigitsLimit {
		return nil, start, &jsonError{"Exceeds the limit (4300 digits) for integer string conversion"}
	}
	return value.Number(text), i, nil
}

// scanString is scanstring_unicode; end is the index after the opening quote.
func (d *jsonDecoder) scanString(end int) (any, int, error) {
	s := d.s
	var b strings.Builder
	for {
		next := end
		for next < len(s) && s[next] != '"' && s[next] != '\\' {
			if s[next] <= 0x1f {
				return nil, 0, &jsonError{"Invalid control character at"}
			}
			next++
		}
		if next >= len(s) {
			return nil, 0, &jsonError{"Unterminated string starting at"}
		}
		b.WriteString(string(s[end:next]))
		c := s[next]
		next++
		if c == '"' {
			return b.String(), next, nil
		}
		if next == len(s) {
			return nil, 0, &jsonError{"Unterminated string starting at"}
		}
		c = s[next]
		if c != 'u' {
			end = next + 1
			switch c {
			case '"', '\\', '/':
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			default:
				return nil, 0, &jsonError{"Invalid \\escape"}
			}
			b.WriteRune(c)
			continue
		}
		next++
		end = next + 4
		if end >= len(s) {
			return nil, 0, &jsonError{"Invalid \\uXXXX escape"}
		}
		c, ok := hex4(s[next:end])
		if !ok {
			return nil, 0, &jsonError{"Invalid \\uXXXX escape"}
		}
		if c >= 0xd800 && c <= 0xdbff && end+6 < len(s) && s[end] == '\\' && s[end+1] == 'u' {
			c2, ok := hex4(s[end+2 : end+6])
			if !ok {
				return nil, 0, &jsonError{"Invalid \\uXXXX escape"}
			}
			if c2 >= 0xdc00 && c2 <= 0xdfff {
				c = utf16.DecodeRune(c, c2)
				end += 6
			}
		}
		// A lone surrogate (a valid Python str) becomes U+FFFD here.
		b.WriteRune(c)
	}
}

func hex4(r []rune) (rune, bool) {
	var c rune
	for _, d := range r {
		c <<= 4
		switch {
		case d >= '0' && d <= '9':
			c |= d - '0'
		case d >= 'a' && d <= 'f':
			c |= d - 'a' + 10
		case d >= 'A' && d <= 'F':
			c |= d - 'A' + 10
		default:
			return 0, false
		}
	}
	return c, true
}

// maxJSONDepth stands in for Python's recursion limit.
const maxJSONDepth = 900

var errJSONDepth = &jsonError{"maximum recursion depth exceeded"}

func (d *jsonDecoder) scanObject(i int) (any, int, error) {
	if d.depth++; d.depth > maxJSONDepth {
		return nil, 0, errJSONDepth
	}
	defer func() { d.depth-- }()
	obj := value.NewObject()
	i = d.skipWS(i)
	if i < len(d.s) && d.s[i] == '}' {
		return obj, i + 1, nil
	}
	for {
		if i >= len(d.s) || d.s[i] != '"' {
			return nil, 0, &jsonError{"Expecting property name enclosed in double quotes"}
		}
		k, next, err := d.scanString(i + 1)
		if err != nil {
			return nil, 0, err
		}
		i = d.skipWS(next)
		if i >= len(d.s) || d.s[i] != ':' {
			return nil, 0, &jsonError{"Expecting ':' delimiter"}
		}
		i = d.skipWS(i + 1)
		v, next, err := d.scan(i)
		if err != nil {
			return nil, 0, err
		}
		obj.Set(k.(string), v)
		i = d.skipWS(next)
		if i < len(d.s) && d.s[i] == '}' {
			return obj, i + 1, nil
		}
		if i >= len(d.s) || d.s[i] != ',' {
			return nil, 0, &jsonError{"Expecting ',' delimiter"}
		}
		i = d.skipWS(i + 1)
	}
}

func (d *jsonDecoder) scanArray(i int) (any, int, error) {
	if d.depth++; d.depth > maxJSONDepth {
		return nil, 0, errJSONDepth
	}
	defer func() { d.depth-- }()
	list := []any{}
	i = d.skipWS(i)
	if i < len(d.s) && d.s[i] == ']' {
		return list, i + 1, nil
	}
	for {
		v, next, err := d.scan(i)
		if err != nil {
			return nil, 0, err
		}
		list = append(list, v)
		i = d.skipWS(next)
		if i < len(d.s) && d.s[i] == ']' {
			return list, i + 1, nil
		}
		if i >= len(d.s) || d.s[i] != ',' {
			return nil, 0, &jsonError{"Expecting ',' delimiter"}
		}
		i = d.skipWS(i + 1)
	}
}

// pyJSONDumps is json.dumps(v, separators=(',', ':'), default=str) with
// ensure_ascii=True, as to_string() calls it.
func pyJSONDumps(v any) string {
	var b strings.Builder
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *strings.Builder, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		writeJSONString(b, t)
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case float64:
		switch {
		case math.IsNaN(t):
			b.WriteString("NaN")
		case math.IsInf(t, 1):
			b.WriteString("Infinity")
		case math.IsInf(t, -1):
			b.WriteString("-Infinity")
		default:
			b.WriteString(value.PyFloat(t))
		}
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case *value.Object:
		b.WriteByte('{')
		for i, k := range t.Keys() {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k)
			b.WriteByte(':')
			e, _ := t.Get(k)
			writeJSON(b, e)
		}
		b.WriteByte('}')
	default: // default=str
		writeJSONString(b, pyStr(v))
	}
}

// writeJSONString is Python's ensure_ascii string encoder.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case r >= ' ' && r <= '~':
				b.WriteRune(r)
			case r > 0xffff:
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
			default:
				fmt.Fprintf(b, `\u%04x`, r)
			}
		}
	}
	b.WriteByte('"')
}
