package awsclient

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Logger writes --debug lines in the AWS CLI's format (awscli/clidriver.py
// LOG_FORMAT): "%(asctime)s - %(threadName)s - %(name)s - %(levelname)s -
// %(message)s", asctime being local time as "2006-01-02 15:04:05,000". A nil
// *Logger discards everything, so callers need no checks.
type Logger struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
}

// NewLogger returns a Logger writing to w, or nil when w is nil.
func NewLogger(w io.Writer) *Logger {
	if w == nil {
		return nil
	}
	return &Logger{w: w, now: time.Now}
}

// Enabled reports whether lines are written.
func (l *Logger) Enabled() bool { return l != nil }

// Debug writes a DEBUG line for the Python logger name (e.g.
// "botocore.endpoint").
func (l *Logger) Debug(name, format string, args ...any) { l.log(name, "DEBUG", format, args...) }

// Info writes an INFO line.
func (l *Logger) Info(name, format string, args ...any) { l.log(name, "INFO", format, args...) }

// Warning writes a WARNING line.
func (l *Logger) Warning(name, format string, args ...any) { l.log(name, "WARNING", format, args...) }

func (l *Logger) log(name, level, format string, args ...any) {
	if l == nil {
		return
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.now()
	fmt.Fprintf(l.w, "%s,%03d - MainThread - %s - %s - %s\n",
		t.Format("2006-01-02 15:04:05"), t.Nanosecond()/int(time.Millisecond), name, level, msg)
}
