package app

import (
	"bytes"
	"strings"
	"testing"
)

// --password-hashing takes a preset name, from the flag or
// COGNATE_PASSWORD_HASHING; an unknown name is refused at start (exit 2).
func TestServePasswordHashing(t *testing.T) {
	o, err := parseServe(nil, &bytes.Buffer{})
	if err != nil || o.passwordHashing != "standard" {
		t.Fatalf("default: %+v %v", o, err)
	}
	t.Setenv("COGNATE_PASSWORD_HASHING", "light")
	if o, err = parseServe(nil, &bytes.Buffer{}); err != nil || o.passwordHashing != "light" {
		t.Errorf("from the environment: %+v %v", o, err)
	}
	if o, err = parseServe([]string{"--password-hashing", "OWASP"}, &bytes.Buffer{}); err != nil || o.passwordHashing != "OWASP" {
		t.Errorf("the flag wins: %+v %v", o, err)
	}
	var stderr bytes.Buffer
	if code := Main([]string{"serve", "--in-memory", "--password-hashing", "bcrypt"}, &bytes.Buffer{}, &stderr); code != 2 ||
		!strings.Contains(stderr.String(), `--password-hashing: unknown password hashing preset "bcrypt" (want one of owasp, standard, light)`) {
		t.Errorf("unknown preset: exit %d %s", code, stderr.String())
	}
}
