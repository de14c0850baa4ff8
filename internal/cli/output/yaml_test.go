package output

import (
	"math"
	"strings"
	"testing"
)

func yamlOf(t *testing.T, v any) string {
	t.Helper()
	return format(t, v, Options{Format: "yaml"})
}

// TestYAMLScalars: the quoting rules of the spec (§7 yaml) and more, as
// the value of a key.
func TestYAMLScalars(t *testing.T) {
	for in, want := range yamlScalarCases {
		got := yamlOf(t, obj("K", in))
		if want := "K: " + want + "\n"; got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// yamlScalarCases maps strings to their YAML (as the value of a key). The
// differential test checks them against Python too.
var yamlScalarCases = map[string]string{
	// would resolve to another type: single quotes
	"1111": "'1111'", "true": "'true'", "True": "'True'", "null": "'null'", "~": "'~'", "": "''",
	"1.5": "'1.5'", "1e3": "'1e3'", ".inf": "'.inf'", "0x1F": "'0x1F'", "0o17": "'0o17'", "017": "'017'",
	"2024-01-01": "'2024-01-01'", "2024-01-01T00:00:00+00:00": "'2024-01-01T00:00:00+00:00'",
	"2024-01-01 00:00:00": "'2024-01-01 00:00:00'", "<<": "'<<'", "=": "'='",
	// YAML 1.2: not booleans, not sexagesimal, not octal without 0o
	"yes": "yes", "no": "no", "on": "on", "Off": "Off", "y": "y", "1:20": "1:20", "08": "'08'", "1_000": "'1_000'",
	"1e": "1e", "inf": "inf", "2024-1-1": "2024-1-1",
	// indicators
	"*x": "'*x'", "&x": "'&x'", "!x": "'!x'", "- x": "'- x'", "#x": "'#x'", "@x": "'@x'", "`x": "'`x'",
	"%x": "'%x'", "|x": "'|x'", ">x": "'>x'", "[x]": "'[x]'", "{x}": "'{x}'", "---": "'---'", "...": "'...'",
	"-": "'-'", "?": "'?'", "? x": "'? x'", ": x": "': x'", "x:": "'x:'", "a: b": "'a: b'", "a #b": "'a #b'",
	"'quoted'": "'''quoted'''", "\"dq\"": "'\"dq\"'",
	// plain
	"?x": "?x", "-x": "-x", ":x": ":x", "a:b": "a:b", "a#b": "a#b", "x]": "x]", "a,b": "a,b", "it's": "it's",
	"say \"hi\"": "say \"hi\"", "http://example.com/a?b=c&d=e#frag": "http://example.com/a?b=c&d=e#frag",
	"arn:aws:s3:::bucket": "arn:aws:s3:::bucket", "café": "café", "日本語": "日本語", "a  b": "a  b",
	// edge spaces
	" x": "' x'", "x ": "'x '", " ": "' '",
	// special characters: double quotes with escapes
	"a\tb": `"a\tb"`, "café \U0001F600": `"café \U0001F600"`, "\U0010FFFD": `"\U0010FFFD"`,
	"bell\x07": `"bell\a"`, "esc\x1b": `"esc\e"`, "nul\x00": `"nul\0"`, "del\x7f": `"del\x7F"`,
	"c1\u0080": `"c1\x80"`, "x\u0085y": `"x\Ny"`, "\ufeffbom": `"\uFEFFbom"`, "\u00a0nb": "\u00a0nb",
	"a\tb\nc": `"a\tb\nc"`, "\\": `\`, "back\\slash\t": `"back\\slash\t"`,
	// line breaks: single quotes, a blank line per break
	"line1\nline2": "'line1\n\n  line2'", "trailing\n": "'trailing\n\n  '", "\nleading": "'\n\n  leading'",
	"a\n\nb": "'a\n\n\n  b'", "ls\u2028x": "'ls\u2028  x'",
	// a space next to a break cannot be single-quoted
	"a \nb": `"a \nb"`, "a\n b": `"a\n b"`,
}

func TestYAMLNumbers(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{
		{int64(0), "0"}, {int64(-12), "-12"}, {int64(math.MinInt64), "-9223372036854775808"},
		{2.0, "2.0"}, {1.5, "1.5"}, {1e16, "1e+16"}, {1e-5, "1e-05"}, {0.0, "0.0"},
		{math.Copysign(0, -1), "-0.0"}, {math.Inf(1), ".inf"}, {math.Inf(-1), "-.inf"}, {math.NaN(), ".nan"},
		{true, "true"}, {false, "false"}, {nil, "null"},
	} {
		if got, want := yamlOf(t, obj("N", c.in)), "N: "+c.want+"\n"; got != want {
			t.Errorf("%v: got %q, want %q", c.in, got, want)
		}
	}
	// A top-level scalar is written by json.dumps.
	for _, c := range []struct {
		in   any
		want string
	}{
		{"us-west-2_EXAMPLE", `"us-west-2_EXAMPLE"`}, {nil, "null"}, {int64(2), "2"}, {2.0, "2.0"}, {true, "true"},
		{"café\n\"x\"", `"café\n\"x\""`}, {math.Inf(1), "Infinity"}, {math.NaN(), "NaN"}, {"", `""`},
	} {
		if got := yamlOf(t, c.in); got != c.want+"\n" {
			t.Errorf("%v: got %q, want %q", c.in, got, c.want+"\n")
		}
	}
}

// TestYAMLFolding: long scalars break at a space once past column 80, and
// continue indented under their key.
func TestYAMLFolding(t *testing.T) {
	words := strings.Repeat("word ", 30) + "end"
	got := yamlOf(t, obj("Description", words, "Nested", obj("Deeper", words)))
	want := "Description: word word word word word word word word word word word word word word\n" +
		"  word word word word word word word word word word word word word word word word\n" +
		"  end\n" +
		"Nested:\n" +
		"  Deeper: word word word word word word word word word word word word word word word\n" +
		"    word word word word word word word word word word word word word word word end\n"
	diff(t, "plain folding", got, want)

	got = yamlOf(t, obj("Q", "#"+words))
	want = "Q: '#word word word word word word word word word word word word word word word word\n" +
		"  word word word word word word word word word word word word word word end'\n"
	diff(t, "single-quoted folding", got, want)

	got = yamlOf(t, obj("D", "\t"+words))
	want = "D: \"\\tword word word word word word word word word word word word word word word word\n" +
		"  word word word word word word word word word word word word word word end\"\n"
	diff(t, "double-quoted folding", got, want)

	// Two spaces at the fold: the second is escaped in double quotes.
	got = yamlOf(t, obj("D", "\t"+strings.Repeat("x", 80)+"  y"))
	want = "D: \"\\t" + strings.Repeat("x", 80) + "\n  \\ y\"\n"
	diff(t, "double-quoted fold before a space", got, want)

	// Keys never fold; one word longer than the line stays whole.
	long := strings.Repeat("k", 100)
	diff(t, "long key", yamlOf(t, obj(long+" x", long+" y")), long+" x: "+long+"\n  y\n")
}

// TestYAMLStructure: indentation, empty collections, complex keys and
// anchors (outputs of ruamel's C emitter setup, see testdata/oracle.py).
func TestYAMLStructure(t *testing.T) {
	v := mustParse(t, `{"b":[{"x":1,"y":[1,[2,3],[],{}]},[],[[]],{}],"a":{"e":{},"l":[]},"c":[[1,2],["a",{"k":"v","j":null}]]}`)
	want := `a:
  e: {}
  l: []
b:
- x: 1
  y:
  - 1
  - - 2
    - 3
  - []
  - {}
- []
- - []
- {}
c:
- - 1
  - 2
- - a
  - j: null
    k: v
`
	diff(t, "nesting", yamlOf(t, v), want)

	k := func(n int) string { return strings.Repeat("k", n) }
	got := yamlOf(t, obj(k(129), "v", "a\nb", "w", "n", obj(k(130), obj("z", int64(1))), "m", obj(k(131), []any{"q"}), "s", obj(k(128), "fits")))
	want = "? 'a\n\n  b'\n: w\n? " + k(129) + "\n: v\nm:\n  ? " + k(131) + "\n  : - q\nn:\n  ? " + k(130) + "\n  : z: 1\ns:\n  " + k(128) + ": fits\n"
	diff(t, "complex keys", got, want)

	diff(t, "odd keys", yamlOf(t, obj("", "", "x", "😀", "y", "a\tb")), "'': ''\nx: \"\\U0001F600\"\ny: \"a\\tb\"\n")
}

func TestYAMLAnchors(t *testing.T) {
	inner := obj("b", int64(1), "c", []any{int64(1), int64(2)})
	list := []any{"x", "y"}
	v := obj("a", inner, "d", inner, "e", list, "f", []any{list, list, inner}, "g", []any{})
	diff(t, "anchors", yamlOf(t, v),
		"a: &id001\n  b: 1\n  c:\n  - 1\n  - 2\nd: *id001\ne: &id002\n- x\n- y\nf:\n- *id002\n- *id002\n- *id001\ng: []\n")
	diff(t, "anchored items", yamlOf(t, []any{inner, inner}), "- &id001\n  b: 1\n  c:\n  - 1\n  - 2\n- *id001\n")
	diff(t, "anchored nested list", yamlOf(t, obj("k", obj("x", list), "l", list)), "k:\n  x: &id001\n  - x\n  - y\nl: *id001\n")
	// Sub-slices are other lists; equal values are not shared.
	diff(t, "no anchors", yamlOf(t, obj("a", list[:1], "b", list, "c", []any{"x", "y"})), "a:\n- x\nb:\n- x\n- y\nc:\n- x\n- y\n")
}
