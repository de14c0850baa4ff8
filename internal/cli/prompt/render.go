package prompt

import (
	"fmt"
	"strings"
)

// Style is how the terminal shows a screen line.
type Style int

// The styles.
const (
	StylePlain    Style = iota
	StyleSelected       // the highlighted suggestion (reverse video)
	StyleDoc            // the doc line (dim)
	StyleStatus         // a message (bold)
)

// ScreenLine is one line of the screen.
type ScreenLine struct {
	Text  string
	Style Style
}

// Screen is what the prompt shows: the prompt line first (Prefix and the
// command line, scrolled sideways to keep the cursor in view), then the
// suggestion rows, then the doc line. No line is wider than width-1
// columns, and there are at most height-1 lines, so the terminal neither
// wraps nor scrolls the prompt line away. Every rune counts as one column.
type Screen struct {
	Lines     []ScreenLine
	CursorCol int // the cursor's column on the first line
}

// Render lays out the screen for a terminal of width × height (80 × 24
// when unknown).
func (e *Editor) Render(width, height int) Screen {
	if width <= 0 || height <= 0 {
		width, height = 80, 24
	}
	var sc Screen
	cols := width - 1
	if cols < 1 {
		cols = 1
	}
	prefix := []rune(Prefix)
	if cols < len(prefix)+4 {
		prefix = nil
	}
	avail := cols - len(prefix)
	// Keep the cursor in view, and as much of the text as fits.
	if e.cur < e.hoff {
		e.hoff = e.cur
	}
	if e.cur-e.hoff > avail {
		e.hoff = e.cur - avail
	}
	if e.hoff > 0 && len(e.buf)-e.hoff < avail {
		e.hoff = max(0, min(e.cur, len(e.buf)-avail))
	}
	end := min(len(e.buf), e.hoff+avail)
	sc.Lines = append(sc.Lines, ScreenLine{Text: string(prefix) + string(e.buf[e.hoff:end])})
	sc.CursorCol = len(prefix) + e.cur - e.hoff

	rows := min(len(e.sugg), MaxMenu, height-3)
	if rows > 0 {
		if e.sel >= 0 {
			if e.sel < e.top {
				e.top = e.sel
			}
			if e.sel >= e.top+rows {
				e.top = e.sel - rows + 1
			}
		}
		e.top = max(0, min(e.top, len(e.sugg)-rows))
		dw := 0
		for _, s := range e.sugg {
			dw = max(dw, len([]rune(s.Display)))
		}
		dw = min(dw, cols/2)
		for i := e.top; i < e.top+rows; i++ {
			s := e.sugg[i]
			text := "  " + pad(s.Display, dw)
			if s.Meta != "" {
				text += "  " + s.Meta
			}
			style := StylePlain
			if i == e.sel {
				style = StyleSelected
			}
			sc.Lines = append(sc.Lines, ScreenLine{Text: clip(text, cols), Style: style})
		}
	}
	doc := e.Doc()
	style := StyleDoc
	if e.status != "" {
		style = StyleStatus
	} else if len(e.sugg) > rows && rows > 0 {
		doc = strings.TrimSpace(fmt.Sprintf("[%d-%d of %d] %s", e.top+1, e.top+rows, len(e.sugg), doc))
	}
	if doc != "" && len(sc.Lines) < height-1 {
		sc.Lines = append(sc.Lines, ScreenLine{Text: clip(doc, cols), Style: style})
	}
	return sc
}

// pad left-aligns s in n columns, clipping it when longer.
func pad(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s + strings.Repeat(" ", n-len(r))
}

// clip cuts s to n columns.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
