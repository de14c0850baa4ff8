package srp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"time"
)

// nHex is the 3072-bit prime of RFC 3526 §4 / RFC 5054 Appendix A, the
// group Cognito uses.
const nHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74" +
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437" +
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05" +
	"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB" +
	"9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718" +
	"3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33" +
	"A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864" +
	"D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2" +
	"08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

var (
	// N and G are the group.
	N, _ = new(big.Int).SetString(nHex, 16)
	G    = big.NewInt(2)
	// k = H(pad(N) | pad(g)).
	k = new(big.Int).SetBytes(hashHex(PadHex(N) + PadHex(G)))
)

// TimestampLayout is the form of the TIMESTAMP challenge response: the
// day of the month unpadded, the time padded, always UTC ("Tue Nov 5
// 09:03:01 UTC 2026") [OBS amazon-cognito-identity-js DateHelper.js].
const TimestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// PadHex is the hex form the libraries hash: an even number of digits,
// with a 00 byte in front when the first digit is 8 or more (the number
// read as a positive two's-complement value).
func PadHex(v *big.Int) string {
	h := v.Text(16)
	if len(h)%2 == 1 {
		h = "0" + h
	} else if strings.ContainsRune("89abcdef", rune(h[0])) {
		h = "00" + h
	}
	return h
}

func hashHex(h string) []byte {
	b, err := hex.DecodeString(h)
	if err != nil {
		panic("srp: " + err.Error()) // PadHex always gives valid hex
	}
	sum := sha256.Sum256(b)
	return sum[:]
}

// PoolName is the part of a pool ID the protocol hashes: after the "_".
func PoolName(poolID string) string {
	_, name, _ := strings.Cut(poolID, "_")
	return name
}

// x = H(pad(salt) | hex(H(poolName | userID ":" password))).
func privateKey(poolName, userID, password string, salt *big.Int) *big.Int {
	inner := sha256.Sum256([]byte(poolName + userID + ":" + password))
	return new(big.Int).SetBytes(hashHex(PadHex(salt) + hex.EncodeToString(inner[:])))
}

// Verifier returns v = g^x mod N, what the server keeps of a password.
func Verifier(poolName, userID, password string, salt *big.Int) *big.Int {
	return expG(privateKey(poolName, userID, password, salt))
}

// NewSalt returns a random 128-bit salt.
func NewSalt() *big.Int {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return new(big.Int).SetBytes(b)
}

// randomSecret returns a random 256-bit exponent (a or b).
func randomSecret() *big.Int {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return new(big.Int).SetBytes(b)
}

// ServerStart returns the server's secret b and public B = k·v + g^b mod N
// for a verifier v.
func ServerStart(v *big.Int) (b, B *big.Int) {
	for {
		b = randomSecret()
		B = expG(b)
		B.Add(B, new(big.Int).Mul(k, v))
		B.Mod(B, N)
		if B.Sign() != 0 {
			return b, B
		}
	}
}

// ErrBadA means the client's A is 0 mod N (or not a positive number): the
// protocol must stop there (RFC 5054 §2.5.4).
var ErrBadA = errors.New("srp: A mod N is 0")

// ParseA reads the client's SRP_A (hex) and refuses A mod N = 0.
func ParseA(hexA string) (*big.Int, error) {
	A, ok := new(big.Int).SetString(hexA, 16)
	if !ok || A.Sign() <= 0 || new(big.Int).Mod(A, N).Sign() == 0 {
		return nil, ErrBadA
	}
	return A, nil
}

// u = H(pad(A) | pad(B)).
func scramble(A, B *big.Int) *big.Int {
	return new(big.Int).SetBytes(hashHex(PadHex(A) + PadHex(B)))
}

// ServerKey is the server's session key: S = (A·v^u)^b mod N, then HKDF.
func ServerKey(A, B, b, v *big.Int) []byte {
	u := scramble(A, B)
	S := new(big.Int).Exp(v, u, N)
	S.Mul(S, A)
	S.Mod(S, N)
	S.Exp(S, b, N)
	return derive(S, u)
}

// derive is the libraries' HKDF: PRK = HMAC(pad(u), pad(S)); key = the
// first 16 bytes of HMAC(PRK, "Caldera Derived Key" | 0x01).
func derive(S, u *big.Int) []byte {
	ikm, _ := hex.DecodeString(PadHex(S))
	salt, _ := hex.DecodeString(PadHex(u))
	prk := hmac.New(sha256.New, salt)
	prk.Write(ikm)
	m := hmac.New(sha256.New, prk.Sum(nil))
	m.Write([]byte("Caldera Derived Key\x01"))
	return m.Sum(nil)[:16]
}

// Signature is the password claim: HMAC-SHA256 under the session key of
// poolName | userID | secretBlock | timestamp.
func Signature(key []byte, poolName, userID string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// CheckTimestamp parses a TIMESTAMP response. It accepts the day padded
// or not, as libraries differ.
func CheckTimestamp(s string) (time.Time, bool) {
	for _, layout := range []string{TimestampLayout, "Mon Jan 02 15:04:05 UTC 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Client is the client's side, for tests and benchmarks.
type Client struct {
	a, A *big.Int
}

// NewClient starts a client: a random a and A = g^a mod N.
func NewClient() *Client {
	a := randomSecret()
	return &Client{a: a, A: expG(a)}
}

// A is the client's public value, as SRP_A (hex).
func (c *Client) AHex() string { return c.A.Text(16) }

// Key is the client's session key for the server's B and salt (hex, as
// in the challenge): S = (B − k·g^x)^(a + u·x) mod N, then HKDF.
func (c *Client) Key(poolName, userID, password, saltHex, bHex string) ([]byte, error) {
	salt, ok1 := new(big.Int).SetString(saltHex, 16)
	B, ok2 := new(big.Int).SetString(bHex, 16)
	if !ok1 || !ok2 || new(big.Int).Mod(B, N).Sign() == 0 {
		return nil, errors.New("srp: bad SALT or SRP_B")
	}
	u := scramble(c.A, B)
	x := privateKey(poolName, userID, password, salt)
	gx := expG(x)
	base := new(big.Int).Sub(B, new(big.Int).Mul(k, gx))
	base.Mod(base, N)
	exp := new(big.Int).Add(c.a, new(big.Int).Mul(u, x))
	S := new(big.Int).Exp(base, exp, N)
	return derive(S, u), nil
}
