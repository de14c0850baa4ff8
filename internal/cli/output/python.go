package output

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/value"
)

// pyStr is Python's str(v) for any value: scalars as value.PyStr, lists and
// dicts as their repr (the text and table formatters print a non-scalar in
// a scalar column that way).
func pyStr(v any) string {
	switch v.(type) {
	case *value.Object, []any:
		var b strings.Builder
		pyRepr(&b, v)
		return b.String()
	}
	return value.PyStr(v)
}

// pyRepr writes Python's repr(v).
func pyRepr(b *strings.Builder, v any) {
	switch t := v.(type) {
	case string:
		b.WriteString(pyStringRepr(t))
	case *value.Object:
		b.WriteByte('{')
		for i, k := range t.Keys() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(pyStringRepr(k))
			b.WriteString(": ")
			e, _ := t.Get(k)
			pyRepr(b, e)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			pyRepr(b, e)
		}
		b.WriteByte(']')
	default:
		b.WriteString(value.PyStr(v))
	}
}

// pyStringRepr is Python's repr of a str: single quotes unless the text has
// a single quote and no double quote; backslash escapes for the quote, the
// backslash, \t \n \r, other control characters and non-printable code
// points (\xNN, \uNNNN, \UNNNNNNNN, lower-case hex).
func pyStringRepr(s string) string {
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
			// Python's str.isprintable: letters, marks, numbers,
			// punctuation, symbols, and the ASCII space - Go's IsPrint.
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

// pyUpper is Python's str.upper(), with the full case mapping (ß -> SS).
func pyUpper(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range s {
		if u, ok := upperSpecial[r]; ok {
			b.WriteString(u)
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// textLength is awscli.table.get_text_length: the number of code points,
// counting those of East Asian Width W (wide), F (full-width) and A
// (ambiguous) twice.
func textLength(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			n = 0
			for _, r := range s {
				n++
				if isWide(r) {
					n++
				}
			}
			return n
		}
	}
	return len(s)
}

func isWide(r rune) bool {
	if r < 0xA1 {
		return false
	}
	i := sort.Search(len(wideRanges), func(i int) bool { return wideRanges[i][1] >= r })
	return i < len(wideRanges) && wideRanges[i][0] <= r
}

// pyTypeName is type(v).__name__ for the messages of the errors Python
// raises where the AWS CLI's formatters meet data they do not expect.
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
	}
	return fmt.Sprintf("%T", v)
}

// jsonFloat is how Python's json module spells a float.
func jsonFloat(f float64) string {
	switch s := value.PyFloat(f); s {
	case "inf":
		return "Infinity"
	case "-inf":
		return "-Infinity"
	case "nan":
		return "NaN"
	default:
		return s
	}
}

// appendJSONString appends s as Python's json.dumps(s, ensure_ascii=False)
// writes it: only the quote, the backslash and C0 control characters are
// escaped (\b \f \n \r \t short, others \u00xx), everything else is raw.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexLower[c>>4], hexLower[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const hexLower = "0123456789abcdef"

// appendJSONScalar appends a scalar as json.dumps writes it.
func appendJSONScalar(dst []byte, v any) ([]byte, error) {
	switch t := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		if t {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case string:
		return appendJSONString(dst, t), nil
	case int64:
		return strconv.AppendInt(dst, t, 10), nil
	case float64:
		return append(dst, jsonFloat(t)...), nil
	}
	return dst, fmt.Errorf("output: unsupported value of type %T", v)
}

// PythonError is a failure the AWS CLI meets as a Python exception (its
// formatters raise them on data they do not expect, shlex on a bad pager
// command line). The CLI reports one as "\n<Msg>\n" on stderr, exit status
// 255.
type PythonError struct {
	Type string // the exception class: TypeError, ValueError, ...
	Msg  string
}

func (e *PythonError) Error() string { return e.Msg }

func pyErr(typ, format string, args ...any) error {
	return &PythonError{Type: typ, Msg: fmt.Sprintf(format, args...)}
}
