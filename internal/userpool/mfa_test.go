package userpool

import (
	"testing"
	"time"
)

// rfcKey is RFC 6238's SHA-1 test key, the ASCII "12345678901234567890".
var rfcKey = []byte("12345678901234567890")

// TestTOTPCodeRFC6238: totpCode gives the last six digits of RFC 6238's
// SHA-1 test vectors (Appendix B, 8-digit codes).
func TestTOTPCodeRFC6238(t *testing.T) {
	for _, v := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}} {
		if got := totpCode(rfcKey, v.unix/totpStep); got != v.want {
			t.Errorf("T=%d: %s, want %s", v.unix, got, v.want)
		}
	}
}

// TestCheckTOTP: the code of the current step and of the adjacent ones is
// accepted, with the step it matched; others and malformed codes are not.
func TestCheckTOTP(t *testing.T) {
	secret := secretEncoding.EncodeToString(rfcKey)
	now := time.Unix(1111111111, 0) // step 37037037
	for _, c := range []struct {
		at   int64
		ok   bool
		step int64
	}{{1111111111, true, 37037037}, {1111111111 - 30, true, 37037036}, {1111111111 + 30, true, 37037038}, {1111111111 - 60, false, 0}, {1111111111 + 60, false, 0}} {
		step, ok := checkTOTP(secret, totpCode(rfcKey, c.at/totpStep), now)
		if ok != c.ok || step != c.step {
			t.Errorf("code of %d: step %d %v, want %d %v", c.at, step, ok, c.step, c.ok)
		}
	}
	for _, bad := range []string{"", "05047", "0504711", "05047a", " 50471", "５０４７１１"} {
		if _, ok := checkTOTP(secret, bad, now); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, ok := checkTOTP("not base32!", "050471", now); ok {
		t.Error("a broken secret accepted a code")
	}
	if s := newTOTPSecret(); len(s) != 32 {
		t.Errorf("secret %q", s)
	}
}

// FuzzParseTOTPCode: the code parser accepts exactly six ASCII digits and
// never panics; checkTOTP never panics on any input.
func FuzzParseTOTPCode(f *testing.F) {
	for _, s := range []string{"123456", "", "12345", "1234567", "12345a", "١٢٣٤٥٦", "\x00\x00\x00\x00\x00\x00"} {
		f.Add(s)
	}
	secret := secretEncoding.EncodeToString(rfcKey)
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := parseTOTPCode(s)
		digits := len(s) == 6
		for i := 0; digits && i < len(s); i++ {
			digits = s[i] >= '0' && s[i] <= '9'
		}
		if ok != digits || (ok && code != s) {
			t.Fatalf("parseTOTPCode(%q) = %q, %v", s, code, ok)
		}
		_, _ = checkTOTP(secret, s, time.Unix(1111111111, 0))
		_, _ = checkTOTP(s, "123456", time.Unix(1111111111, 0))
	})
}
