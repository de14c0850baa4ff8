package userpool

import (
	"errors"
	"math"
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

// A password verified once is remembered (in memory, as an HMAC): the
// second check of the right password is fast, and the cache never lets a
// wrong password, another hash or a tampered one through.
func TestRecentPasswords(t *testing.T) {
	h, _ := HashPassword("Remember-me-1!", HashFast)
	if ok, _ := VerifyPassword(h, "Remember-me-1!"); !ok {
		t.Fatal("first verify failed")
	}
	if !recentPasswords.has(h, "Remember-me-1!") {
		t.Fatal("a verified password is not remembered")
	}
	if recentPasswords.has(h, "remember-me-1!") {
		t.Error("the cache matched a different password")
	}
	for pw, want := range map[string]bool{"Remember-me-1!": true, "Remember-me-2!": false, "": false} {
		if ok, err := VerifyPassword(h, pw); err != nil || ok != want {
			t.Errorf("Verify(%q) after caching = %v, %v", pw, ok, err)
		}
	}
	// Another hash of the same password is a cache miss until verified;
	// a hash with another key part never matches through the cache.
	h2, _ := HashPassword("Remember-me-1!", HashFast)
	if recentPasswords.has(h2, "Remember-me-1!") {
		t.Error("a fresh hash is remembered before any verify")
	}
	tampered := h[:strings.LastIndexByte(h, '$')+1] + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	if ok, _ := VerifyPassword(tampered, "Remember-me-1!"); ok {
		t.Error("a tampered hash verified")
	}
	c := newVerifiedCache(2)
	c.add("a", "1")
	c.add("b", "2")
	c.add("c", "3")
	if len(c.entries) != 2 || !c.has("c", "3") {
		t.Errorf("bounded cache: %d entries", len(c.entries))
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

// The presets by name, and a light hash that still verifies.
func TestHashPresets(t *testing.T) {
	for name, want := range map[string]HashParams{"owasp": HashStrong, "standard": HashFast, "Light": HashLight} {
		if got, err := HashPreset(name); err != nil || got != want {
			t.Errorf("HashPreset(%q) = %+v, %v", name, got, err)
		}
	}
	if _, err := HashPreset("bcrypt"); err == nil || !strings.Contains(err.Error(), "owasp, standard, light") {
		t.Errorf("unknown preset: %v", err)
	}
	if p, _ := HashPreset(DefaultHashPreset); p != HashFast {
		t.Errorf("default preset = %+v", p)
	}
	h, err := HashPassword("Corr3ct horse!", HashLight)
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=8,t=1,p=1$") {
		t.Fatalf("light hash %q, %v", h, err)
	}
	if ok, err := VerifyPassword(h, "Corr3ct horse!"); !ok || err != nil {
		t.Errorf("light hash does not verify: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword(h, "Corr3ct horse?"); ok {
		t.Error("light hash accepts a wrong password")
	}
}

// A generated password carries at least 120 bits (the reasoning at
// generatedPasswordLength), is drawn from the alphabet the arithmetic
// assumes, and a longer minimum length in the policy is honoured.
func TestGeneratedPasswordEntropy(t *testing.T) {
	all := 0
	bits := 0.0
	for _, c := range temporaryAlphabet {
		bits += math.Log2(float64(len(c))) // one character of each class
		all += len(c)
	}
	bits += float64(generatedPasswordLength-len(temporaryAlphabet)) * math.Log2(float64(all))
	if bits < 120 || generatedPasswordLength < 20 {
		t.Fatalf("generated passwords carry %.1f bits in %d characters, want >= 120 in >= 20", bits, generatedPasswordLength)
	}
	seen := map[byte]bool{}
	for _, c := range temporaryAlphabet {
		for i := range len(c) {
			if seen[c[i]] {
				t.Fatalf("%q is in two classes: the arithmetic counts it twice", c[i])
			}
			seen[c[i]] = true
		}
	}
	distinct := map[string]bool{}
	for range 200 {
		p := TemporaryPassword(nil)
		if len(p) != generatedPasswordLength || distinct[p] {
			t.Fatalf("TemporaryPassword = %q", p)
		}
		distinct[p] = true
		for i := range len(p) {
			if !seen[p[i]] {
				t.Fatalf("%q has %q, outside the alphabet", p, p[i])
			}
		}
	}
	long := &api.PasswordPolicyType{MinimumLength: new(int32(40))}
	if p := TemporaryPassword(long); len(p) != 40 {
		t.Errorf("policy minimum 40: %q", p)
	}
}
