package token

import (
	"errors"
	"strings"
	"testing"
)

var testKey = func() *Key {
	k, err := NewKey()
	if err != nil {
		panic(err)
	}
	return k
}()

func TestSignParseVerify(t *testing.T) {
	s, err := Sign(testKey, map[string]any{"sub": "x", "exp": 5})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.KeyID != testKey.ID || p.String("sub") != "x" || p.Int("exp") != 5 {
		t.Fatalf("parsed %+v", p)
	}
	if err := p.Verify(&testKey.Private.PublicKey); err != nil {
		t.Fatal(err)
	}
	other, _ := NewKey()
	if err := p.Verify(&other.Private.PublicKey); !errors.Is(err, ErrSignature) {
		t.Fatalf("verify with another key: %v", err)
	}
	parts := strings.Split(s, ".")
	forged := parts[0] + "." + enc.EncodeToString([]byte(`{"sub":"y","exp":5}`)) + "." + parts[2]
	if p, err := Parse(forged); err != nil || !errors.Is(p.Verify(&testKey.Private.PublicKey), ErrSignature) {
		t.Fatalf("forged claims verified: %v", err)
	}
	// Opaque tokens verify only with the HMAC key, RS256 ones only with
	// the public key: no algorithm confusion.
	o, err := SignOpaque(testKey, map[string]any{"sub": "x"})
	if err != nil {
		t.Fatal(err)
	}
	po, err := Parse(o)
	if err != nil || po.Alg != OpaqueAlgorithm || po.VerifyOpaque(testKey) != nil {
		t.Fatalf("opaque token: %v", err)
	}
	if !errors.Is(po.Verify(&testKey.Private.PublicKey), ErrSignature) || !errors.Is(p.VerifyOpaque(testKey), ErrSignature) ||
		!errors.Is(po.VerifyOpaque(other), ErrSignature) {
		t.Error("a token verified with the other algorithm or another key")
	}
	der, err := testKey.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	k2, err := UnmarshalKey(testKey.ID, der)
	if err != nil || !k2.Private.Equal(testKey.Private) || po.VerifyOpaque(k2) != nil {
		t.Fatalf("round trip: %v", err)
	}
}

func TestParseRejects(t *testing.T) {
	none := enc.EncodeToString([]byte(`{"alg":"none","kid":"k"}`)) + "." + enc.EncodeToString([]byte(`{}`)) + "."
	for _, s := range []string{"", "a.b", "a.b.c.d", "!!.e30.e30", none, strings.Repeat("a", MaxLength+1),
		enc.EncodeToString([]byte(`{"alg":"RS256","kid":"k"}`)) + ".bnVsbA.",
	} {
		if _, err := Parse(s); !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%.40q) = %v, want ErrMalformed", s, err)
		}
	}
}

// FuzzParseToken: no input makes Parse or Verify panic, and whatever
// parses never verifies unless it is the genuine token.
func FuzzParseToken(f *testing.F) {
	good, _ := Sign(testKey, map[string]any{"sub": "x", "token_use": "access"})
	f.Add(good)
	f.Add("e30.e30.e30")
	f.Add("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.e30.AAAA")
	opaque, _ := SignOpaque(testKey, map[string]any{"sub": "x", "token_use": "refresh"})
	f.Add(opaque)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		_ = p.String("sub")
		_ = p.Int("exp")
		// A different encoding of a signed token verifying would be a
		// malleability bug.
		if p.Verify(&testKey.Private.PublicKey) == nil && s != good {
			t.Fatalf("%q verified but is not the signed token", s)
		}
		if p.VerifyOpaque(testKey) == nil && s != opaque {
			t.Fatalf("%q verified as opaque but is not the signed token", s)
		}
	})
}

// BenchmarkSign is the cost of one token; a sign-in signs three.
func BenchmarkSign(b *testing.B) {
	claims := map[string]any{"sub": "6f1c5e0e-2b8a-4f5e-9d7c-1f2e3d4c5b6a", "token_use": "access", "exp": 1764072000, "scope": "aws.cognito.signin.user.admin"}
	for b.Loop() {
		if _, err := Sign(testKey, claims); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseVerify is the cost of checking an access token.
func BenchmarkParseVerify(b *testing.B) {
	s, _ := Sign(testKey, map[string]any{"sub": "x", "token_use": "access"})
	for b.Loop() {
		p, err := Parse(s)
		if err != nil || p.Verify(&testKey.Private.PublicKey) != nil {
			b.Fatal(err)
		}
	}
}
