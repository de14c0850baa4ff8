package prompt

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/cognate/cognate/internal/model"
)

// Prefix is what the prompt line starts with, before the command line
// (which holds the arguments after the program name). It is the AWS CLI's
// "> aws " with Cognate's own name, the name users run.
const Prefix = "> cognate "

// Action is what the terminal loop does after a key.
type Action int

// The actions.
const (
	ActionNone   Action = iota // keep prompting
	ActionAccept               // the line is done: run it
	ActionCancel               // Ctrl-C or Ctrl-D: give up
)

// Editor is the prompt's state machine: keys in (Handle), screen out
// (Render). It does no I/O.
type Editor struct {
	cat  *catalog
	buf  []rune
	cur  int // cursor, a rune offset in buf
	sel  int // highlighted suggestion, -1 for none
	top  int // first suggestion shown
	hoff int // first rune of buf shown (horizontal scroll)

	sugg       []Suggestion
	from, to   int    // runes of buf a suggestion replaces
	contextDoc string // doc line when nothing is highlighted
	status     string // a message that replaces the doc line until the next edit
	confirmed  string // the line Enter was pressed on despite a warning
}

// MaxMenu is the most suggestion rows shown at once (fewer on a short
// terminal).
const MaxMenu = 10

// NewEditor starts an editor on the AWS CLI's starting line for args
// (the arguments after the program name): each argument shell-quoted, the
// first --cli-auto-prompt removed, joined by spaces, the cursor at the end.
// A space is added when the last word is complete (nothing completes it,
// or it is a whole name: "list-users", not "list-us"), so that the list
// shows what comes next.
func NewEditor(m *model.Model, args []string) *Editor {
	if i := slices.Index(args, "--cli-auto-prompt"); i >= 0 {
		args = slices.Delete(slices.Clone(args), i, i+1)
	}
	e := &Editor{cat: newCatalog(m), buf: []rune(joinArgs(args)), sel: -1}
	e.cur = len(e.buf)
	e.refresh()
	if len(e.buf) > 0 && !isSpace(e.buf[len(e.buf)-1]) {
		frag := ""
		if ws := words(e.buf); len(ws) > 0 {
			frag = ws[len(ws)-1].value
		}
		if len(e.sugg) == 0 || slices.ContainsFunc(e.sugg, func(s Suggestion) bool { return s.Text == frag }) {
			e.buf = append(e.buf, ' ')
			e.cur = len(e.buf)
			e.refresh()
		}
	}
	return e
}

// Line is the command line as typed.
func (e *Editor) Line() string { return string(e.buf) }

// Cursor is the cursor's rune offset in Line.
func (e *Editor) Cursor() int { return e.cur }

// Args splits the line into arguments as shlex.split does.
func (e *Editor) Args() ([]string, error) { return split(string(e.buf)) }

// Suggestions is the current suggestion list.
func (e *Editor) Suggestions() []Suggestion { return e.sugg }

// Selected is the highlighted suggestion's index, or -1.
func (e *Editor) Selected() int { return e.sel }

// Status is the message shown instead of the doc line, if any.
func (e *Editor) Status() string { return e.status }

// Doc is the doc line: the status message, else the highlighted
// suggestion's doc, else the context's (the option being given a value,
// else the operation).
func (e *Editor) Doc() string {
	switch {
	case e.status != "":
		return e.status
	case e.sel >= 0:
		s := &e.sugg[e.sel]
		if s.Doc == "" && s.cmd != nil {
			s.Doc = e.cat.commandDoc(e.cat.command(s.cmd.name))
		}
		return s.Doc
	}
	return e.contextDoc
}

// refresh recomputes the suggestions for the text before the cursor and
// clears the highlight.
func (e *Editor) refresh() {
	e.sel, e.top = -1, 0
	before := words(e.buf[:e.cur])
	e.from, e.to = e.cur, e.cur
	frag := ""
	if len(before) > 0 && before[len(before)-1].end == e.cur {
		last := before[len(before)-1]
		before = before[:len(before)-1]
		frag = last.value
		e.from = last.start
		// Replace the whole word the cursor is in.
		for _, w := range words(e.buf) {
			if w.start == last.start {
				e.to = w.end
			}
		}
	}
	a := e.cat.analyse(before)
	e.sugg, e.contextDoc = e.cat.suggest(a, frag)
}

// edited is called after every change of the text.
func (e *Editor) edited() {
	e.status, e.confirmed = "", ""
	e.refresh()
}

// Handle applies one key.
func (e *Editor) Handle(k Key) Action {
	switch k.Code {
	case KeyRune:
		if unicode.IsPrint(k.Rune) || k.Rune == ' ' {
			e.insert([]rune{k.Rune})
		}
	case KeyPaste:
		var rs []rune
		for _, r := range k.Text {
			switch {
			case r == '\n' || r == '\r' || r == '\t':
				rs = append(rs, ' ')
			case unicode.IsPrint(r) || r == ' ':
				rs = append(rs, r)
			}
		}
		e.insert(rs)
	case KeyBackspace:
		if e.cur > 0 {
			e.buf = slices.Delete(e.buf, e.cur-1, e.cur)
			e.cur--
			e.edited()
		}
	case KeyDelete:
		if e.cur < len(e.buf) {
			e.buf = slices.Delete(e.buf, e.cur, e.cur+1)
			e.edited()
		}
	case KeyLeft:
		e.move(e.cur - 1)
	case KeyRight:
		e.move(e.cur + 1)
	case KeyHome:
		e.move(0)
	case KeyEnd:
		e.move(len(e.buf))
	case KeyWordLeft:
		i := e.cur
		for i > 0 && isSpace(e.buf[i-1]) {
			i--
		}
		for i > 0 && !isSpace(e.buf[i-1]) {
			i--
		}
		e.move(i)
	case KeyWordRight:
		i := e.cur
		for i < len(e.buf) && isSpace(e.buf[i]) {
			i++
		}
		for i < len(e.buf) && !isSpace(e.buf[i]) {
			i++
		}
		e.move(i)
	case KeyKillStart:
		if e.cur > 0 {
			e.buf = slices.Delete(e.buf, 0, e.cur)
			e.cur = 0
			e.edited()
		}
	case KeyKillEnd:
		if e.cur < len(e.buf) {
			e.buf = e.buf[:e.cur]
			e.edited()
		}
	case KeyKillWord:
		i := e.cur
		for i > 0 && isSpace(e.buf[i-1]) {
			i--
		}
		for i > 0 && !isSpace(e.buf[i-1]) {
			i--
		}
		if i < e.cur {
			e.buf = slices.Delete(e.buf, i, e.cur)
			e.cur = i
			e.edited()
		}
	case KeyDown:
		e.step(+1)
	case KeyUp:
		e.step(-1)
	case KeyBackTab:
		e.step(-1)
	case KeyTab:
		e.tab()
	case KeyEscape:
		e.sel = -1
		e.status = ""
	case KeyEnter:
		if e.sel >= 0 {
			e.accept(e.sugg[e.sel])
			return ActionNone
		}
		return e.finish()
	case KeyInterrupt, KeyEOF:
		return ActionCancel
	}
	return ActionNone
}

func (e *Editor) insert(rs []rune) {
	if len(rs) == 0 {
		return
	}
	e.buf = slices.Insert(e.buf, e.cur, rs...)
	e.cur += len(rs)
	e.edited()
}

func (e *Editor) move(to int) {
	to = max(0, min(to, len(e.buf)))
	if to != e.cur {
		e.cur = to
		e.status = ""
		e.refresh()
	}
}

// step moves the highlight through none, 0 … n-1, none.
func (e *Editor) step(d int) {
	n := len(e.sugg)
	if n == 0 {
		return
	}
	e.sel += d
	if e.sel >= n {
		e.sel = -1
	} else if e.sel < -1 {
		e.sel = n - 1
	}
}

// tab accepts the highlighted suggestion, else the only one, else
// completes the suggestions' common prefix, else highlights the first.
func (e *Editor) tab() {
	switch {
	case len(e.sugg) == 0:
	case e.sel >= 0:
		e.accept(e.sugg[e.sel])
	case len(e.sugg) == 1:
		e.accept(e.sugg[0])
	default:
		frag := e.fragment()
		p := e.sugg[0].Text
		for _, s := range e.sugg[1:] {
			p = commonPrefix(p, s.Text)
		}
		if len(p) > len(frag) && hasPrefix(p, frag) {
			e.replace(p, false)
		} else {
			e.sel = 0
		}
	}
}

// fragment is the unquoted word before the cursor that suggestions replace.
func (e *Editor) fragment() string {
	ws := words(e.buf[:e.cur])
	if len(ws) > 0 && ws[len(ws)-1].end == e.cur {
		return ws[len(ws)-1].value
	}
	return ""
}

func commonPrefix(a, b string) string {
	ar, br := []rune(a), []rune(b)
	n := 0
	for n < len(ar) && n < len(br) && ar[n] == br[n] {
		n++
	}
	return string(ar[:n])
}

// accept puts a suggestion in place of the word being typed, followed by
// a space.
func (e *Editor) accept(s Suggestion) { e.replace(s.Text, true) }

// replace puts text (quoted for the shell) in place of the word being
// typed; with space, a space follows unless one is already there.
func (e *Editor) replace(text string, space bool) {
	q := []rune(quote(text))
	e.buf = slices.Replace(e.buf, e.from, e.to, q...)
	e.cur = e.from + len(q)
	if space {
		if e.cur < len(e.buf) && isSpace(e.buf[e.cur]) {
			e.cur++
		} else {
			e.buf = slices.Insert(e.buf, e.cur, ' ')
			e.cur++
		}
	}
	e.edited()
}

// finish checks the line before it is run: an open quote keeps the
// prompt; a missing operation or required option is reported once, and a
// second Enter on the same line runs it anyway (the CLI then reports it as
// the AWS CLI would).
func (e *Editor) finish() Action {
	args, err := e.Args()
	if err != nil {
		e.status = "cannot run: " + err.Error()
		return ActionNone
	}
	line := string(e.buf)
	if e.confirmed == line {
		return ActionAccept
	}
	a := e.cat.analyse(words(e.buf))
	var problem string
	switch {
	case a.help:
	case len(args) > 0 && a.bad:
		problem = "unknown command"
	case a.level < 2:
		problem = "no operation given"
	default:
		if miss := a.missing(); len(miss) > 0 {
			problem = "missing required " + strings.Join(miss, " ")
		}
	}
	if problem == "" {
		return ActionAccept
	}
	e.status = fmt.Sprintf("%s; Enter again to run anyway", problem)
	e.confirmed = line
	return ActionNone
}
