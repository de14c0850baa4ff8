package output

import (
	"math"
	"os"
	"strings"
	"testing"
)

func TestPyUpper(t *testing.T) {
	for in, want := range map[string]string{
		"abc": "ABC", "logConfigurations": "LOGCONFIGURATIONS", "straße": "STRASSE", "ß": "SS", "ﬁle": "FILE",
		"ǆ": "Ǆ", "ŉ": "ʼN", "é": "É", "键": "键", "ΐ": "\u0399\u0308\u0301", "i": "I", "ı": "I", "": "",
	} {
		if got := pyUpper(in); got != want {
			t.Errorf("pyUpper(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextLength(t *testing.T) {
	// As Python's unicodedata.east_asian_width: é, Ω, Я and the combining
	// acute accent are ambiguous (A), so two columns.
	for in, want := range map[string]int{
		"": 0, "abc": 3, "café": 5, "日本語": 6, "ｶﾀｶﾅ": 4, "！": 2, "±€": 4, "e\u0301": 3, "😀": 2,
		"\u00a1": 2, "\U0010FFFD": 2, "\U0010FFFF": 1, "Ω": 2, "Я": 2, "ä": 1,
	} {
		if got := textLength(in); got != want {
			t.Errorf("textLength(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestJSONEscapes(t *testing.T) {
	got := format(t, obj("s", "q\" b\\ \b\f\n\r\t \x00\x01\x1f\x7f / <>& \u2028\u2029 é 😀", "k\"", []any{obj(), []any{}}),
		Options{Format: "json"})
	want := "{\n    \"s\": \"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0000\\u0001\\u001f\x7f / <>& \u2028\u2029 é 😀\",\n" +
		"    \"k\\\"\": [\n        {},\n        []\n    ]\n}\n"
	diff(t, "json escapes", got, want)

	got = format(t, []any{int64(1), int64(-9223372036854775808), 2.0, 1e16, 1e-5, 0.1, math.Inf(1), math.Inf(-1), math.NaN(),
		math.Copysign(0, -1), true, false, nil}, Options{Format: "json"})
	want = "[\n    1,\n    -9223372036854775808,\n    2.0,\n    1e+16,\n    1e-05,\n    0.1,\n    Infinity,\n    -Infinity,\n" +
		"    NaN,\n    -0.0,\n    true,\n    false,\n    null\n]\n"
	diff(t, "json numbers", got, want)
	diff(t, "json string", format(t, "x\ny", Options{Format: "json"}), "\"x\\ny\"\n")
}

func TestTextEdgeCases(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"b":1,"a":"x","c":null,"d":true,"e":1.0}`, "x\t1\tNone\tTrue\t1.0\n"},
		{`{"straße":{"k":"v"}}`, "STRASSE\tv\n"},
		{`{"L":[1,2]}`, "L\t1\nL\t2\n"},
		{`[1,2,"x"]`, "1\t2\tx\n"},
		{`[[1,2],[3]]`, "1\t2\n3\n"},
		{`{"L":[[1,2],"s",[3]]}`, "L\ts\nL\t1\nL\t2\nL\t3\n"},
		{`{"L":[{"a":1},{"b":2,"n":{"x":1}}]}`, "L\t1\t\nL\t\t2\nN\t1\n"},
		{`{"L":[{"a":1},{"a":[1,2]}]}`, "L\t1\nL\t[1, 2]\n"},
		{`{"L":[{"o":{"x":1}},{"o":{"x":2}}]}`, "O\t1\nO\t2\n"},
		{`{"E":[],"F":{}}`, ""},
		{`{"K":""}`, "\n"},
		{`"multi\nline"`, "multi\nline\n"},
	} {
		diff(t, c.in, format(t, mustParse(t, c.in), Options{Format: "text"}), c.want)
	}
	_, err := Format(mustParse(t, `[{"a":1},2]`), Options{Format: "text"})
	if err == nil || err.Error() != "'int' object has no attribute 'items'" {
		t.Errorf("mixed list: %v", err)
	}
}

func TestTableUnits(t *testing.T) {
	// Banker's rounding: 5 columns of 5 scaled to 37 gives 7.4 each,
	// rounded down to 7, then the shortfall of 2 added to the last ones.
	s := &section{maxWidths: []int{1, 1, 1, 1, 1}}
	if got := s.columnWidths(4, 37); !equalInts(got, []int{7, 7, 7, 8, 8}) {
		t.Errorf("widths = %v", got)
	}
	// 2.5 rounds to 2, 3.5 to 4: surplus taken from the first columns.
	s = &section{maxWidths: []int{1, 3}}
	if got := s.columnWidths(4, 6); !equalInts(got, []int{2, 4}) {
		t.Errorf("widths = %v", got)
	}
	s = &section{maxWidths: []int{2, 2, 2}}
	if got := s.columnWidths(4, 10); !equalInts(got, []int{3, 3, 4}) {
		t.Errorf("widths = %v", got)
	}
	if got := centerText("ab", 10, "|", "|", 2); got != "|   ab   |" {
		t.Errorf("centerText = %q", got)
	}
	if got := alignLeft("abcdefgh", 10, "|", "|", 8); got != "|abcdefgh|" {
		t.Errorf("alignLeft overflow = %q", got)
	}
	if got := alignLeft("abcdefghijk", 10, "", "|", 11); got != "abcdefghijk|" {
		t.Errorf("alignLeft too long = %q", got)
	}

	// Wider than the terminal: single-row sections turn vertical.
	// (The first column is squeezed by the correction: its cells overflow.)
	a40, b40 := strings.Repeat("a", 40), strings.Repeat("b", 40)
	v := mustParse(t, `{"A":"`+a40+`","B":"`+b40+`"}`)
	narrow := format(t, v, Options{Format: "table", Title: "T", Width: 80})
	diff(t, "vertical", narrow, "---------------------------------------------------\n"+
		"|                        T                        |\n"+
		"+---+---------------------------------------------+\n"+
		"|  A|  "+a40+"   |\n"+
		"|  B|  "+b40+"   |\n"+
		"+---+---------------------------------------------+\n")
	wide := format(t, v, Options{Format: "table", Title: "T", Width: 100})
	diff(t, "horizontal", wide, strings.Repeat("-", 90)+"\n"+
		"|"+strings.Repeat(" ", 44)+"T"+strings.Repeat(" ", 43)+"|\n"+
		"+"+strings.Repeat("-", 43)+"+"+strings.Repeat("-", 44)+"+\n"+
		"|"+strings.Repeat(" ", 21)+"A"+strings.Repeat(" ", 21)+"|"+strings.Repeat(" ", 21)+"B"+strings.Repeat(" ", 22)+"|\n"+
		"+"+strings.Repeat("-", 43)+"+"+strings.Repeat("-", 44)+"+\n"+
		"|  "+a40+" |  "+b40+"  |\n"+
		"+"+strings.Repeat("-", 43)+"+"+strings.Repeat("-", 44)+"+\n")

	// A non-TTY file reads as 80 columns.
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if TerminalWidth(f) != 80 || TerminalWidth(nil) != 80 {
		t.Error("TerminalWidth of a file")
	}
	if err := Write(f, v, Options{Format: "table", Title: "T"}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(f.Name())
	diff(t, "file output", string(b), narrow)
	if err := ColoramaAtExit(f, Options{Format: "table", Color: true}); err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(f.Name()); string(b2) != string(b) {
		t.Error("ColoramaAtExit wrote to a file")
	}
}

func TestTableColor(t *testing.T) {
	v := mustParse(t, `{"Pool":{"Id":"p1","Name":"N"}}`)
	// Straight to stdout: colorama's autoreset after every write (outputs
	// of the CLI's TableFormatter through colorama's AnsiToWin32).
	got := format(t, v, Options{Format: "table", Title: "Op", Color: true})
	want := "------------------\n\x1b[0m\x1b[0m|       Op       |\x1b[0m\x1b[0m\n\x1b[0m\x1b[0m+----------------+\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m|     Pool     |\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m+-----+--------+\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m| Id  | Name   |\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m+-----+--------+\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m|  \x1b[1m\x1b[34mp1\x1b[0m |  \x1b[1m\x1b[34mN\x1b[0m     |\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m+-----+--------+\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m"
	diff(t, "colour, autoreset", got, want)

	// Into a pager: the styles only.
	var p pagerLike
	if err := Write(&p, v, Options{Format: "table", Title: "Op", Color: true}); err != nil {
		t.Fatal(err)
	}
	want = "------------------\n|       Op       |\n+----------------+\n\x1b[2m\x1b[33m|\x1b[0m|     Pool     |\x1b[2m\x1b[33m|\x1b[0m\n\x1b[2m\x1b[33m|\x1b[0m+-----+--------+\x1b[2m\x1b[33m|\x1b[0m\n\x1b[2m\x1b[33m|\x1b[0m| Id  | Name   |\x1b[2m\x1b[33m|\x1b[0m\n\x1b[2m\x1b[33m|\x1b[0m+-----+--------+\x1b[2m\x1b[33m|\x1b[0m\n\x1b[2m\x1b[33m|\x1b[0m|  \x1b[1m\x1b[34mp1\x1b[0m |  \x1b[1m\x1b[34mN\x1b[0m     |\x1b[2m\x1b[33m|\x1b[0m\n\x1b[2m\x1b[33m|\x1b[0m+-----+--------+\x1b[2m\x1b[33m|\x1b[0m\n"
	diff(t, "colour, pager", p.String(), want)

	// Colour off: no escapes at all.
	if got := format(t, v, Options{Format: "table", Title: "Op"}); strings.Contains(got, "\x1b") {
		t.Errorf("escapes without colour: %q", got)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
