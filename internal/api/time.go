package api

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Time is a model timestamp. On the wire (AWS JSON 1.1) it is epoch seconds
// as a JSON number with millisecond precision. Cognito writes the number as
// Java's Double.toString does — `"CreationDate":1.594889658976E9` in a raw
// CreateUserPool response (boto/boto3#2516) [OBS] — and every SDK reads it.
type Time struct{ time.Time }

// NewTime returns t truncated to milliseconds, the precision AWS sends.
func NewTime(t time.Time) *Time { return &Time{t.Truncate(time.Millisecond).UTC()} }

// MarshalJSON writes epoch seconds in Java's Double.toString form.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(JavaDouble(float64(t.UnixMilli()) / 1000)), nil
}

// UnmarshalJSON reads epoch seconds in any JSON number form.
func (t *Time) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("timestamp %s is not epoch seconds: %w", b, err)
	}
	ms := int64(f*1000 + 0.5)
	if f < 0 {
		ms = int64(f*1000 - 0.5)
	}
	t.Time = time.UnixMilli(ms).UTC()
	return nil
}

// JavaDouble formats f as java.lang.Double.toString does: plain decimal with
// at least one fraction digit for 1e-3 <= |f| < 1e7, otherwise
// "computerized scientific notation" such as 1.594889658976E9.
func JavaDouble(f float64) string {
	abs := f
	if abs < 0 {
		abs = -abs
	}
	if abs == 0 || (abs >= 1e-3 && abs < 1e7) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, 64) // e.g. 1.594889658976E+09
	mantissa, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mantissa, ".") {
		mantissa += ".0"
	}
	n, _ := strconv.Atoi(exp) // FormatFloat always writes a valid exponent
	return mantissa + "E" + strconv.Itoa(n)
}
