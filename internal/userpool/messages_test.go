package userpool

import (
	"regexp"
	"testing"
)

func TestMessages(t *testing.T) {
	if got := render(defaultInvitationMessage, "Tmp#Pass1", "alice"); got != "Your username is alice and temporary password is Tmp#Pass1. " {
		t.Errorf("render = %q", got)
	}
	six := regexp.MustCompile(`^\d{6}$`)
	for i := 0; i < 100; i++ {
		if c := newCode(); !six.MatchString(c) {
			t.Fatalf("code %q", c)
		}
	}
	// SECRET_HASH of a fixed input, as Python computes it: base64(HMAC-SHA256(b"secret", b"aliceclient")).
	if got := secretHash("secret", "alice", "client"); got != "RTsve+FQ659UKyESgvLg9GYmZEL+QjzQsW/OjL77/b0=" {
		t.Errorf("secretHash = %s", got)
	}
	if !validSecretHash(secretHash("s", "u", "c"), "s", "u", "c") || validSecretHash("x", "s", "u", "c") {
		t.Error("validSecretHash")
	}
}
