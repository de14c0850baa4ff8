//go:build linux

package output

import (
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/term"
)

// openPTY opens a pseudo-terminal of the given width; the test reads what
// is written to the terminal (raw mode) from the master side.
func openPTY(t *testing.T, cols int) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	ioctl := func(f *os.File, req uintptr, arg unsafe.Pointer) error {
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), req, uintptr(arg)); e != 0 {
			return e
		}
		return nil
	}
	var unlock int32
	if err := ioctl(m, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	var n uint32
	if err := ioctl(m, syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		t.Skipf("ptsname: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pts: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	ws := struct{ rows, cols, x, y uint16 }{24, uint16(cols), 0, 0}
	if err := ioctl(s, syscall.TIOCSWINSZ, unsafe.Pointer(&ws)); err != nil {
		t.Skipf("TIOCSWINSZ: %v", err)
	}
	if _, err := term.MakeRaw(int(s.Fd())); err != nil {
		t.Skipf("raw mode: %v", err)
	}
	return m, s
}

func readN(t *testing.T, r io.Reader, n int) string {
	t.Helper()
	buf := make([]byte, n)
	done := make(chan error, 1)
	go func() {
		_, err := io.ReadFull(r, buf)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("timed out reading the terminal")
	}
	return string(buf)
}

func TestTerminal(t *testing.T) {
	master, tty := openPTY(t, 200)
	if got := TerminalWidth(tty); got != 200 {
		t.Fatalf("TerminalWidth = %d", got)
	}
	in := mustParse(t, readTestdata(t, "spec_input.json"))
	want := readTestdata(t, "spec_table_200.golden")
	// Width 0: detected from the terminal the table is written to.
	if err := Write(tty, in, Options{Format: "table", Title: "GetLogDeliveryConfiguration"}); err != nil {
		t.Fatal(err)
	}
	diff(t, "table on a 200-column terminal", readN(t, master, len(want)), want)

	// The pager is used on a terminal; the table still measures the
	// terminal behind it.
	p := NewPager(tty, ptr("cat"), false)
	if !p.Paging() {
		t.Fatal("no pager on a terminal")
	}
	if got := terminalWidth(p, 0); got != 200 {
		t.Errorf("width through the pager = %d", got)
	}
	if p2 := NewPager(tty, ptr("cat"), true); p2.Paging() {
		t.Error("--no-cli-pager ignored")
	}

	// colorama's exit handler resets the terminal after a coloured table.
	if err := ColoramaAtExit(tty, Options{Format: "table", Color: true}); err != nil {
		t.Fatal(err)
	}
	if got := readN(t, master, len(ResetAll)); got != ResetAll {
		t.Errorf("at exit: %q", got)
	}
}
