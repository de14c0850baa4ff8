package py

import (
	"math"
	"strings"
	"testing"
)

// TestNumbers pins int() and float() of a str where the copies this
// package replaced disagreed (the wants are CPython 3.11's).
func TestNumbers(t *testing.T) {
	for in, want := range map[string]int64{"١٢": 12, "\u00a05\u2003": 5, " -4 ": -4, "1_000": 1000} {
		if got, err := Int(in); err != nil || got != want {
			t.Errorf("Int(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"+_5":                     `invalid literal for int() with base 10: '+_5'`,
		"5\x1c":                   `invalid literal for int() with base 10: '5\x1c'`,
		"\u0085":                  `invalid literal for int() with base 10: '\x85'`,
		"\xff":                    `invalid literal for int() with base 10: '\udcff'`,
		"99999999999999999999":    `invalid literal for int() with base 10: '99999999999999999999'`, // beyond an int64
		strings.Repeat("9", 4301): "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use sys.set_int_max_str_digits() to increase the limit",
	} {
		if _, err := Int(in); err == nil || err.Error() != msg {
			t.Errorf("Int(%.20q) = %v, want %s", in, err, msg)
		}
	}
	if _, b, err := ParseInt("99999999999999999999"); err != nil || b == nil || b.String() != "99999999999999999999" {
		t.Errorf("ParseInt of a big int: %v %v", b, err)
	}
	for in, want := range map[string]float64{"1_0.5": 10.5, "١.5": 1.5, " -Infinity ": math.Inf(-1), "1e400": math.Inf(1)} {
		if got, ok := ParseFloat(in); !ok || got != want {
			t.Errorf("ParseFloat(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	if f, ok := ParseFloat("-nan"); !ok || !math.IsNaN(f) || math.Float64bits(f) == JSONNaNBits {
		t.Errorf("ParseFloat(-nan) = %x, %v", math.Float64bits(f), ok)
	}
	for _, in := range []string{"--inf", "-+Infinity", "0x10", "5\x1c", "1__0", "1_", "."} {
		if f, ok := ParseFloat(in); ok {
			t.Errorf("ParseFloat(%q) = %v, want an error", in, f)
		}
	}
}

func TestJSONOptions(t *testing.T) {
	v := obj("a", []any{int64(1), "\u00e9\xff"}, "b", obj())
	if got, want := JSONDumps(v), `{"a": [1, "\u00e9\udcff"], "b": {}}`; got != want {
		t.Errorf("dumps = %s, want %s", got, want)
	}
	out, _ := JSON{Compact: true}.Append(nil, obj("a", []any{int64(1), 2.0}))
	if got, want := string(out), `{"a":[1,2.0]}`; got != want {
		t.Errorf("compact = %s, want %s", got, want)
	}
	out, _ = JSON{Indent: 4, Unicode: true}.Append(nil, obj("a", []any{int64(1), obj()}, "b", []any{}, "c", "é"))
	if got, want := string(out), "{\n    \"a\": [\n        1,\n        {}\n    ],\n    \"b\": [],\n    \"c\": \"é\"\n}"; got != want {
		t.Errorf("indent = %s, want %s", got, want)
	}
	if got, want := ListRepr([]string{"a", "\u0085", "\xff"}), `['a', '\x85', '\udcff']`; got != want {
		t.Errorf("ListRepr = %s, want %s", got, want)
	}
}
