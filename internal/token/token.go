package token

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Algorithm is the only signing algorithm Cognito uses [DOC].
const Algorithm = "RS256"

// OpaqueAlgorithm signs the tokens only the pool reads back (refresh
// tokens and auth sessions, which AWS encrypts and clients never verify):
// HMAC-SHA-256 with a key derived from the pool's private key, about a
// thousand times cheaper than an RSA signature and never published.
const OpaqueAlgorithm = "HS256"

// KeyBits is the size of the pools' RSA keys (Cognito's JWKS publish
// 2048-bit moduli [OBS]).
const KeyBits = 2048

// MaxLength bounds the tokens Parse accepts; Cognito's are a few kB.
const MaxLength = 16 << 10

var enc = base64.RawURLEncoding.Strict()

// ErrMalformed means a token is not a well-formed RS256 JWS; ErrSignature
// that its signature does not verify.
var (
	ErrMalformed = errors.New("token: malformed")
	ErrSignature = errors.New("token: bad signature")
)

// Key is a pool's signing key.
type Key struct {
	ID      string
	Private *rsa.PrivateKey
	// mac is the HMAC key of OpaqueAlgorithm, derived from Private.
	mac []byte
}

// withMAC derives k's HMAC key: SHA-256 of a label and the private
// exponent, so that it is as secret as the private key and needs no
// storage of its own.
func (k *Key) withMAC() *Key {
	sum := sha256.Sum256(append([]byte("cognate opaque token key v1\x00"), k.Private.D.Bytes()...))
	k.mac = sum[:]
	return k
}

// NewKey generates a key and its id: the base64 of the SHA-256 of the
// public key's DER, as opaque as Cognito's kids.
func NewKey() (*Key, error) {
	pk, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&pk.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("encode public key: %w", err)
	}
	sum := sha256.Sum256(pub)
	return (&Key{ID: base64.StdEncoding.EncodeToString(sum[:]), Private: pk}).withMAC(), nil
}

// Marshal returns the private key as PKCS#8 DER, for storage.
func (k *Key) Marshal() ([]byte, error) {
	b, err := x509.MarshalPKCS8PrivateKey(k.Private)
	if err != nil {
		return nil, fmt.Errorf("encode signing key: %w", err)
	}
	return b, nil
}

// UnmarshalKey is Marshal's inverse.
func UnmarshalKey(id string, der []byte) (*Key, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("decode signing key %s: %w", id, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("decode signing key %s: not RSA", id)
	}
	return (&Key{ID: id, Private: rk}).withMAC(), nil
}

type header struct {
	Kid string `json:"kid"`
	Alg string `json:"alg"`
}

// signingInput is the first two parts of a compact JWS.
func signingInput(kid, alg string, claims any) (string, error) {
	h, err := json.Marshal(header{Kid: kid, Alg: alg})
	if err != nil {
		return "", fmt.Errorf("encode token header: %w", err)
	}
	p, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encode token claims: %w", err)
	}
	return enc.EncodeToString(h) + "." + enc.EncodeToString(p), nil
}

// SignOpaque returns the compact JWS of claims signed with k's HMAC key
// (OpaqueAlgorithm).
func SignOpaque(k *Key, claims any) (string, error) {
	input, err := signingInput(k.ID, OpaqueAlgorithm, claims)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(input))
	return input + "." + enc.EncodeToString(m.Sum(nil)), nil
}

// Sign returns the compact JWS of claims signed with k (RS256).
func Sign(k *Key, claims any) (string, error) {
	input, err := signingInput(k.ID, Algorithm, claims)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.Private, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return input + "." + enc.EncodeToString(sig), nil
}

// Parsed is a token split and decoded, not yet verified.
type Parsed struct {
	KeyID  string
	Alg    string // Algorithm or OpaqueAlgorithm
	Claims map[string]any
	input  string
	sig    []byte
}

// Parse splits and decodes a compact JWS. It checks the form only (three
// base64url parts, a JSON header with alg RS256 or HS256 and a kid, a
// JSON object of claims); Verify and VerifyOpaque check the signature.
func Parse(s string) (*Parsed, error) {
	if len(s) > MaxLength {
		return nil, fmt.Errorf("%w: too long", ErrMalformed)
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: %d parts", ErrMalformed, len(parts))
	}
	var raw [3][]byte
	for i, p := range parts {
		b, err := enc.DecodeString(p)
		if err != nil {
			return nil, fmt.Errorf("%w: part %d: %w", ErrMalformed, i+1, err)
		}
		raw[i] = b
	}
	var h header
	if err := json.Unmarshal(raw[0], &h); err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrMalformed, err)
	}
	if (h.Alg != Algorithm && h.Alg != OpaqueAlgorithm) || h.Kid == "" {
		return nil, fmt.Errorf("%w: alg %q kid %q", ErrMalformed, h.Alg, h.Kid)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw[1], &claims); err != nil || claims == nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrMalformed, err)
	}
	return &Parsed{KeyID: h.Kid, Alg: h.Alg, Claims: claims, input: parts[0] + "." + parts[1], sig: raw[2]}, nil
}

// Verify checks an RS256 signature with pub; a token of another
// algorithm fails.
func (p *Parsed) Verify(pub *rsa.PublicKey) error {
	if p.Alg != Algorithm {
		return fmt.Errorf("%w: alg %s", ErrSignature, p.Alg)
	}
	sum := sha256.Sum256([]byte(p.input))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], p.sig); err != nil {
		return fmt.Errorf("%w: %w", ErrSignature, err)
	}
	return nil
}

// VerifyOpaque checks an HS256 signature with k's HMAC key; a token of
// another algorithm fails.
func (p *Parsed) VerifyOpaque(k *Key) error {
	if p.Alg != OpaqueAlgorithm {
		return fmt.Errorf("%w: alg %s", ErrSignature, p.Alg)
	}
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(p.input))
	if !hmac.Equal(m.Sum(nil), p.sig) {
		return ErrSignature
	}
	return nil
}

// String returns the claim name as a string ("" if absent or not one).
func (p *Parsed) String(name string) string {
	s, _ := p.Claims[name].(string)
	return s
}

// Int returns the numeric claim name (0 if absent or not a number).
func (p *Parsed) Int(name string) int64 {
	f, _ := p.Claims[name].(float64)
	return int64(f)
}

// JWK is one public key of a JSON Web Key Set, with the members Cognito's
// jwks.json has [OBS: alg, e, kid, kty, n, use].
type JWK struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// PublicJWK returns the JWK of k's public key.
func (k *Key) PublicJWK() JWK {
	pub := k.Private.PublicKey
	return JWK{Alg: Algorithm, E: enc.EncodeToString(big.NewInt(int64(pub.E)).Bytes()), Kid: k.ID, Kty: "RSA",
		N: enc.EncodeToString(pub.N.Bytes()), Use: "sig"}
}
