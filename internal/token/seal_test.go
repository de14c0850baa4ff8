package token

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"testing"
)

func TestSealOpen(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	k, other := &Key{ID: "a", Private: priv}, &Key{ID: "b"}
	if other.Private, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	sealed := k.Seal([]byte("secret state"))
	if bytes.Contains(sealed, []byte("secret")) {
		t.Error("plaintext visible")
	}
	if got, err := k.Open(sealed); err != nil || string(got) != "secret state" {
		t.Errorf("Open = %q, %v", got, err)
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	for _, bad := range [][]byte{tampered, sealed[:5], nil} {
		if _, err := k.Open(bad); err != ErrUnsealed {
			t.Errorf("Open(bad) = %v", err)
		}
	}
	if _, err := other.Open(sealed); err != ErrUnsealed {
		t.Errorf("another key opened it: %v", err)
	}
}
