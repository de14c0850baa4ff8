package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"
)

// The generated AppendJSON methods (encode_gen.go) write exactly what
// encoding/json writes for the same value — a test compares them byte for
// byte — without reflection: responses are encoded on every request, and
// reflection was the largest cost of answering DescribeUserPool.

// JSONAppender is a value that can append its own JSON encoding.
type JSONAppender interface {
	AppendJSON(b []byte) []byte
}

// AppendSep appends a comma when something follows the object's opening
// brace at position start.
func AppendSep(b []byte, start int) []byte {
	if len(b) > start {
		return append(b, ',')
	}
	return b
}

const hex = "0123456789abcdef"

// AppendString appends s as a JSON string, escaped as encoding/json does
// (HTML characters and U+2028/U+2029 as \u escapes, invalid UTF-8 as
// U+FFFD).
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendBytes appends v as a base64 JSON string.
func AppendBytes(b []byte, v []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, v)
	return append(b, '"')
}

// AppendTime appends t as epoch seconds in Java's Double.toString form.
func AppendTime(b []byte, t Time) []byte {
	return append(b, JavaDouble(float64(t.UnixMilli())/1000)...)
}

// AppendDocument appends a document value compacted, as encoding/json does
// with a json.RawMessage; a value that is not JSON is written as null.
func AppendDocument(b []byte, doc Document) []byte {
	buf := bytes.NewBuffer(b)
	if err := json.Compact(buf, doc); err != nil {
		return append(b, "null"...)
	}
	return buf.Bytes()
}

// AppendFloat appends f as encoding/json writes a float64: the shortest
// decimal that reads back the same, in exponent form below 1e-6 and from
// 1e21 (with a two-digit exponent), without a "+" in it.
func AppendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b) - start
		if n >= 4 && b[len(b)-4] == 'e' && b[len(b)-3] == '-' && b[len(b)-2] == '0' {
			b[len(b)-2] = b[len(b)-1]
			b = b[:len(b)-1]
		}
	}
	return b
}
