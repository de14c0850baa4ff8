package py

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/value"
)

// Printer is repr() and str() for values among which some have a spelling
// of their own (a Python class's __repr__, an OrderedDict): Custom, when
// set, is asked first for every value, nested ones included, and reports
// whether it wrote v. The zero Printer knows the value package's types,
// []byte (bytes) and int.
type Printer struct {
	Custom func(b *strings.Builder, v any) bool
}

// Repr is Python's repr(v) for the value package's types.
func Repr(v any) string { return Printer{}.Repr(v) }

// Str is Python's str(v): a string as it is, anything else as its repr
// (value.PyStr for scalars).
func Str(v any) string { return Printer{}.Str(v) }

// Repr is repr(v).
func (p Printer) Repr(v any) string {
	var b strings.Builder
	p.WriteRepr(&b, v)
	return b.String()
}

// Str is str(v): a string as it is, anything else as its repr.
func (p Printer) Str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return p.Repr(v)
}

// WriteRepr writes repr(v) to b.
func (p Printer) WriteRepr(b *strings.Builder, v any) {
	if p.Custom != nil && p.Custom(b, v) {
		return
	}
	switch t := v.(type) {
	case string:
		b.WriteString(StrRepr(t))
	case []byte:
		b.WriteString(BytesRepr(t))
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			p.WriteRepr(b, e)
		}
		b.WriteByte(']')
	case *value.Object:
		p.WriteDict(b, t)
	default:
		b.WriteString(value.PyStr(v))
	}
}

// WriteDict writes the repr of o as a dict, {'key': value, ...}, whatever
// Custom would make of o itself.
func (p Printer) WriteDict(b *strings.Builder, o *value.Object) {
	b.WriteByte('{')
	for i, k := range o.Keys() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(StrRepr(k))
		b.WriteString(": ")
		e, _ := o.Get(k)
		p.WriteRepr(b, e)
	}
	b.WriteByte('}')
}

// StrRepr is Python 3's repr() of a str: single quotes unless the text has
// a single quote and no double quote; backslash escapes for that quote,
// the backslash, \t \n \r, other control characters and the code points
// str.isprintable() rejects (\xNN, \uNNNN, \UNNNNNNNN, lower-case hex).
// Bytes that are not UTF-8 stand for the lone surrogates Python's
// surrogateescape makes of them (argv, the environment): \udcNN.
func StrRepr(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(quote)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, `\udc%02x`, s[i])
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

// BytesRepr is Python's repr() of a bytes value, b'...': the quote chosen
// as for a str, printable ASCII as it is, \t \n \r, \xNN for the rest.
func BytesRepr(p []byte) string {
	quote := byte('\'')
	if bytes.IndexByte(p, '\'') >= 0 && bytes.IndexByte(p, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.Grow(len(p) + 3)
	b.WriteByte('b')
	b.WriteByte(quote)
	for _, c := range p {
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
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// ListRepr is Python's repr() of a list of str: ['a', 'b'].
func ListRepr(l []string) string {
	parts := make([]string, len(l))
	for i, s := range l {
		parts[i] = StrRepr(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// TypeName is type(v).__name__ for the value package's types, []byte and
// int; another Go type is named as Go names it.
func TypeName(v any) string {
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
	case []byte:
		return "bytes"
	case []any:
		return "list"
	case *value.Object:
		return "dict"
	}
	return fmt.Sprintf("%T", v)
}

// Truthy is Python's bool(v): None, False, 0, 0.0, "", b"", [] and {} are
// false.
func Truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case int64:
		return t != 0
	case float64:
		return t != 0
	case []byte:
		return len(t) > 0
	case []any:
		return len(t) > 0
	case *value.Object:
		return t.Len() > 0
	}
	return true
}
