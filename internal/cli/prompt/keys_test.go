package prompt

import (
	"reflect"
	"strings"
	"testing"
)

func decodeAll(in string) []Key {
	var d Decoder
	keys := d.Feed([]byte(in))
	return append(keys, d.Flush()...)
}

func codes(keys []Key) []KeyCode {
	out := make([]KeyCode, len(keys))
	for i, k := range keys {
		out[i] = k.Code
	}
	return out
}

func TestDecoder(t *testing.T) {
	cases := map[string][]Key{
		"aé€😀":                                 {{Code: KeyRune, Rune: 'a'}, {Code: KeyRune, Rune: 'é'}, {Code: KeyRune, Rune: '€'}, {Code: KeyRune, Rune: '😀'}},
		"\r\n\t":                               {{Code: KeyEnter}, {Code: KeyEnter}, {Code: KeyTab}},
		"\x7f\x08":                             {{Code: KeyBackspace}, {Code: KeyBackspace}},
		"\x01\x05\x02\x06":                     {{Code: KeyHome}, {Code: KeyEnd}, {Code: KeyLeft}, {Code: KeyRight}},
		"\x03\x04\x0c":                         {{Code: KeyInterrupt}, {Code: KeyEOF}, {Code: KeyRedraw}},
		"\x15\x0b\x17":                         {{Code: KeyKillStart}, {Code: KeyKillEnd}, {Code: KeyKillWord}},
		"\x0e\x10":                             {{Code: KeyDown}, {Code: KeyUp}},
		"\x1a\x00\x1f":                         nil, // other controls are ignored
		"\x1b[A\x1b[B\x1b[C\x1b[D":             {{Code: KeyUp}, {Code: KeyDown}, {Code: KeyRight}, {Code: KeyLeft}},
		"\x1bOA\x1bOB\x1bOC\x1bOD\x1bOH\x1bOF": {{Code: KeyUp}, {Code: KeyDown}, {Code: KeyRight}, {Code: KeyLeft}, {Code: KeyHome}, {Code: KeyEnd}},
		"\x1b[H\x1b[F\x1b[1~\x1b[4~\x1b[7~\x1b[8~": {{Code: KeyHome}, {Code: KeyEnd}, {Code: KeyHome}, {Code: KeyEnd}, {Code: KeyHome}, {Code: KeyEnd}},
		"\x1b[3~\x1b[Z": {{Code: KeyDelete}, {Code: KeyBackTab}},
		"\x1b[1;5C\x1b[1;5D\x1b[1;3C\x1b[1;3D\x1b[1;2C": {{Code: KeyWordRight}, {Code: KeyWordLeft}, {Code: KeyWordRight}, {Code: KeyWordLeft}, {Code: KeyRight}},
		"\x1bb\x1bf\x1b\x7f":                            {{Code: KeyWordLeft}, {Code: KeyWordRight}, {Code: KeyKillWord}},
		"\x1b":                                          {{Code: KeyEscape}},
		"\x1b\x1b[A":                                    {{Code: KeyEscape}, {Code: KeyUp}},
		"\x1b\r":                                        {{Code: KeyEscape}, {Code: KeyEnter}},
		"\x1bx\x1bé":                                    nil, // other Alt keys are ignored
		"\x1b[15~\x1b[?1;2c\x1b[99X":                    nil, // unknown sequences are dropped
		"\x1b[\x01x":                                    {{Code: KeyHome}, {Code: KeyRune, Rune: 'x'}},
		"\x1b[200~a\r\nb\x1b[201~c":                     {{Code: KeyPaste, Text: "a\r\nb"}, {Code: KeyRune, Rune: 'c'}},
		"\x1b[200~\x1b[A\x03\x1b[201~":                  {{Code: KeyPaste, Text: "\x1b[A\x03"}},
		"\xff\xfea\xc3":                                 {{Code: KeyRune, Rune: 'a'}}, // invalid UTF-8 is dropped
		"\xc2\x85":                                      nil,                          // a C1 control
	}
	for in, want := range cases {
		if got := decodeAll(in); !reflect.DeepEqual(got, want) {
			t.Errorf("decode(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestDecoderPending(t *testing.T) {
	var d Decoder
	if k := d.Feed([]byte("\x1b")); k != nil || !d.Pending() {
		t.Fatal("lone Esc must wait")
	}
	if k := d.Feed([]byte("[")); k != nil || !d.Pending() {
		t.Fatal("Esc [ must wait")
	}
	if k := d.Feed([]byte("1;5")); k != nil || !d.Pending() {
		t.Fatal("Esc [ 1 ; 5 must wait")
	}
	if k := d.Feed([]byte("D")); !reflect.DeepEqual(codes(k), []KeyCode{KeyWordLeft}) || d.Pending() {
		t.Fatalf("got %v", k)
	}
	// A partial UTF-8 character waits too; Flush drops it.
	if k := d.Feed([]byte{0xe2, 0x82}); k != nil || !d.Pending() {
		t.Fatal("partial UTF-8 must wait")
	}
	if k := d.Flush(); k != nil || d.Pending() {
		t.Fatalf("flushed %v", k)
	}
	// Flush after Esc and a partial sequence: Esc, then the characters.
	d.Feed([]byte("\x1b[1"))
	if k := d.Flush(); !reflect.DeepEqual(k, []Key{{Code: KeyEscape}, {Code: KeyRune, Rune: '['}, {Code: KeyRune, Rune: '1'}}) {
		t.Fatalf("flushed %v", k)
	}
	// A paste in progress is not pending and survives Flush.
	d.Feed([]byte("\x1b[200~abc\x1b[20"))
	if d.Pending() || d.Flush() != nil {
		t.Fatal("paste flushed")
	}
	if k := d.Feed([]byte("1~")); !reflect.DeepEqual(k, []Key{{Code: KeyPaste, Text: "abc"}}) {
		t.Fatalf("paste %v", k)
	}
	// Overlong sequences are dropped after maxSeq bytes.
	long := "\x1b[" + strings.Repeat("1", 40) + "~x"
	if k := decodeAll(long); len(k) != 0 && k[len(k)-1] != (Key{Code: KeyRune, Rune: 'x'}) {
		t.Fatalf("overlong: %v", k)
	}
	// A paste that never ends stops at maxPaste bytes; the rest is typed.
	huge := "\x1b[200~" + strings.Repeat("a", maxPaste+10)
	k := decodeAll(huge)
	if len(k) != 11 || k[0].Code != KeyPaste || len(k[0].Text) != maxPaste || k[10] != (Key{Code: KeyRune, Rune: 'a'}) {
		t.Fatalf("huge paste: %d keys", len(k))
	}
}

// FuzzDecoder feeds any bytes: no panic, and the keys do not depend on
// how the input is split (fed whole, byte by byte, or in two parts).
func FuzzDecoder(f *testing.F) {
	for _, s := range []string{"abc", "\x1b[A\x1b", "\x1b[200~x\x1b[201~", "\x1b[1;5C", "\x1bOH", "é\x1b\x1b[3~", "\x1b[" + strings.Repeat("9", 40) + "~",
		"\x1b[200~\x1b[20\x1b[201~", "\xe2\x82\xac\xff", "\x1b\xc3\xa9", "\x1b[\x01"} {
		f.Add([]byte(s), uint8(1))
	}
	f.Fuzz(func(t *testing.T, in []byte, cut uint8) {
		var whole Decoder
		want := whole.Feed(in)
		want = append(want, whole.Flush()...)

		var bytewise Decoder
		var got []Key
		for i := range in {
			got = append(got, bytewise.Feed(in[i:i+1])...)
		}
		got = append(got, bytewise.Flush()...)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("byte by byte %+v, whole %+v", got, want)
		}

		c := int(cut) % (len(in) + 1)
		var two Decoder
		got = append(two.Feed(in[:c]), two.Feed(in[c:])...)
		got = append(got, two.Flush()...)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("split at %d %+v, whole %+v", c, got, want)
		}

		// Every key drives the editor without a panic.
		e := newEd("cognito-idp", "list-users")
		for _, k := range want {
			e.Handle(k)
			e.Render(30, 6)
		}
	})
}
