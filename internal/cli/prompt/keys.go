package prompt

import (
	"bytes"
	"unicode/utf8"
)

// KeyCode is what a key does in the editor. The decoder maps the bytes of
// a terminal (xterm, VT100 and readline conventions) to these.
type KeyCode int

// The keys the editor knows.
const (
	KeyRune      KeyCode = iota // a printable character (Key.Rune)
	KeyPaste                    // bracketed paste (Key.Text)
	KeyEnter                    // Enter, Ctrl-M, Ctrl-J
	KeyTab                      // Tab, Ctrl-I
	KeyBackTab                  // Shift-Tab
	KeyBackspace                // Backspace, Ctrl-H
	KeyDelete                   // Delete
	KeyLeft                     // Left, Ctrl-B
	KeyRight                    // Right, Ctrl-F
	KeyUp                       // Up, Ctrl-P
	KeyDown                     // Down, Ctrl-N
	KeyHome                     // Home, Ctrl-A
	KeyEnd                      // End, Ctrl-E
	KeyWordLeft                 // Alt-B, Ctrl-Left, Alt-Left
	KeyWordRight                // Alt-F, Ctrl-Right, Alt-Right
	KeyKillStart                // Ctrl-U: delete to the start of the line
	KeyKillEnd                  // Ctrl-K: delete to the end of the line
	KeyKillWord                 // Ctrl-W, Alt-Backspace: delete the word before the cursor
	KeyEscape                   // Esc on its own
	KeyInterrupt                // Ctrl-C
	KeyEOF                      // Ctrl-D
	KeyRedraw                   // Ctrl-L
)

// Key is one decoded key press.
type Key struct {
	Code KeyCode
	Rune rune   // for KeyRune
	Text string // for KeyPaste
}

// maxSeq bounds an escape sequence; longer ones are dropped as garbage.
const maxSeq = 32

// maxPaste bounds a bracketed paste that never ends.
const maxPaste = 1 << 20

// pasteEnd ends a bracketed paste (which Esc [ 200 ~ starts).
var pasteEnd = []byte("\x1b[201~")

// Decoder turns terminal input into keys. Feed it bytes as they come:
// it returns the keys they complete and keeps an unfinished sequence (a
// lone Esc, a partial escape sequence or UTF-8 character) for the next
// call. The result never depends on how the bytes are split between calls;
// only Flush, which the terminal loop calls when no byte has followed for
// a moment, decides that a pending Esc was the Esc key.
type Decoder struct {
	buf     []byte
	inPaste bool
	paste   []byte
}

// Pending reports whether bytes wait for more input to be understood.
func (d *Decoder) Pending() bool { return len(d.buf) > 0 && !d.inPaste }

// Feed adds input and returns the keys it completes.
func (d *Decoder) Feed(p []byte) []Key {
	d.buf = append(d.buf, p...)
	var keys []Key
	for len(d.buf) > 0 {
		k, n, ok := d.next()
		if n == 0 {
			break // needs more input
		}
		d.buf = d.buf[n:]
		if ok {
			keys = append(keys, k)
		}
	}
	if len(d.buf) == 0 {
		d.buf = nil
	}
	return keys
}

// Flush treats pending bytes as complete: a lone Esc is the Esc key, an
// Esc before an unfinished sequence is Esc followed by the sequence's
// characters typed one by one, a partial UTF-8 character is dropped. A
// paste in progress is not ended.
func (d *Decoder) Flush() []Key {
	if d.inPaste || len(d.buf) == 0 {
		return nil
	}
	b := d.buf
	d.buf = nil
	var keys []Key
	if b[0] == 0x1b {
		keys = append(keys, Key{Code: KeyEscape})
		b = b[1:]
	}
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		if r != utf8.RuneError && r >= 0x20 && r != 0x7f {
			keys = append(keys, Key{Code: KeyRune, Rune: r})
		}
	}
	return keys
}

// next decodes one key from the front of d.buf: the key, how many bytes
// it used (0: more input needed) and whether it is a key at all (false:
// bytes dropped, such as an unknown sequence).
func (d *Decoder) next() (Key, int, bool) {
	b := d.buf
	if d.inPaste {
		return d.nextPaste()
	}
	c := b[0]
	switch {
	case c == 0x1b:
		return d.escape()
	case c < 0x20 || c == 0x7f:
		k, ok := control(c)
		return k, 1, ok
	case c < 0x80:
		return Key{Code: KeyRune, Rune: rune(c)}, 1, true
	}
	if !utf8.FullRune(b) {
		return Key{}, 0, false
	}
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError || (r >= 0x80 && r < 0xa0) {
		return Key{}, n, false // invalid UTF-8 or a C1 control
	}
	return Key{Code: KeyRune, Rune: r}, n, true
}

// nextPaste collects pasted bytes until the end marker, or until the paste
// holds maxPaste bytes.
func (d *Decoder) nextPaste() (Key, int, bool) {
	b := d.buf
	room := maxPaste - len(d.paste)
	window := b[:min(len(b), room+len(pasteEnd))]
	if i := bytes.Index(window, pasteEnd); i >= 0 {
		d.paste = append(d.paste, b[:i]...)
		return d.endPaste(), i + len(pasteEnd), true
	}
	if len(b) >= room+len(pasteEnd) {
		d.paste = append(d.paste, b[:room]...)
		return d.endPaste(), room, true
	}
	// Keep what might be the start of the end marker.
	keep := 0
	for k := min(len(pasteEnd)-1, len(b)); k > 0; k-- {
		if bytes.HasPrefix(pasteEnd, b[len(b)-k:]) {
			keep = k
			break
		}
	}
	take := min(len(b)-keep, room)
	if take == 0 {
		return Key{}, 0, false
	}
	d.paste = append(d.paste, b[:take]...)
	return Key{}, take, false
}

func (d *Decoder) endPaste() Key {
	text := string(bytes.ToValidUTF8(d.paste, nil))
	d.inPaste, d.paste = false, nil
	return Key{Code: KeyPaste, Text: text}
}

// control maps a C0 control byte.
func control(c byte) (Key, bool) {
	code, ok := map[byte]KeyCode{
		0x01: KeyHome, 0x02: KeyLeft, 0x03: KeyInterrupt, 0x04: KeyEOF,
		0x05: KeyEnd, 0x06: KeyRight, 0x08: KeyBackspace, 0x09: KeyTab,
		0x0a: KeyEnter, 0x0b: KeyKillEnd, 0x0c: KeyRedraw, 0x0d: KeyEnter,
		0x0e: KeyDown, 0x10: KeyUp, 0x15: KeyKillStart, 0x17: KeyKillWord,
		0x7f: KeyBackspace,
	}[c]
	return Key{Code: code}, ok
}

// escape decodes a sequence that starts with Esc.
func (d *Decoder) escape() (Key, int, bool) {
	b := d.buf
	if len(b) < 2 {
		return Key{}, 0, false
	}
	switch b[1] {
	case '[':
		return d.csi()
	case 'O': // SS3: application-mode cursor keys
		if len(b) < 3 {
			return Key{}, 0, false
		}
		code, ok := map[byte]KeyCode{'A': KeyUp, 'B': KeyDown, 'C': KeyRight, 'D': KeyLeft, 'H': KeyHome, 'F': KeyEnd}[b[2]]
		return Key{Code: code}, 3, ok
	case 'b', 'B':
		return Key{Code: KeyWordLeft}, 2, true
	case 'f', 'F':
		return Key{Code: KeyWordRight}, 2, true
	case 0x7f, 0x08:
		return Key{Code: KeyKillWord}, 2, true
	case 0x1b:
		// Esc Esc: the first is the Esc key.
		return Key{Code: KeyEscape}, 1, true
	}
	// Alt with anything else: ignored, except that a control key after
	// Esc keeps its meaning (Esc then Enter is Enter).
	if b[1] < 0x20 {
		return Key{Code: KeyEscape}, 1, true
	}
	if b[1] >= 0x80 {
		if !utf8.FullRune(b[1:]) {
			return Key{}, 0, false
		}
		_, n := utf8.DecodeRune(b[1:])
		return Key{}, 1 + n, false
	}
	return Key{}, 2, false
}

// csi decodes Esc [ parameters intermediates final. A sequence without
// its final byte in the first maxSeq bytes is dropped (maxSeq bytes), so
// that the result does not depend on how the input was split.
func (d *Decoder) csi() (Key, int, bool) {
	b := d.buf
	limit := min(len(b), maxSeq)
	i := 2
	for i < limit && b[i] >= 0x30 && b[i] <= 0x3f {
		i++
	}
	for i < limit && b[i] >= 0x20 && b[i] <= 0x2f {
		i++
	}
	if i == maxSeq {
		return Key{}, i, false
	}
	if i >= len(b) {
		return Key{}, 0, false
	}
	final := b[i]
	if final < 0x40 || final > 0x7e {
		// Not a sequence: drop "Esc [" and decode the rest as typed.
		return Key{}, 2, false
	}
	n := i + 1
	params := string(b[2:i])
	if final == '~' {
		switch params {
		case "200":
			d.inPaste = true
			return Key{}, n, false
		case "1", "7":
			return Key{Code: KeyHome}, n, true
		case "4", "8":
			return Key{Code: KeyEnd}, n, true
		case "3":
			return Key{Code: KeyDelete}, n, true
		}
		return Key{}, n, false
	}
	mod := ""
	if params != "" {
		// "1;5" (Ctrl), "1;3" (Alt): the modifier after the semicolon.
		if j := bytes.IndexByte(b[2:i], ';'); j >= 0 {
			mod = string(b[2+j+1 : i])
		} else if params != "1" {
			return Key{}, n, false
		}
	}
	word := mod == "3" || mod == "5"
	switch final {
	case 'A':
		return Key{Code: KeyUp}, n, true
	case 'B':
		return Key{Code: KeyDown}, n, true
	case 'C':
		if word {
			return Key{Code: KeyWordRight}, n, true
		}
		return Key{Code: KeyRight}, n, true
	case 'D':
		if word {
			return Key{Code: KeyWordLeft}, n, true
		}
		return Key{Code: KeyLeft}, n, true
	case 'H':
		return Key{Code: KeyHome}, n, true
	case 'F':
		return Key{Code: KeyEnd}, n, true
	case 'Z':
		return Key{Code: KeyBackTab}, n, true
	}
	return Key{}, n, false
}
