package token

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
)

// Seal encrypts and authenticates plaintext with AES-256-GCM under a key
// derived from k (like the HMAC key of opaque tokens, as secret as the
// private key), for state a client must carry but not read: the SRP
// challenge's SECRET_BLOCK holds the server's secret exponent. The result
// is nonce | ciphertext.
func (k *Key) Seal(plaintext []byte) []byte {
	aead := k.aead()
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails
	return aead.Seal(nonce, nonce, plaintext, nil)
}

// ErrUnsealed means a sealed blob was not made by this key, or was changed.
var ErrUnsealed = errors.New("token: sealed data does not open")

// Open reverses Seal.
func (k *Key) Open(sealed []byte) ([]byte, error) {
	aead := k.aead()
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrUnsealed
	}
	out, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
	if err != nil {
		return nil, ErrUnsealed
	}
	return out, nil
}

func (k *Key) aead() cipher.AEAD {
	sum := sha256.Sum256(append([]byte("cognate sealed data key v1\x00"), k.Private.D.Bytes()...))
	block, err := aes.NewCipher(sum[:])
	if err != nil {
		panic("token: " + err.Error()) // a 32-byte key is always valid
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("token: " + err.Error())
	}
	return aead
}
