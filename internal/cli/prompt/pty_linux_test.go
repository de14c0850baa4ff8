package prompt

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cognate/cognate/internal/model"
)

// pty is a pseudo-terminal: the test types on master, Prompt runs on
// slave.
type pty struct {
	master, slave *os.File
	mu            sync.Mutex
	out           bytes.Buffer
	done          chan struct{}
}

// openPTY opens /dev/ptmx (skipping the test when it cannot) and starts
// reading what the prompt draws.
func openPTY(t *testing.T) *pty {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	var n int
	var ierr error
	// SyscallConn, not Fd: Fd would make master blocking, and its reader
	// could not be stopped by Close.
	rc, err := master.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Control(func(fd uintptr) {
		if ierr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ierr == nil {
			n, ierr = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
		}
	}); err != nil || ierr != nil {
		master.Close()
		t.Skipf("no pseudo-terminal here: %v %v", err, ierr)
	}
	slave, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	p := &pty{master: master, slave: slave, done: make(chan struct{})}
	p.resize(t, 80, 24)
	go func() {
		defer close(p.done)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		slave.Close()
		master.Close()
		<-p.done
	})
	return p
}

func (p *pty) resize(t *testing.T, cols, rows uint16) {
	t.Helper()
	rc, _ := p.slave.SyscallConn()
	var ierr error
	if err := rc.Control(func(fd uintptr) {
		ierr = unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols})
	}); err != nil || ierr != nil {
		t.Fatal(err, ierr)
	}
}

func (p *pty) termios(t *testing.T) *unix.Termios {
	t.Helper()
	rc, _ := p.slave.SyscallConn()
	var tio *unix.Termios
	var ierr error
	if err := rc.Control(func(fd uintptr) { tio, ierr = unix.IoctlGetTermios(int(fd), unix.TCGETS) }); err != nil || ierr != nil {
		t.Fatal(err, ierr)
	}
	return tio
}

func (p *pty) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// waitFor waits until the output holds s after its first skip bytes, and
// returns the offset just after the first such s.
func (p *pty) waitFor(t *testing.T, skip int, s string) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out := p.output()
		skip = min(skip, len(out))
		if i := strings.Index(out[skip:], s); i >= 0 {
			return skip + i + len(s)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the terminal never showed %q; it shows:\n%q", s, p.output())
	return 0
}

func (p *pty) typeIn(t *testing.T, s string) {
	t.Helper()
	if _, err := p.master.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

type result struct {
	args []string
	err  error
}

func (p *pty) start(args ...string) chan result {
	ch := make(chan result, 1)
	go func() {
		a, err := Prompt(model.CognitoIDP(), args, p.slave, p.slave)
		ch <- result{a, err}
	}()
	return ch
}

func wait(t *testing.T, ch chan result) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("Prompt did not return")
	}
	return result{}
}

func TestPromptOnPTY(t *testing.T) {
	p := openPTY(t)
	before := p.termios(t)
	ch := p.start("cognito-idp", "get-log-delivery-configuration", "--cli-auto-prompt")
	n := p.waitFor(t, 0, "> cognate cognito-idp get-log-delivery-configuration ")
	n = p.waitFor(t, n, "--user-pool-id (required)")
	if got := p.termios(t); got.Lflag&unix.ICANON != 0 || got.Lflag&unix.ECHO != 0 {
		t.Error("the terminal is not in raw mode while prompting")
	}
	// Down highlights --user-pool-id; Enter takes it; type the value.
	p.typeIn(t, "\x1b[B")
	n = p.waitFor(t, n, "\x1b[7m  --user-pool-id (required)")
	p.typeIn(t, "\r")
	n = p.waitFor(t, n, "get-log-delivery-configuration --user-pool-id ")
	// A resize redraws.
	p.resize(t, 40, 10)
	if err := syscall.Kill(os.Getpid(), syscall.SIGWINCH); err != nil {
		t.Fatal(err)
	}
	n = p.waitFor(t, n, "> cognate")
	// A lone Esc is the Esc key once nothing follows it for a moment: the
	// draw after the one that shows the text. (Backspace right after it
	// would be Alt-Backspace.)
	p.typeIn(t, "us-east-1_abx\x1b")
	n = p.waitFor(t, n, "us-east-1_abx")
	n = p.waitFor(t, n, seqHideCursor)
	p.typeIn(t, "\x7fc\r")
	r := wait(t, ch)
	if r.err != nil {
		t.Fatal(r.err)
	}
	want := []string{"cognito-idp", "get-log-delivery-configuration", "--user-pool-id", "us-east-1_abc"}
	if !slices.Equal(r.args, want) {
		t.Errorf("args %q, want %q", r.args, want)
	}
	p.waitFor(t, n, "> cognate cognito-idp get-log-delivery-configuration --user-pool-id us-east-1_abc\r\n")
	if after := p.termios(t); *after != *before {
		t.Errorf("terminal not restored:\nbefore %+v\nafter  %+v", before, after)
	}
	if out := p.output(); !strings.Contains(out, seqPasteOn) || !strings.HasSuffix(out, seqPasteOff+seqShowCursor+"> cognate cognito-idp get-log-delivery-configuration --user-pool-id us-east-1_abc\r\n") {
		t.Errorf("the end of the output: %q", out[max(0, len(out)-200):])
	}
}

func TestPromptInterruptOnPTY(t *testing.T) {
	p := openPTY(t)
	before := p.termios(t)

	// Ctrl-C.
	ch := p.start("cognito-idp", "list-users")
	p.waitFor(t, 0, "--user-pool-id (required)")
	p.typeIn(t, "--max-items 5\x03")
	r := wait(t, ch)
	var in *Interrupted
	if !errors.Is(r.err, ErrInterrupted) || !errors.As(r.err, &in) || in.Line != "> cognate cognito-idp list-users --max-items 5" || in.Signal != nil {
		t.Fatalf("Ctrl-C: %v %+v", r.err, in)
	}
	if after := p.termios(t); *after != *before {
		t.Error("terminal not restored after Ctrl-C")
	}

	// Ctrl-D, with a paste.
	n := len(p.output())
	ch = p.start()
	p.waitFor(t, n, "cognito-idp")
	p.typeIn(t, "\x1b[200~cognito-idp\nlist\x1b[201~\x04")
	r = wait(t, ch)
	if !errors.As(r.err, &in) || in.Line != "> cognate cognito-idp list" {
		t.Fatalf("Ctrl-D: %v %+v", r.err, in)
	}

	// SIGTERM while prompting.
	n = len(p.output())
	ch = p.start("cognito-idp")
	p.waitFor(t, n, "admin-add-user-to-group")
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r = wait(t, ch)
	if !errors.As(r.err, &in) || in.Signal != syscall.SIGTERM || in.Line != "> cognate cognito-idp " {
		t.Fatalf("SIGTERM: %v %+v", r.err, in)
	}
	if after := p.termios(t); *after != *before {
		t.Error("terminal not restored after SIGTERM")
	}
}
