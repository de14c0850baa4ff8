package userpool

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"runtime"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/crypto/argon2"

	"github.com/cognate/cognate/internal/api"
)

// HashParams are the argon2id parameters new password hashes use. Stored
// hashes carry their own, so changing these keeps old passwords valid.
type HashParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// Password-hash presets. HashFast (the default, "standard") costs about
// 5 ms a hash on this project's 2-core machine, so that sign-up and
// sign-in stay fast enough to test against while passwords are still only
// kept as salted, memory-hard hashes; HashStrong ("owasp") is OWASP's
// recommended argon2id setting (19 MiB, 2 passes), about 23 ms. HashLight
// ("light") is argon2id with its least memory, 8 KiB, and one pass, about
// 20 µs (and 8 KiB of garbage) a hash: for test suites that create
// thousands of users, where a human-chosen password guarded by it would be
// cheap to guess from a stolen database; and for passwords Cognate
// generates itself (see TemporaryPassword), whose entropy makes guessing
// hopeless at any hash cost.
var (
	HashFast   = HashParams{MemoryKiB: 8 * 1024, Time: 1, Threads: 1}
	HashStrong = HashParams{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}
	HashLight  = HashParams{MemoryKiB: 8, Time: 1, Threads: 1}
)

// hashPresets are the names `cognate serve --password-hashing` takes, in
// the order help texts list them.
var hashPresets = []struct {
	name   string
	params HashParams
}{
	{"owasp", HashStrong},
	{"standard", HashFast},
	{"light", HashLight},
}

// DefaultHashPreset is the preset a server uses unless told otherwise.
const DefaultHashPreset = "standard"

// HashPreset returns the parameters of a named preset (owasp, standard,
// light; case-insensitive).
func HashPreset(name string) (HashParams, error) {
	for _, p := range hashPresets {
		if strings.EqualFold(name, p.name) {
			return p.params, nil
		}
	}
	return HashParams{}, fmt.Errorf("unknown password hashing preset %q (want one of %s)", name, strings.Join(HashPresetNames(), ", "))
}

// HashPresetNames lists the presets' names.
func HashPresetNames() []string {
	out := make([]string, len(hashPresets))
	for i, p := range hashPresets {
		out[i] = p.name
	}
	return out
}

const (
	saltBytes = 16
	keyBytes  = 32
)

var b64 = base64.RawStdEncoding

// HashPassword returns the PHC string of password:
// $argon2id$v=19$m=8192,t=1,p=1$<salt>$<hash>.
func HashPassword(password string, p HashParams) (string, error) {
	salt := make([]byte, saltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argonKey([]byte(password), salt, p, keyBytes)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("userpool: malformed password hash")

// VerifyPassword reports whether password matches a PHC string made by
// HashPassword, in constant time.
func VerifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var p HashParams
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil || p.Time == 0 || p.Threads == 0 || p.MemoryKiB > 1<<21 {
		return false, errBadHash
	}
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errBadHash
	}
	if recentPasswords.has(encoded, password) {
		return true, nil
	}
	got := argonKey([]byte(password), salt, p, uint32(len(want)))
	ok := subtle.ConstantTimeCompare(got, want) == 1
	if ok {
		recentPasswords.add(encoded, password)
	}
	return ok, nil
}

// argonSlots bounds how many memory-hard hashes run at once to the number
// of cores: 64 concurrent sign-ins would otherwise each hold 8 MiB or more
// at the same time, for no more throughput (the cores are busy anyway)
// and much more garbage collection.
var argonSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// argonKey is argon2.IDKey, taking a slot when the hash is memory-hard
// (the light preset's 8 KiB is not).
func argonKey(password, salt []byte, p HashParams, n uint32) []byte {
	if p.MemoryKiB > 64 {
		argonSlots <- struct{}{}
		defer func() { <-argonSlots }()
	}
	return argon2.IDKey(password, salt, p.Time, p.MemoryKiB, p.Threads, n)
}

// recentPasswords remembers, in memory only, passwords that matched a stored hash
// recently, so that a user who signs in again (a test suite signs the same
// users in over and over) costs an HMAC instead of a memory-hard hash. It
// holds HMAC-SHA256 of each password under a key made at start and never
// stored, keyed by the stored hash, which embeds its random salt: a new
// password has a new hash, so a changed password never matches an old
// entry. Nothing of it reaches the disk, where passwords stay argon2id
// hashes only; someone who can read the process's memory could also read
// the passwords in the requests. A wrong password always pays the full
// hash.
var recentPasswords = newVerifiedCache(16384)

type verifiedCache struct {
	mu      sync.Mutex
	key     [32]byte
	entries map[string][sha256.Size]byte
	max     int
}

func newVerifiedCache(max int) *verifiedCache {
	c := &verifiedCache{entries: make(map[string][sha256.Size]byte), max: max}
	_, _ = rand.Read(c.key[:]) // crypto/rand.Read never fails
	return c
}

func (c *verifiedCache) mac(password string) [sha256.Size]byte {
	m := hmac.New(sha256.New, c.key[:])
	m.Write([]byte(password))
	var out [sha256.Size]byte
	copy(out[:], m.Sum(nil))
	return out
}

func (c *verifiedCache) has(encoded, password string) bool {
	c.mu.Lock()
	want, ok := c.entries[encoded]
	c.mu.Unlock()
	if !ok {
		return false
	}
	got := c.mac(password)
	return hmac.Equal(got[:], want[:])
}

func (c *verifiedCache) add(encoded, password string) {
	m := c.mac(password)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[encoded]; !ok && len(c.entries) >= c.max {
		for k := range c.entries { // drop an arbitrary entry
			delete(c.entries, k)
			break
		}
	}
	c.entries[encoded] = m
}

// specialCharacters are the characters Cognito counts as symbols in a
// password [DOC user pool password policy]; a space counts too unless it
// leads or trails.
const specialCharacters = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-"

// passwordPolicyError checks password against the pool's policy and
// returns InvalidPasswordException with AWS's text, naming the first rule
// broken: "Password did not conform with policy: Password must have symbol
// characters" [OBS amplify-js#1164]. admin is set for AdminCreateUser's
// TemporaryPassword, whose text says "with password policy" [OBS
// data-dot-all/dataall#690]. The order of the checks is AWS's own and is
// not public (inferred: length, lowercase, uppercase, numbers, symbols).
func passwordPolicyError(policy *api.PasswordPolicyType, password string, admin bool) error {
	if policy == nil {
		return nil
	}
	reason := ""
	var lower, upper, digit, symbol bool
	trimmed := strings.Trim(password, " ")
	for i, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(specialCharacters, r):
			symbol = true
		case r == ' ' && i > 0 && len(trimmed) > 0 && i < len(password)-1:
			symbol = true
		}
	}
	switch {
	case int32(len([]rune(password))) < deref(policy.MinimumLength):
		reason = "Password not long enough"
	case deref(policy.RequireLowercase) && !lower:
		reason = "Password must have lowercase characters"
	case deref(policy.RequireUppercase) && !upper:
		reason = "Password must have uppercase characters"
	case deref(policy.RequireNumbers) && !digit:
		reason = "Password must have numeric characters"
	case deref(policy.RequireSymbols) && !symbol:
		reason = "Password must have symbol characters"
	}
	if reason == "" {
		return nil
	}
	if admin {
		return api.InvalidPassword("Password did not conform with password policy: %s", reason)
	}
	return api.InvalidPassword("Password did not conform with policy: %s", reason)
}

// generatedPasswordLength is the length of a password Cognate generates
// (AdminCreateUser's temporary password when none is given), unless the
// pool's policy asks for more.
//
// Why 22: such a password is a random secret, not a human choice, and a
// slow hash only exists to make guessing low-entropy human choices
// expensive. TemporaryPassword draws one character from each class
// (25 lowercase, 24 uppercase, 8 digits, 13 symbols: log2 of their product
// is 15.9 bits) and 18 from all 70 (18 × log2 70 = 110.4 bits), then
// shuffles them; for each shuffle the password is a one-to-one function of
// the draws, so it carries at least 126 bits (H(X) ≥ H(X | shuffle)).
// Guessing it takes about 2^125 tries on average: at 10^12 argon2id
// evaluations a second, over 10^25 years, whatever each costs. So a
// generated password is hashed with HashLight whatever the server's preset
// (see temporaryPassword in users.go) without weakening anything, and the
// invitation of AdminCreateUser no longer costs a slow hash. It is still
// only stored as a salted argon2id hash. A password an administrator or
// user chooses always gets the server's preset. TestGeneratedPasswordEntropy
// checks the arithmetic.
const generatedPasswordLength = 22

// generatedHash is the argon2id cost of generated passwords (see
// generatedPasswordLength for why it may be light).
var generatedHash = HashLight

// temporaryAlphabet is what generated passwords are drawn from: one class
// each for lowercase, uppercase, digits and symbols (look-alike letters
// and digits left out; the symbols are Cognito's, specialCharacters).
var temporaryAlphabet = []string{"abcdefghijkmnopqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "^$*.!@#%&_-+="}

// TemporaryPassword returns a random password that meets policy: at least
// generatedPasswordLength characters (more if the policy's minimum length
// is greater), with one character of every class.
func TemporaryPassword(policy *api.PasswordPolicyType) string {
	n := generatedPasswordLength
	if policy != nil && int(deref(policy.MinimumLength)) > n {
		n = int(deref(policy.MinimumLength))
	}
	classes := temporaryAlphabet
	all := strings.Join(classes, "")
	out := make([]byte, 0, n)
	for _, c := range classes {
		out = append(out, c[randInt(len(c))])
	}
	for len(out) < n {
		out = append(out, all[randInt(len(all))])
	}
	for i := len(out) - 1; i > 0; i-- { // shuffle so the classes are not in a fixed place
		j := randInt(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return int(v.Int64())
}
