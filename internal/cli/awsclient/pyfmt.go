package awsclient

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/value"
)

// pyJSONDumps is Python's json.dumps(v) with its defaults (ensure_ascii,
// ", " and ": " separators, keys in order): the text botocore's TokenEncoder
// base64-encodes into a NextToken.
func pyJSONDumps(v any) string {
	var b strings.Builder
	writePyJSON(&b, v)
	return b.String()
}

func writePyJSON(b *strings.Builder, v any) {
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
		writePyJSONString(b, t)
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case int:
		b.WriteString(strconv.Itoa(t))
	case float64:
		switch {
		case math.IsInf(t, 1):
			b.WriteString("Infinity")
		case math.IsInf(t, -1):
			b.WriteString("-Infinity")
		case math.IsNaN(t):
			b.WriteString("NaN")
		default:
			b.WriteString(value.PyFloat(t))
		}
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			writePyJSON(b, e)
		}
		b.WriteByte(']')
	case *value.Object:
		b.WriteByte('{')
		for i, k := range t.Keys() {
			if i > 0 {
				b.WriteString(", ")
			}
			writePyJSONString(b, k)
			b.WriteString(": ")
			e, _ := t.Get(k)
			writePyJSON(b, e)
		}
		b.WriteByte('}')
	default:
		writePyJSONString(b, fmt.Sprint(v))
	}
}

// writePyJSONString writes s as json.dumps does with ensure_ascii=True:
// everything outside ' '..'~' is escaped, non-BMP runes as surrogate pairs.
func writePyJSONString(b *strings.Builder, s string) {
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
			case r >= 0x20 && r <= 0x7e:
				b.WriteRune(r)
			case r > 0xffff:
				r -= 0x10000
				fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			default:
				fmt.Fprintf(b, `\u%04x`, r)
			}
		}
	}
	b.WriteByte('"')
}

// pyRepr is Python's repr() of a JSON-shaped value: the spelling botocore's
// messages use for dicts ("{'NextToken': 'x'}") and strings.
func pyRepr(v any) string {
	switch t := v.(type) {
	case nil:
		return "None"
	case bool:
		if t {
			return "True"
		}
		return "False"
	case string:
		return pyStrRepr(t)
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *value.Object:
		parts := make([]string, 0, t.Len())
		for _, k := range t.Keys() {
			e, _ := t.Get(k)
			parts = append(parts, pyStrRepr(k)+": "+pyRepr(e))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return value.PyStr(v)
}

// pyStr is Python's str(): strings as they are, containers as repr.
func pyStr(v any) string {
	switch v.(type) {
	case []any, *value.Object:
		return pyRepr(v)
	}
	return value.PyStr(v)
}

func pyQuote(hasSingle, hasDouble bool) byte {
	if hasSingle && !hasDouble {
		return '"'
	}
	return '\''
}

// pyStrRepr is Python's repr() of a str.
func pyStrRepr(s string) string {
	q := pyQuote(strings.ContainsRune(s, '\''), strings.ContainsRune(s, '"'))
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x80 || unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// pyBytesRepr is Python's repr() of a bytes value (b'...'), the spelling
// of request and response bodies in botocore's debug log.
func pyBytesRepr(p []byte) string {
	q := pyQuote(strings.IndexByte(string(p), '\'') >= 0, strings.IndexByte(string(p), '"') >= 0)
	var b strings.Builder
	b.WriteString("b")
	b.WriteByte(q)
	for _, c := range p {
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == q:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// pyHeadersRepr renders headers as the dict repr botocore logs; keys are in
// the order given.
func pyHeadersRepr(keys []string, get func(string) string) string {
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, pyStrRepr(k)+": "+pyStrRepr(get(k)))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// pyInt is Python's int(s) for a str: surrounding whitespace, a sign and
// single underscores between digits are allowed.
func pyInt(s string) (int, error) {
	t := strings.TrimSpace(s)
	digits := strings.TrimLeft(t, "+-")
	if len(t)-len(digits) > 1 || digits == "" || strings.HasPrefix(digits, "_") ||
		strings.HasSuffix(digits, "_") || strings.Contains(digits, "__") {
		return 0, fmt.Errorf("invalid literal for int() with base 10: %s", pyStrRepr(s))
	}
	n, err := strconv.Atoi(t[:len(t)-len(digits)] + strings.ReplaceAll(digits, "_", ""))
	if err != nil {
		return 0, fmt.Errorf("invalid literal for int() with base 10: %s", pyStrRepr(s))
	}
	return n, nil
}

// pyTypeName is type(v).__name__ for a JSON-shaped value.
func pyTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case string:
		return "str"
	case int64, int:
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

// validUTF8 returns s with invalid bytes replaced, as a lenient decode.
func validUTF8(p []byte) string {
	if utf8.Valid(p) {
		return string(p)
	}
	return strings.ToValidUTF8(string(p), "\uFFFD")
}
