package py

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/value"
)

// JSONDecodeError is json.JSONDecodeError, or another ValueError json.loads
// raises (the digit limit's, a UnicodeDecodeError of bytes); Error() is
// str(e): "msg: line L column C (char P)" for a JSONDecodeError.
type JSONDecodeError struct{ Msg string }

func (e *JSONDecodeError) Error() string { return e.Msg }

// JSONDepthError is the RecursionError CPython raises for a document
// nested deeper than its recursion limit allows; Array tells which kind of
// container reached it.
type JSONDepthError struct{ Array bool }

func (e *JSONDepthError) Error() string {
	if e.Array {
		return "maximum recursion depth exceeded while decoding a JSON array from a unicode string"
	}
	return "maximum recursion depth exceeded while decoding a JSON object from a unicode string"
}

// JSONMaxDepth approximates where CPython's recursion limit stops the
// C scanner when json.loads is called from shallow Python code.
const JSONMaxDepth = 990

// JSONNaNBits are the bits of the NaN json.loads gives for NaN: one object
// (json.decoder's NaN constant), which Python finds equal to itself inside
// lists and dicts (they compare identity first). Other NaNs carry other
// bits here (ParseFloat's).
const JSONNaNBits = 0x7ff8000000000001

// JSONDecoder is json.loads with the C scanner (strict=True): the same
// values (integers int64, float64 beyond, objects keep their order, a
// repeated key keeps its first place and last value, NaN, Infinity and
// -Infinity are accepted) and the same error messages as Python 3.13+
// (which reports a trailing comma as such), positions counted in code
// points. The zero JSONDecoder is json.loads(s).
type JSONDecoder struct {
	// MaxDepth is the nesting of containers at which the scanner raises
	// RecursionError (Python's limit counts the caller's frames too);
	// 0 is JSONMaxDepth.
	MaxDepth int
	// Object, when set, is called with every object the document makes
	// (to mark it, as object_pairs_hook=OrderedDict makes its own class).
	Object func(*value.Object)
}

// Loads is json.loads(s) for a str. Bytes of s that are not UTF-8 stand
// for surrogateescape'd characters: each is one code point, U+FFFD.
func (d JSONDecoder) Loads(s string) (any, error) {
	if strings.HasPrefix(s, "\ufeff") {
		return nil, &JSONDecodeError{"Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"}
	}
	return d.loads(s)
}

// LoadsBytes is json.loads(b) for bytes: their encoding detected as
// json.detect_encoding does, then decoded (a failure is a
// UnicodeDecodeError, a *JSONDecodeError here).
func (d JSONDecoder) LoadsBytes(b []byte) (any, error) {
	s, err := decodeJSONBytes(b)
	if err != nil {
		return nil, err
	}
	return d.loads(s)
}

func (d JSONDecoder) loads(s string) (any, error) {
	sc := &jsonScanner{s: []rune(s), maxDepth: d.MaxDepth, object: d.Object}
	if sc.maxDepth == 0 {
		sc.maxDepth = JSONMaxDepth
	}
	idx := sc.skipWS(0)
	v, end, err := sc.scanOnce(idx, 0)
	if err != nil {
		return nil, err
	}
	end = sc.skipWS(end)
	if end != len(sc.s) {
		return nil, sc.errAt("Extra data", end)
	}
	return v, nil
}

// decodeJSONBytes is json.loads' handling of bytes: detect_encoding, then
// decode (a failure is a UnicodeDecodeError, a ValueError).
func decodeJSONBytes(b []byte) (string, error) {
	enc := "utf-8"
	switch {
	case len(b) >= 4 && (string(b[:4]) == "\x00\x00\xfe\xff" || string(b[:4]) == "\xff\xfe\x00\x00"):
		enc = "utf-32"
	case len(b) >= 2 && (string(b[:2]) == "\xfe\xff" || string(b[:2]) == "\xff\xfe"):
		enc = "utf-16"
	case len(b) >= 3 && string(b[:3]) == "\xef\xbb\xbf":
		return DecodeUTF8(b[3:])
	case len(b) >= 4:
		if b[0] == 0 {
			if b[1] != 0 {
				enc = "utf-16-be"
			} else {
				enc = "utf-32-be"
			}
		} else if b[1] == 0 {
			if b[2] != 0 || b[3] != 0 {
				enc = "utf-16-le"
			} else {
				enc = "utf-32-le"
			}
		}
	case len(b) == 2:
		if b[0] == 0 {
			enc = "utf-16-be"
		} else if b[1] == 0 {
			enc = "utf-16-le"
		}
	}
	switch enc {
	case "utf-8":
		return DecodeUTF8(b)
	case "utf-16", "utf-16-be", "utf-16-le":
		big := enc == "utf-16-be"
		if enc == "utf-16" {
			big = b[0] == 0xfe
			b = b[2:]
		}
		if len(b)%2 != 0 {
			return "", &JSONDecodeError{fmt.Sprintf("'%s' codec can't decode byte 0x%02x in position %d: truncated data", strings.ReplaceAll(enc, "-", "-"), b[len(b)-1], len(b)-1)}
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			if big {
				u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			} else {
				u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
			}
		}
		return string(utf16.Decode(u)), nil
	default: // utf-32 variants
		big := enc == "utf-32-be"
		if enc == "utf-32" {
			big = b[0] == 0
			b = b[4:]
		}
		if len(b)%4 != 0 {
			return "", &JSONDecodeError{fmt.Sprintf("'%s' codec can't decode bytes in position %d-%d: truncated data", enc, len(b)-len(b)%4, len(b)-1)}
		}
		var sb strings.Builder
		for i := 0; i < len(b); i += 4 {
			var r uint32
			if big {
				r = uint32(b[i])<<24 | uint32(b[i+1])<<16 | uint32(b[i+2])<<8 | uint32(b[i+3])
			} else {
				r = uint32(b[i+3])<<24 | uint32(b[i+2])<<16 | uint32(b[i+1])<<8 | uint32(b[i])
			}
			if r > utf8.MaxRune {
				return "", &JSONDecodeError{fmt.Sprintf("'%s' codec can't decode bytes in position %d-%d: code point not in range(0x110000)", enc, i, i+3)}
			}
			sb.WriteRune(rune(r))
		}
		return sb.String(), nil
	}
}

// DecodeUTF8 is bytes.decode('utf-8'): strict, a failure is the
// UnicodeDecodeError (a ValueError, as JSONDecodeError is, and of the same
// type here) with Python's text.
func DecodeUTF8(b []byte) (string, error) {
	if utf8.Valid(b) {
		return string(b), nil
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			reason := "invalid start byte"
			if b[i] >= 0xc2 && b[i] <= 0xf4 {
				if i+1 >= len(b) || !utf8.FullRune(b[i:]) {
					reason = "unexpected end of data"
				} else {
					reason = "invalid continuation byte"
				}
			}
			return "", &JSONDecodeError{fmt.Sprintf("'utf-8' codec can't decode byte 0x%02x in position %d: %s", b[i], i, reason)}
		}
		i += size
	}
	return string(b), nil
}

type jsonScanner struct {
	s        []rune
	maxDepth int
	object   func(*value.Object)
}

// errAt formats a JSONDecodeError: "msg: line L column C (char P)".
func (d *jsonScanner) errAt(msg string, pos int) error {
	line := 1
	last := -1
	for i := 0; i < pos && i < len(d.s); i++ {
		if d.s[i] == '\n' {
			line++
			last = i
		}
	}
	return &JSONDecodeError{fmt.Sprintf("%s: line %d column %d (char %d)", msg, line, pos-last, pos)}
}

func isJSONWS(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

func (d *jsonScanner) skipWS(i int) int {
	for i < len(d.s) && isJSONWS(d.s[i]) {
		i++
	}
	return i
}

// errStop is StopIteration(idx): "Expecting value" where the caller's
// decode reports it.
type errStop struct{ idx int }

func (e *errStop) Error() string { return "StopIteration" }

func (d *jsonScanner) expectingValue(err error) error {
	if st, ok := err.(*errStop); ok {
		return d.errAt("Expecting value", st.idx)
	}
	return err
}

func (d *jsonScanner) hasAt(i int, lit string) bool {
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

// scanOnce is scan_once_unicode: the value at idx and the index after it.
func (d *jsonScanner) scanOnce(idx, depth int) (any, int, error) {
	if idx >= len(d.s) {
		return nil, 0, d.expectingValue(&errStop{idx})
	}
	switch d.s[idx] {
	case '"':
		return d.scanString(idx + 1)
	case '{':
		if depth >= d.maxDepth {
			return nil, 0, &JSONDepthError{}
		}
		return d.parseObject(idx+1, depth+1)
	case '[':
		if depth >= d.maxDepth {
			return nil, 0, &JSONDepthError{Array: true}
		}
		return d.parseArray(idx+1, depth+1)
	case 'n':
		if d.hasAt(idx, "null") {
			return nil, idx + 4, nil
		}
	case 't':
		if d.hasAt(idx, "true") {
			return true, idx + 4, nil
		}
	case 'f':
		if d.hasAt(idx, "false") {
			return false, idx + 5, nil
		}
	case 'N':
		if d.hasAt(idx, "NaN") {
			return math.Float64frombits(JSONNaNBits), idx + 3, nil
		}
	case 'I':
		if d.hasAt(idx, "Infinity") {
			return math.Inf(1), idx + 8, nil
		}
	case '-':
		if d.hasAt(idx, "-Infinity") {
			return math.Inf(-1), idx + 9, nil
		}
	}
	return d.matchNumber(idx)
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// matchNumber is _match_number_unicode.
func (d *jsonScanner) matchNumber(start int) (any, int, error) {
	s := d.s
	end := len(s) - 1
	idx := start
	if s[idx] == '-' {
		idx++
		if idx > end {
			return nil, 0, d.expectingValue(&errStop{start})
		}
	}
	switch {
	case s[idx] >= '1' && s[idx] <= '9':
		idx++
		for idx <= end && isDigitRune(s[idx]) {
			idx++
		}
	case s[idx] == '0':
		idx++
	default:
		return nil, 0, d.expectingValue(&errStop{start})
	}
	isFloat := false
	if idx < end && s[idx] == '.' && isDigitRune(s[idx+1]) {
		isFloat = true
		idx += 2
		for idx <= end && isDigitRune(s[idx]) {
			idx++
		}
	}
	if idx < end && (s[idx] == 'e' || s[idx] == 'E') {
		eStart := idx
		idx++
		if idx < end && (s[idx] == '-' || s[idx] == '+') {
			idx++
		}
		for idx <= end && isDigitRune(s[idx]) {
			idx++
		}
		if isDigitRune(s[idx-1]) {
			isFloat = true
		} else {
			idx = eStart
		}
	}
	lit := string(s[start:idx])
	if isFloat {
		f, err := strconv.ParseFloat(lit, 64)
		if err != nil && !isRangeErr(err) {
			return nil, 0, &JSONDecodeError{"could not convert string to float: " + StrRepr(lit)}
		}
		return f, idx, nil
	}
	digits := strings.TrimPrefix(lit, "-")
	if len(digits) > IntMaxStrDigits {
		return nil, 0, &JSONDecodeError{(&IntError{Text: lit, Digits: len(digits)}).Error()}
	}
	return value.Number(lit), idx, nil
}

// scanString is scanstring_unicode (strict): end is the index after the
// opening quote.
func (d *jsonScanner) scanString(end int) (any, int, error) {
	s := d.s
	begin := end - 1
	var b strings.Builder
	for {
		next := end
		var c rune
		for ; next < len(s); next++ {
			c = s[next]
			if c == '"' || c == '\\' {
				break
			}
			if c <= 0x1f {
				return nil, 0, d.errAt("Invalid control character at", next)
			}
		}
		if next >= len(s) {
			return nil, 0, d.errAt("Unterminated string starting at", begin)
		}
		b.WriteString(string(s[end:next]))
		next++
		if c == '"' {
			end = next
			break
		}
		if next == len(s) {
			return nil, 0, d.errAt("Unterminated string starting at", begin)
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
				return nil, 0, d.errAt("Invalid \\escape", end-2)
			}
			b.WriteRune(c)
			continue
		}
		next++
		end = next + 4
		if end >= len(s) {
			return nil, 0, d.errAt("Invalid \\uXXXX escape", next-1)
		}
		u, ok := hex4(s[next:end])
		if !ok {
			return nil, 0, d.errAt("Invalid \\uXXXX escape", end-5)
		}
		next = end
		if u >= 0xd800 && u <= 0xdbff && end+6 < len(s) && s[next] == '\\' && s[next+1] == 'u' {
			u2, ok := hex4(s[next+2 : next+6])
			if !ok {
				return nil, 0, d.errAt("Invalid \\uXXXX escape", end+1)
			}
			if u2 >= 0xdc00 && u2 <= 0xdfff {
				u = 0x10000 + ((u - 0xd800) << 10) | (u2 - 0xdc00)
				end += 6
			}
		}
		// A lone surrogate cannot live in a Go string: it becomes U+FFFD.
		b.WriteRune(rune(u))
	}
	return b.String(), end, nil
}

func hex4(r []rune) (rune, bool) {
	if len(r) != 4 {
		return 0, false
	}
	var v rune
	for _, c := range r {
		v <<= 4
		switch {
		case c >= '0' && c <= '9':
			v |= c - '0'
		case c >= 'a' && c <= 'f':
			v |= c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v |= c - 'A' + 10
		default:
			return 0, false
		}
	}
	return v, true
}

// parseObject is _parse_object_unicode; idx is after the '{'.
func (d *jsonScanner) parseObject(idx, depth int) (any, int, error) {
	s := d.s
	obj := value.NewObject()
	if d.object != nil {
		d.object(obj)
	}
	idx = d.skipWS(idx)
	if idx < len(s) && s[idx] == '}' {
		return obj, idx + 1, nil
	}
	for {
		if idx >= len(s) || s[idx] != '"' {
			return nil, 0, d.errAt("Expecting property name enclosed in double quotes", idx)
		}
		k, next, err := d.scanString(idx + 1)
		if err != nil {
			return nil, 0, err
		}
		idx = d.skipWS(next)
		if idx >= len(s) || s[idx] != ':' {
			return nil, 0, d.errAt("Expecting ':' delimiter", idx)
		}
		idx = d.skipWS(idx + 1)
		v, next, err := d.scanOnce(idx, depth)
		if err != nil {
			return nil, 0, err
		}
		obj.Set(k.(string), v)
		idx = d.skipWS(next)
		if idx < len(s) && s[idx] == '}' {
			return obj, idx + 1, nil
		}
		if idx >= len(s) || s[idx] != ',' {
			return nil, 0, d.errAt("Expecting ',' delimiter", idx)
		}
		comma := idx
		idx = d.skipWS(idx + 1)
		if idx < len(s) && s[idx] == '}' {
			return nil, 0, d.errAt("Illegal trailing comma before end of object", comma)
		}
	}
}

// parseArray is _parse_array_unicode; idx is after the '['.
func (d *jsonScanner) parseArray(idx, depth int) (any, int, error) {
	s := d.s
	list := []any{}
	idx = d.skipWS(idx)
	if idx < len(s) && s[idx] == ']' {
		return list, idx + 1, nil
	}
	for {
		v, next, err := d.scanOnce(idx, depth)
		if err != nil {
			return nil, 0, err
		}
		list = append(list, v)
		idx = d.skipWS(next)
		if idx < len(s) && s[idx] == ']' {
			return list, idx + 1, nil
		}
		if idx >= len(s) || s[idx] != ',' {
			return nil, 0, d.errAt("Expecting ',' delimiter", idx)
		}
		comma := idx
		idx = d.skipWS(idx + 1)
		if idx < len(s) && s[idx] == ']' {
			return nil, 0, d.errAt("Illegal trailing comma before end of array", comma)
		}
	}
}
