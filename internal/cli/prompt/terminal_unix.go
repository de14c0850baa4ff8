//go:build unix

package prompt

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"github.com/cognate/cognate/internal/model"
)

// escTimeout is how long (ms) a lone Esc waits for the rest of a sequence.
const escTimeout = 100

// Terminal control sequences (ECMA-48 / xterm).
const (
	seqClearDown   = "\x1b[J"
	seqHideCursor  = "\x1b[?25l"
	seqShowCursor  = "\x1b[?25h"
	seqPasteOn     = "\x1b[?2004h"
	seqPasteOff    = "\x1b[?2004l"
	seqClearScreen = "\x1b[H\x1b[2J"
	seqReset       = "\x1b[0m"
)

var styleSeq = map[Style]string{StyleSelected: "\x1b[7m", StyleDoc: "\x1b[2m", StyleStatus: "\x1b[1m"}

// Prompt runs the interactive prompt on a terminal, starting from the
// command line typed so far (args without the program name, e.g.
// ["cognito-idp", "set-log-delivery-configuration", "--user-pool-id", "x"]).
// in and out must be terminals (else an error matching ErrNotTerminal).
// The terminal is in raw mode while the prompt runs and restored on every
// way out. On Enter on a line that can run, Prompt erases its lines, writes
// Prefix, the line and a newline to out (as the AWS CLI echoes the command
// it runs) and returns the line split into arguments. On Ctrl-C or Ctrl-D,
// or SIGINT, SIGTERM or SIGHUP, it erases its lines and returns an
// *Interrupted (errors.Is ErrInterrupted) and writes nothing more.
func Prompt(m *model.Model, args []string, in *os.File, out *os.File) ([]string, error) {
	for _, f := range []*os.File{in, out} {
		if f == nil || !term.IsTerminal(int(f.Fd())) {
			name := "(none)"
			if f != nil {
				name = f.Name()
			}
			return nil, fmt.Errorf("%w: %s is not a terminal", ErrNotTerminal, name)
		}
	}
	return run(NewEditor(m, args), in, out)
}

// session is one run of the prompt on a terminal.
type session struct {
	ed           *Editor
	inFd, outFd  int
	out          *os.File
	wakeR, wakeW int
	sigs         chan os.Signal
	got          chan os.Signal
	done         chan struct{}
	wg           sync.WaitGroup
}

func run(ed *Editor, in, out *os.File) (args []string, err error) {
	s := &session{ed: ed, inFd: int(in.Fd()), outFd: int(out.Fd()), out: out}
	old, err := term.MakeRaw(s.inFd)
	if err != nil {
		return nil, fmt.Errorf("auto-prompt: %w", err)
	}
	restored := false
	restore := func() {
		if !restored {
			restored = true
			_, _ = out.WriteString("\r" + seqClearDown + seqReset + seqPasteOff + seqShowCursor)
			_ = term.Restore(s.inFd, old)
		}
	}
	defer restore()

	var p [2]int
	if err := unix.Pipe(p[:]); err != nil {
		return nil, fmt.Errorf("auto-prompt: %w", err)
	}
	for _, fd := range p {
		unix.CloseOnExec(fd)
		_ = unix.SetNonblock(fd, true)
	}
	s.wakeR, s.wakeW = p[0], p[1]
	s.sigs, s.got, s.done = make(chan os.Signal, 8), make(chan os.Signal, 8), make(chan struct{})
	signal.Notify(s.sigs, syscall.SIGWINCH, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	s.wg.Add(1)
	go s.forward()
	defer func() {
		signal.Stop(s.sigs)
		close(s.done)
		s.wg.Wait()
		unix.Close(s.wakeR)
		unix.Close(s.wakeW)
	}()

	if _, err := out.WriteString(seqPasteOn); err != nil {
		return nil, err
	}
	action, sig, err := s.loop()
	line := ed.Line()
	restore()
	if err != nil {
		return nil, err
	}
	switch action {
	case ActionAccept:
		args, err := ed.Args()
		if err != nil {
			return nil, err
		}
		if _, err := out.WriteString(Prefix + line + "\n"); err != nil {
			return nil, err
		}
		return args, nil
	default:
		return nil, &Interrupted{Line: Prefix + line, Signal: sig}
	}
}

// forward passes signals to the loop and wakes its poll.
func (s *session) forward() {
	defer s.wg.Done()
	for {
		select {
		case sig := <-s.sigs:
			select {
			case s.got <- sig:
			default:
			}
			_, _ = unix.Write(s.wakeW, []byte{0})
		case <-s.done:
			return
		}
	}
}

// loop reads keys until the editor accepts or cancels.
func (s *session) loop() (Action, os.Signal, error) {
	var dec Decoder
	buf := make([]byte, 4096)
	if err := s.draw(false); err != nil {
		return ActionNone, nil, err
	}
	for {
		timeout := -1
		if dec.Pending() {
			timeout = escTimeout
		}
		fds := []unix.PollFd{{Fd: int32(s.inFd), Events: unix.POLLIN}, {Fd: int32(s.wakeR), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, timeout)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return ActionNone, nil, fmt.Errorf("auto-prompt: %w", err)
		}
		var keys []Key
		redraw := false
		if n == 0 {
			keys = dec.Flush()
		}
		if fds[1].Revents != 0 {
			var junk [64]byte
			_, _ = unix.Read(s.wakeR, junk[:])
		drain:
			for {
				select {
				case sig := <-s.got:
					if sig == syscall.SIGWINCH {
						redraw = true
						continue
					}
					return ActionCancel, sig, nil
				default:
					break drain
				}
			}
		}
		if fds[0].Revents != 0 {
			r, err := unix.Read(s.inFd, buf)
			if errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN) {
				continue
			}
			if err != nil || r == 0 {
				// The terminal is gone: like Ctrl-D.
				return ActionCancel, nil, nil
			}
			keys = append(keys, dec.Feed(buf[:r])...)
		}
		clear := false
		for _, k := range keys {
			if k.Code == KeyRedraw {
				clear = true
				continue
			}
			if a := s.ed.Handle(k); a != ActionNone {
				return a, nil, nil
			}
			redraw = true
		}
		if redraw || clear {
			if err := s.draw(clear); err != nil {
				return ActionNone, nil, err
			}
		}
	}
}

// draw paints the editor's screen from the prompt line down and puts the
// cursor back on the prompt line.
func (s *session) draw(clearScreen bool) error {
	w, h, err := term.GetSize(s.outFd)
	if err != nil {
		w, h = 0, 0
	}
	sc := s.ed.Render(w, h)
	var b strings.Builder
	b.WriteString(seqHideCursor)
	if clearScreen {
		b.WriteString(seqClearScreen)
	}
	b.WriteString("\r" + seqClearDown)
	for i, l := range sc.Lines {
		if i > 0 {
			b.WriteString("\r\n")
		}
		if seq := styleSeq[l.Style]; seq != "" {
			b.WriteString(seq + l.Text + seqReset)
		} else {
			b.WriteString(l.Text)
		}
	}
	if n := len(sc.Lines) - 1; n > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", n)
	}
	b.WriteString("\r")
	if sc.CursorCol > 0 {
		fmt.Fprintf(&b, "\x1b[%dC", sc.CursorCol)
	}
	b.WriteString(seqShowCursor)
	_, err = s.out.WriteString(b.String())
	return err
}
