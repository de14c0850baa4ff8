package py

import (
	"strconv"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/value"
)

// JSON is json.dumps with the keyword arguments the AWS CLI's calls give
// it. The zero JSON is json.dumps(v): separators ", " and ": ",
// ensure_ascii, no indent.
type JSON struct {
	// Indent is indent=: members one a line, Indent spaces a level, and the
	// separators "," and ": "; 0 is no indent (the CLI never passes 0).
	Indent int
	// Compact is separators=(',', ':'), for the one-line form.
	Compact bool
	// Unicode is ensure_ascii=False: only the quote, the backslash and C0
	// control characters are escaped, everything else is written as it is.
	Unicode bool
	// Default is default=: it turns a value of no JSON type into one that
	// is written instead, or fails. Without it such a value is written as
	// its str(), as default=str does (json.dumps' own default would raise
	// TypeError; the callers that need that error give Default).
	Default func(v any) (any, error)
}

// JSONDumps is json.dumps(v) with its defaults, for the value package's
// types and int; a value of another type is written as its str().
func JSONDumps(v any) string {
	out, _ := JSON{}.Append(nil, v)
	return string(out)
}

// Append appends the JSON text of v to dst. On an error (from Default) dst
// holds what was written before it.
func (j JSON) Append(dst []byte, v any) ([]byte, error) {
	return j.append(dst, v, 0)
}

func (j JSON) append(dst []byte, v any, level int) ([]byte, error) {
	switch t := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		if t {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case string:
		return j.AppendString(dst, t), nil
	case int64:
		return strconv.AppendInt(dst, t, 10), nil
	case int:
		return strconv.AppendInt(dst, int64(t), 10), nil
	case float64:
		return append(dst, JSONFloat(t)...), nil
	case []any:
		if len(t) == 0 {
			return append(dst, "[]"...), nil
		}
		dst = append(dst, '[')
		for i, e := range t {
			dst = j.appendItemSep(dst, i, level+1)
			var err error
			if dst, err = j.append(dst, e, level+1); err != nil {
				return dst, err
			}
		}
		dst = j.appendClose(dst, level)
		return append(dst, ']'), nil
	case *value.Object:
		if t.Len() == 0 {
			return append(dst, "{}"...), nil
		}
		dst = append(dst, '{')
		for i, k := range t.Keys() {
			dst = j.appendItemSep(dst, i, level+1)
			dst = j.AppendString(dst, k)
			if j.Compact && j.Indent == 0 {
				dst = append(dst, ':')
			} else {
				dst = append(dst, ':', ' ')
			}
			e, _ := t.Get(k)
			var err error
			if dst, err = j.append(dst, e, level+1); err != nil {
				return dst, err
			}
		}
		dst = j.appendClose(dst, level)
		return append(dst, '}'), nil
	}
	if j.Default == nil {
		return j.AppendString(dst, Str(v)), nil
	}
	w, err := j.Default(v)
	if err != nil {
		return dst, err
	}
	return j.append(dst, w, level)
}

// appendItemSep starts item i of a container whose items are at level.
func (j JSON) appendItemSep(dst []byte, i, level int) []byte {
	switch {
	case j.Indent > 0:
		if i > 0 {
			dst = append(dst, ',')
		}
		return j.appendNewline(dst, level)
	case i == 0:
		return dst
	case j.Compact:
		return append(dst, ',')
	}
	return append(dst, ',', ' ')
}

// appendClose ends a container at level.
func (j JSON) appendClose(dst []byte, level int) []byte {
	if j.Indent > 0 {
		return j.appendNewline(dst, level)
	}
	return dst
}

func (j JSON) appendNewline(dst []byte, level int) []byte {
	dst = append(dst, '\n')
	for i := 0; i < level*j.Indent; i++ {
		dst = append(dst, ' ')
	}
	return dst
}

// JSONFloat is how Python's json module spells a float: value.PyFloat, and
// Infinity, -Infinity and NaN (allow_nan).
func JSONFloat(f float64) string {
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

const hexLower = "0123456789abcdef"

// AppendString appends s as a JSON string, as json.dumps writes a str.
func (j JSON) AppendString(dst []byte, s string) []byte {
	if j.Unicode {
		return appendStringUnicode(dst, s)
	}
	return appendStringASCII(dst, s)
}

// appendStringUnicode is the ensure_ascii=False encoder: only the quote,
// the backslash and C0 control characters are escaped (\b \f \n \r \t
// short, others \u00xx); everything else, bytes that are not UTF-8
// included, is written as it is.
func appendStringUnicode(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		if e := shortEscape(rune(c)); e != 0 {
			dst = append(dst, '\\', e)
		} else {
			dst = appendU4(dst, rune(c))
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendStringASCII is the ensure_ascii encoder: everything outside
// ' '..'~' is escaped, non-BMP characters as surrogate pairs; bytes that
// are not UTF-8 are the lone surrogates of surrogateescape (\udcNN).
func appendStringASCII(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = appendU4(dst, 0xdc00|rune(s[i]))
			i++
			continue
		}
		i += size
		switch e := shortEscape(r); {
		case e != 0:
			dst = append(dst, '\\', e)
		case r >= ' ' && r <= '~':
			dst = append(dst, byte(r))
		case r > 0xffff:
			r -= 0x10000
			dst = appendU4(dst, 0xd800|(r>>10)&0x3ff)
			dst = appendU4(dst, 0xdc00|r&0x3ff)
		default:
			dst = appendU4(dst, r)
		}
	}
	return append(dst, '"')
}

// shortEscape is the letter of json's two-character escape of r (\" \\
// \b \f \n \r \t), or 0.
func shortEscape(r rune) byte {
	switch r {
	case '"', '\\':
		return byte(r)
	case '\b':
		return 'b'
	case '\f':
		return 'f'
	case '\n':
		return 'n'
	case '\r':
		return 'r'
	case '\t':
		return 't'
	}
	return 0
}

// appendU4 appends the escape \uXXXX of a UTF-16 code unit.
func appendU4(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hexLower[r>>12&0xf], hexLower[r>>8&0xf], hexLower[r>>4&0xf], hexLower[r&0xf])
}
