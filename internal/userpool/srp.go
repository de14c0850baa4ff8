package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/srp"
	"github.com/cognate/cognate/internal/storage"
)

// USER_SRP_AUTH: the client proves it knows the password without sending
// it (internal/srp has the arithmetic). InitiateAuth with SRP_A answers the
// PASSWORD_VERIFIER challenge (SALT, SRP_B, SECRET_BLOCK, USERNAME,
// USER_ID_FOR_SRP); RespondToAuthChallenge with the password claim
// (PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE, TIMESTAMP)
// finishes the sign-in as a password sign-in does [DOC InitiateAuth,
// RespondToAuthChallenge; OBS amazon-cognito-identity-js].
//
// The server must keep each password's SRP verifier, as Cognito must: it
// is computed whenever a password is set (srpSecret), kept beside the
// argon2id hash. A verifier is derived with SHA-256 (Cognito's formula,
// which the clients compute too), so it is cheaper to attack offline than
// the hash: a trade-off the protocol imposes.

// srpSecret is a password's SRP salt and verifier, hex.
type srpSecret struct{ salt, verifier string }

// newSRPSecret computes the verifier of password for the user whose
// USER_ID_FOR_SRP is userID (the username Cognito returns), in pool p.
func newSRPSecret(p *poolView, userID, password string) srpSecret {
	salt := srp.NewSalt()
	v := srp.Verifier(srp.PoolName(p.rec.ID), userID, password, salt)
	return srpSecret{salt: salt.Text(16), verifier: v.Text(16)}
}

// setPassword stores a new password's hash and SRP verifier.
func (u *userData) setPassword(hash string, v srpSecret) {
	u.Hash, u.SRPSalt, u.SRPVerifier = hash, v.salt, v.verifier
}

// srpChallengeTTL is how long a PASSWORD_VERIFIER challenge can be
// answered: the client's auth session validity, 3 minutes by default [DOC
// AuthSessionValidity].
func srpChallengeTTL(c *api.UserPoolClientType) time.Duration {
	if c.AuthSessionValidity != nil {
		return time.Duration(*c.AuthSessionValidity) * time.Minute
	}
	return 3 * time.Minute
}

// srpState is what SECRET_BLOCK carries, sealed with the pool's key: the
// server's secret b must never reach the client (with b and B a client
// could compute the verifier).
type srpState struct {
	Pool, Client string
	User         string // the user's key; "" for an unknown user (a decoy)
	UserID       string // USER_ID_FOR_SRP
	A, B, Bsec   string // hex
	Expires      int64  // unix seconds
	// Device is the DEVICE_KEY the sign-in presented (devices.go), or the
	// device of DEVICE_PASSWORD_VERIFIER, whose blocks have DeviceAuth.
	Device     string `json:",omitempty"`
	DeviceAuth bool   `json:",omitempty"`
}

// srpStart answers USER_SRP_AUTH with the PASSWORD_VERIFIER challenge.
// With PreventUserExistenceErrors ENABLED an unknown user gets a decoy
// challenge (a salt fixed by the username, a verifier of no password)
// whose answer always fails as a wrong password [DOC managing-errors].
func (s *Service) srpStart(ctx context.Context, si signIn, username, hexA string) (*authResult, error) {
	if username == "" {
		return nil, missing("USERNAME")
	}
	if hexA == "" {
		return nil, missing("SRP_A")
	}
	A, err := srp.ParseA(hexA)
	if err != nil {
		return nil, api.InvalidParameter("SRP_A is not a valid SRP value.") // inferred text; A mod N = 0 must stop the protocol
	}
	k, err := s.signingKey(ctx, si.p.rec)
	if err != nil {
		return nil, err
	}
	st := srpState{Pool: si.p.rec.ID, Client: deref(si.client.ClientId), A: A.Text(16), Device: si.deviceKey,
		Expires: s.now().Add(srpChallengeTTL(si.client)).Unix()}
	var salt, v *big.Int
	// Only a client that hides users needs to know, before the usual
	// refusals, whether the user exists (signInUser looks it up anyway).
	var rec *storage.User
	if hidesUsers(si.client) {
		if rec, err = s.findUser(ctx, si.p, username); err != nil {
			return nil, err
		}
	}
	if rec == nil && hidesUsers(si.client) {
		st.UserID = username
		salt, v = s.decoyVerifier(k.ID, si.p.rec.ID, username)
	} else {
		rec, u, _, err := s.signInUser(ctx, si, username)
		if err != nil {
			return nil, err
		}
		st.User, st.UserID = rec.Key, rec.Username
		var ok1, ok2 bool
		salt, ok1 = new(big.Int).SetString(u.SRPSalt, 16)
		v, ok2 = new(big.Int).SetString(u.SRPVerifier, 16)
		if !ok1 || !ok2 {
			// No verifier (no password yet): the claim can only fail.
			salt, v = s.decoyVerifier(k.ID, si.p.rec.ID, username)
		}
	}
	b, B := srp.ServerStart(v)
	st.B, st.Bsec = B.Text(16), b.Text(16)
	plain, _ := json.Marshal(st) // strings and ints always marshal
	return &authResult{
		challenge: new(challengePasswordVerifier),
		params: map[string]string{
			"SALT": salt.Text(16), "SRP_B": B.Text(16), "SECRET_BLOCK": base64.StdEncoding.EncodeToString(k.Seal(plain)),
			"USERNAME": st.UserID, "USER_ID_FOR_SRP": st.UserID,
		},
	}, nil
}

// decoyVerifier is a salt and verifier for a user that has none: the
// salt is fixed by the username (so that asking twice reveals nothing),
// the verifier is of a password nobody knows.
func (s *Service) decoyVerifier(keyID, poolID, username string) (*big.Int, *big.Int) {
	m := hmac.New(sha256.New, []byte("cognate srp decoy "+keyID))
	m.Write([]byte(poolID + "\x00" + username))
	sum := m.Sum(nil)
	salt := new(big.Int).SetBytes(sum[:16])
	return salt, srp.Verifier(srp.PoolName(poolID), username, base64.StdEncoding.EncodeToString(sum[16:]), salt)
}

// openPasswordClaim checks the parameters of a password claim
// (PASSWORD_VERIFIER, DEVICE_PASSWORD_VERIFIER: the claim's own and
// required) and its TIMESTAMP's form, and opens its sealed secret block,
// which must be of this pool and app client. It returns the block as
// sent (the signature covers it) and the handshake's state.
func (s *Service) openPasswordClaim(ctx context.Context, si signIn, r map[string]string, required ...string) ([]byte, *srpState, error) {
	for _, name := range append(required, "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP") {
		if r[name] == "" {
			return nil, nil, missing(name)
		}
	}
	if _, ok := srp.CheckTimestamp(r["TIMESTAMP"]); !ok {
		return nil, nil, api.InvalidParameter("TIMESTAMP format is invalid.") // inferred text
	}
	incorrect := api.NotAuthorized(errIncorrect)
	k, err := s.signingKey(ctx, si.p.rec)
	if err != nil {
		return nil, nil, err
	}
	block, err := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SECRET_BLOCK"])
	if err != nil {
		return nil, nil, incorrect
	}
	plain, err := k.Open(block)
	if err != nil {
		return nil, nil, incorrect
	}
	var st srpState
	if err := json.Unmarshal(plain, &st); err != nil || st.Pool != si.p.rec.ID || st.Client != deref(si.client.ClientId) {
		return nil, nil, incorrect
	}
	return block, &st, nil
}

// claimSignatureOK reports whether the claim's PASSWORD_CLAIM_SIGNATURE
// is the one of st's handshake with the verifier (hex), for the names SRP
// hashes into the signature: the pool's name and the user's ID, or a
// device's group and key.
func claimSignatureOK(st *srpState, verifierHex, group, user string, block []byte, r map[string]string) bool {
	sig, err := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SIGNATURE"])
	v, okV := new(big.Int).SetString(verifierHex, 16)
	A, _ := new(big.Int).SetString(st.A, 16)
	B, _ := new(big.Int).SetString(st.B, 16)
	b, _ := new(big.Int).SetString(st.Bsec, 16)
	if err != nil || !okV || A == nil || B == nil || b == nil {
		return false
	}
	want := srp.Signature(srp.ServerKey(A, B, b, v), group, user, block, r["TIMESTAMP"])
	return subtle.ConstantTimeCompare(sig, want) == 1
}

// srpVerify answers PASSWORD_VERIFIER: it opens the secret block, checks
// the timestamp's form and the signature, and finishes the sign-in.
func (s *Service) srpVerify(ctx context.Context, si signIn, r map[string]string) (*authResult, error) {
	block, st, err := s.openPasswordClaim(ctx, si, r, "USERNAME")
	if err != nil {
		return nil, err
	}
	incorrect := api.NotAuthorized(errIncorrect)
	if s.now().Unix() > st.Expires {
		return nil, api.NotAuthorized("Invalid session for the user, session is expired.") // [OBS, widely quoted for expired sessions]
	}
	if st.User == "" || st.DeviceAuth {
		return nil, incorrect // the decoy of an unknown user; a device's block
	}
	// The libraries send DEVICE_KEY with the password claim, having read
	// it from their cache only after InitiateAuth [OBS
	// amazon-cognito-identity-js authenticateUserDefaultAuth].
	si.deviceKey = r["DEVICE_KEY"]
	if si.deviceKey == "" {
		si.deviceKey = st.Device
	}
	rec, u, rc, err := s.signInUser(ctx, si, r["USERNAME"])
	if err != nil {
		return nil, err
	}
	if rec.Key != st.User {
		return nil, incorrect
	}
	ok := claimSignatureOK(st, u.SRPVerifier, srp.PoolName(si.p.rec.ID), st.UserID, block, r)
	// SRP carries no password: threat protection judges the address and
	// device only (adaptive authentication covers USER_SRP_AUTH,
	// compromised credentials do not [DOC]).
	return s.passwordChecked(ctx, si, rec, u, rc, "", ok)
}
