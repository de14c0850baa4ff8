package py

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IntMaxStrDigits is sys.get_int_max_str_digits()'s default: int() of a
// str with more digits raises ValueError.
const IntMaxStrDigits = 4300

// IntError is the ValueError of int() of a str: an invalid literal, or,
// when Digits is set, a valid one with more than IntMaxStrDigits digits.
type IntError struct {
	Text   string // int()'s argument
	Digits int    // the number of digits beyond the limit
}

func (e *IntError) Error() string {
	if e.Digits > 0 {
		return fmt.Sprintf("Exceeds the limit (%d digits) for integer string conversion: value has %d digits; "+
			"use sys.set_int_max_str_digits() to increase the limit", IntMaxStrDigits, e.Digits)
	}
	// %.200R: the repr cut to 200 characters.
	r := StrRepr(e.Text)
	if utf8.RuneCountInString(r) > 200 {
		r = string([]rune(r)[:200])
	}
	return "invalid literal for int() with base 10: " + r
}

// ParseInt is Python's int(s) for a str: base 10, surrounding whitespace,
// a sign, single underscores between digits and any Unicode decimal digits
// allowed. i holds the value when it fits an int64, else b does. The error
// is an *IntError.
func ParseInt(s string) (i int64, b *big.Int, err error) {
	t, ok := numberText(s)
	if !ok || t == "" {
		return 0, nil, &IntError{Text: s}
	}
	sign := ""
	if t[0] == '+' || t[0] == '-' {
		sign, t = t[:1], t[1:]
	}
	digits, ok := stripUnderscores(t, false)
	if !ok || digits == "" {
		return 0, nil, &IntError{Text: s}
	}
	if len(digits) > IntMaxStrDigits {
		return 0, nil, &IntError{Text: s, Digits: len(digits)}
	}
	if sign == "-" {
		digits = "-" + digits
	}
	if v, err := strconv.ParseInt(digits, 10, 64); err == nil {
		return v, nil, nil
	}
	b, _ = new(big.Int).SetString(digits, 10)
	return 0, b, nil
}

// Int is int(s) for a setting or an option value, which the CLI keeps in
// an int64: a value beyond one is reported as an invalid literal.
func Int(s string) (int64, error) {
	i, b, err := ParseInt(s)
	if err == nil && b != nil {
		err = &IntError{Text: s}
	}
	return i, err
}

// ParseFloat is Python's float(s) for a str: decimal literals with
// surrounding whitespace, underscores between digits and Unicode decimal
// digits, inf, infinity and nan in any case, with a sign. float('nan') is
// a NaN of its own, not the one json.loads gives (JSONNaNBits).
func ParseFloat(s string) (float64, bool) {
	t, ok := numberText(s)
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
	case "nan":
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

// IsSpace is str.isspace() for one character (Py_UNICODE_ISSPACE).
func IsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// decimal is Py_UNICODE_TODECIMAL: the value of a Unicode decimal digit
// (category Nd, which comes in runs of ten from 0 to 9), or -1.
func decimal(r rune) int {
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

// numberText is _PyUnicode_TransformDecimalAndSpaceToASCII (non-ASCII
// whitespace becomes a space, Unicode decimal digits ASCII digits) followed
// by the strip of C whitespace int() and float() do; ok is false if s holds
// a character that cannot be part of a number.
func numberText(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 127:
			b.WriteRune(r)
		case IsSpace(r):
			b.WriteByte(' ')
		case decimal(r) >= 0:
			b.WriteByte(byte('0' + decimal(r)))
		default:
			return "", false
		}
	}
	return strings.Trim(b.String(), " \t\n\v\f\r"), true
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
