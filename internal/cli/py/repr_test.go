package py

import (
	"math"
	"testing"

	"github.com/cognate/cognate/internal/cli/value"
)

func obj(kv ...any) *value.Object {
	o := value.NewObject()
	for i := 0; i < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

func mustObject(t *testing.T, s string) *value.Object {
	t.Helper()
	v, err := value.ParseJSON([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v.(*value.Object)
}

// From the output package (its text and table formatters' str()).
func TestPyRepr(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{
		{"plain", "'plain'"}, {"it's", `"it's"`}, {`both ' and "`, `'both \' and "'`}, {`"dq"`, `'"dq"'`},
		{"a\\b", `'a\\b'`}, {"t\tn\nr\r", `'t\tn\nr\r'`}, {"\x00\x1f\x7f", `'\x00\x1f\x7f'`},
		{"\u0085\u00a0\u00ad", `'\x85\xa0\xad'`}, {"café 日本 😀", "'café 日本 😀'"}, {"\u2028\ufeff", `'\u2028\ufeff'`},
		{"\U000E0001", `'\U000e0001'`},
		{obj("a", int64(1), "b", []any{1.5, true, nil, "x"}, "c", obj()), `{'a': 1, 'b': [1.5, True, None, 'x'], 'c': {}}`},
		{[]any{}, "[]"}, {[]any{[]any{2.0}}, "[[2.0]]"}, {math.Inf(1), "inf"},
	} {
		if got := Repr(c.in); got != c.want {
			t.Errorf("repr(%#v) = %s, want %s", c.in, got, c.want)
		}
	}
	if got := Str("it's"); got != "it's" {
		t.Errorf("str of a string = %q", got)
	}
	if got := Str(obj("k", "it's")); got != `{'k': "it's"}` {
		t.Errorf("str of a dict = %q", got)
	}
}

// From the argv package (its messages' %r).
func TestStrRepr(t *testing.T) {
	for in, want := range map[string]string{"x": "'x'", "it's": `"it's"`, `a'b"c`: `'a\'b"c'`, "t\tn\n": `'t\tn\n'`} {
		if got := StrRepr(in); got != want {
			t.Errorf("StrRepr(%q) = %s, want %s", in, got, want)
		}
	}
}

// From the awsclient package (botocore's log and messages, the NextToken).
func TestPyFormatting(t *testing.T) {
	o := mustObject(t, `{"NextToken": "a\"b\u00e9\ud83d\ude00", "n": 1, "f": 2.0, "z": null, "l": [true, false]}`)
	if got, want := JSONDumps(o), `{"NextToken": "a\"b\u00e9\ud83d\ude00", "n": 1, "f": 2.0, "z": null, "l": [true, false]}`; got != want {
		t.Errorf("dumps\n got %s\nwant %s", got, want)
	}
	if got, want := Repr(o), `{'NextToken': 'a"bé😀', 'n': 1, 'f': 2.0, 'z': None, 'l': [True, False]}`; got != want {
		t.Errorf("repr\n got %s\nwant %s", got, want)
	}
	for in, want := range map[string]string{"it's": `"it's"`, `a'b"c`: `'a\'b"c'`, "x\ny\x01": `'x\ny\x01'`} {
		if got := StrRepr(in); got != want {
			t.Errorf("StrRepr(%q) = %s, want %s", in, got, want)
		}
	}
	if got := BytesRepr([]byte("a'\x00\xff")); got != `b"a'\x00\xff"` {
		t.Errorf("bytes repr %s", got)
	}
	for in, want := range map[string]int64{"3": 3, " -4 ": -4, "+5": 5, "1_000": 1000} {
		if got, err := Int(in); err != nil || got != want {
			t.Errorf("Int(%q) = %d %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "abc", "1.5", "_1", "1__0", "--1"} {
		if _, err := Int(bad); err == nil {
			t.Errorf("Int(%q) accepted", bad)
		}
	}
}
