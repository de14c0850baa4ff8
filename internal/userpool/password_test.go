package userpool

import (
	"errors"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/api"
)

func TestHashAndVerify(t *testing.T) {
	h, err := HashPassword("Corr3ct horse!", HashFast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=8192,t=1,p=1$") || strings.Contains(h, "Corr3ct") {
		t.Errorf("hash = %s", h)
	}
	for pw, want := range map[string]bool{"Corr3ct horse!": true, "corr3ct horse!": false, "": false} {
		ok, err := VerifyPassword(h, pw)
		if err != nil || ok != want {
			t.Errorf("Verify(%q) = %v, %v", pw, ok, err)
		}
	}
	h2, _ := HashPassword("Corr3ct horse!", HashFast)
	if h2 == h {
		t.Error("two hashes of one password must differ (salt)")
	}
	strong, _ := HashPassword("x", HashStrong)
	if ok, err := VerifyPassword(strong, "x"); !ok || err != nil {
		t.Errorf("a hash made with other parameters must still verify: %v %v", ok, err)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA", "$argon2id$v=19$m=8,t=1,p=1$!!$AA"} {
		if _, err := VerifyPassword(bad, "x"); err == nil {
			t.Errorf("VerifyPassword(%q) accepted a malformed hash", bad)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	def := defaultPolicies(nil).PasswordPolicy // 8, all four classes
	cases := map[string]string{
		"Sh0rt!":       "Password not long enough",
		"NOLOWER1!":    "Password must have lowercase characters",
		"noupper1!":    "Password must have uppercase characters",
		"NoDigits!!":   "Password must have numeric characters",
		"NoSymbols12":  "Password must have symbol characters",
		"Inner space1": "",
		" Leading1ab":  "Password must have symbol characters",
		"Good-Pass1":   "",
	}
	for pw, reason := range cases {
		err := passwordPolicyError(def, pw, false)
		if reason == "" {
			if err != nil {
				t.Errorf("%q: %v", pw, err)
			}
			continue
		}
		var ae *api.Error
		if !errors.As(err, &ae) || ae.Code != "InvalidPasswordException" || ae.Message != "Password did not conform with policy: "+reason {
			t.Errorf("%q: %v, want %s", pw, err, reason)
		}
	}
	err := passwordPolicyError(def, "short", true)
	if err == nil || err.(*api.Error).Message != "Password did not conform with password policy: Password not long enough" {
		t.Errorf("admin text: %v", err)
	}
	for i := 0; i < 50; i++ {
		if p := TemporaryPassword(def); passwordPolicyError(def, p, true) != nil {
			t.Fatalf("temporary password %q breaks the policy", p)
		}
	}
}
