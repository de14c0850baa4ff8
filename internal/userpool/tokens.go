package userpool

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/token"
)

// Tokens. A pool signs its ID, access and refresh tokens and its auth
// sessions with one RSA key (internal/token), made on the pool's first
// token rather than in CreateUserPool, which stays cheap. Cognito signs
// ID and access tokens with two different keys [DOC "Understanding the
// access token"]; Cognate uses one, which its JWKS publishes, and clients
// select keys by kid either way.
//
// Refresh tokens on AWS are encrypted JWE that clients cannot read [DOC].
// Cognate's are JWS with token_use "refresh", signed HS256 with a key
// derived from the pool's private key (token.SignOpaque: only the pool
// verifies them, so they need no RSA signature, which costs a
// millisecond); they are readable but carry no secret, and clients must
// treat them as opaque strings, as they must AWS's. Sessions
// (NEW_PASSWORD_REQUIRED) are the same, with token_use "session". Each
// use is verified only with its own algorithm.

// Token uses of Cognate's tokens.
const (
	useID      = "id"
	useAccess  = "access"
	useRefresh = "refresh"
	useSession = "session"
)

// adminScope is the scope of every access token issued by the user-pool
// API [DOC "Understanding the access token"].
const adminScope = "aws.cognito.signin.user.admin"

// WithIssuer sets the base URL of the tokens' issuer: iss is
// <base>/<poolId>. Without it the base is that of the request
// (ContextWithBaseURL), as Cognito's is its regional endpoint [DOC].
func WithIssuer(base string) Option {
	return func(s *Service) { s.keys.issuer = strings.TrimRight(base, "/") }
}

type baseURLKey struct{}

// ContextWithBaseURL returns ctx carrying the URL the request reached the
// server by (http://host:port), the default issuer base.
func ContextWithBaseURL(ctx context.Context, base string) context.Context {
	return context.WithValue(ctx, baseURLKey{}, strings.TrimRight(base, "/"))
}

// signingKeys caches the pools' keys; a pool deleted and created again
// under the same ID has a new CreatedAt and so a new entry.
type signingKeys struct {
	issuer string
	mu     sync.Mutex
	byPool map[string]*token.Key
}

func keyCacheKey(rec *storage.UserPool) string {
	return rec.AccountID + "/" + rec.Region + "/" + rec.ID + "/" + strconv.FormatInt(rec.CreatedAt.UnixNano(), 10)
}

// Issuer returns the iss of the pool's tokens for a request.
func (s *Service) Issuer(ctx context.Context, poolID string) string {
	base := s.keys.issuer
	if base == "" {
		base, _ = ctx.Value(baseURLKey{}).(string)
	}
	if base == "" {
		base = "http://localhost"
	}
	return base + "/" + poolID
}

// signingKey returns the pool's key, making and storing one if the pool
// has none yet.
func (s *Service) signingKey(ctx context.Context, rec *storage.UserPool) (*token.Key, error) {
	ck := keyCacheKey(rec)
	s.keys.mu.Lock()
	k := s.keys.byPool[ck]
	s.keys.mu.Unlock()
	if k != nil {
		return k, nil
	}
	keys, err := s.store.SigningKeys(ctx, rec.Key())
	if err != nil {
		return nil, storeError(rec.ID, err)
	}
	var stored storage.SigningKey
	if len(keys) > 0 {
		stored = keys[0]
	} else {
		nk, err := token.NewKey()
		if err != nil {
			return nil, err
		}
		der, err := nk.Marshal()
		if err != nil {
			return nil, err
		}
		if stored, err = s.store.EnsureSigningKey(ctx, rec.Key(), storage.SigningKey{KeyID: nk.ID, Private: der, CreatedAt: s.now().UTC()}); err != nil {
			return nil, storeError(rec.ID, err)
		}
	}
	if k, err = token.UnmarshalKey(stored.KeyID, stored.Private); err != nil {
		return nil, err
	}
	s.keys.mu.Lock()
	if s.keys.byPool == nil {
		s.keys.byPool = map[string]*token.Key{}
	}
	s.keys.byPool[ck] = k
	s.keys.mu.Unlock()
	return k, nil
}

// JWKS returns the public keys of a pool (making its key if it has none,
// so that a verifier may fetch them before the first sign-in). It returns
// false when the pool does not exist in the account.
func (s *Service) JWKS(ctx context.Context, accountID, poolID string) ([]token.JWK, bool, error) {
	region, _, ok := strings.Cut(poolID, "_")
	if !ok {
		return nil, false, nil
	}
	rec, err := s.store.GetUserPool(ctx, storage.PoolKey{Scope: storage.Scope{AccountID: accountID, Region: region}, ID: poolID})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	k, err := s.signingKey(ctx, rec)
	if err != nil {
		return nil, false, err
	}
	return []token.JWK{k.PublicJWK()}, true, nil
}

// validity is how long a client's tokens live: AccessTokenValidity and
// IdTokenValidity in hours by default (1 when unset), RefreshTokenValidity
// in days (30), each in its TokenValidityUnits [DOC TokenValidityUnitsType].
func validity(c *api.UserPoolClientType) (access, id, refresh time.Duration) {
	var units api.TokenValidityUnitsType
	if c.TokenValidityUnits != nil {
		units = *c.TokenValidityUnits
	}
	unit := func(u *string, def time.Duration) time.Duration {
		switch deref(u) {
		case "seconds":
			return time.Second
		case "minutes":
			return time.Minute
		case "hours":
			return time.Hour
		case "days":
			return 24 * time.Hour
		}
		return def
	}
	amount := func(v *int32, def int32) time.Duration {
		if v == nil || *v == 0 {
			return time.Duration(def)
		}
		return time.Duration(*v)
	}
	access = amount(c.AccessTokenValidity, 1) * unit(units.AccessToken, time.Hour)
	id = amount(c.IdTokenValidity, 1) * unit(units.IdToken, time.Hour)
	refresh = amount(c.RefreshTokenValidity, 30) * unit(units.RefreshToken, 24*time.Hour)
	return access, id, refresh
}

// issued is a sign-in's tokens.
type issued struct {
	access, id, refresh string
	expiresIn           int32
}

// grant is what a set of tokens is issued for.
type grant struct {
	p      *poolView
	client *api.UserPoolClientType
	rec    *storage.User
	u      *userData
	// authTime is when the user authenticated (unix seconds); originJTI
	// the family of tokens of that authentication, shared by the tokens a
	// refresh issues [DOC "origin_jti"].
	authTime  int64
	originJTI string
	// withRefresh: a password sign-in issues a refresh token, a refresh
	// does not (without rotation) [DOC REFRESH_TOKEN_AUTH].
	withRefresh bool
	// eventID is the sign-in's auth event, when threat protection recorded
	// one: "The ID and access tokens include this event ID" [DOC].
	eventID string
	// deviceKey is the sign-in's device in a pool that tracks devices
	// (devices.go): the access token's device_key claim [DOC access token
	// example], kept in the refresh token for its refreshes.
	deviceKey string
	// oauth is set for tokens of the OAuth 2.0 endpoints (oauth2.go): the
	// granted scopes and the ID token's nonce.
	oauth *oauthClaims
}

// issueTokens signs the ID, access and (optionally) refresh tokens with
// the claims Cognito puts in them [DOC "Understanding the identity (ID)
// token", "Understanding the access token"; OBS tokens of live pools].
func (s *Service) issueTokens(ctx context.Context, g grant) (*issued, error) {
	k, err := s.signingKey(ctx, g.p.rec)
	if err != nil {
		return nil, err
	}
	issuedAt := s.now()
	now := issuedAt.Unix()
	accessTTL, idTTL, refreshTTL := validity(g.client)
	iss := s.Issuer(ctx, g.p.rec.ID)
	clientID := deref(g.client.ClientId)
	sub, _ := g.u.get("sub")
	eventID := g.eventID
	if eventID == "" {
		eventID = newSub()
	}
	if g.originJTI == "" {
		g.originJTI = newSub()
	}
	access := map[string]any{
		"sub": sub, "iss": iss, "client_id": clientID, "origin_jti": g.originJTI, "event_id": eventID,
		"token_use": useAccess, "scope": adminScope, "auth_time": g.authTime, "exp": now + int64(accessTTL/time.Second),
		"iat": now, "jti": newJTI(issuedAt), "username": g.rec.Username,
	}
	id := map[string]any{
		"sub": sub, "iss": iss, "cognito:username": g.rec.Username, "origin_jti": g.originJTI, "aud": clientID,
		"event_id": eventID, "token_use": useID, "auth_time": g.authTime, "exp": now + int64(idTTL/time.Second),
		"iat": now, "jti": newJTI(issuedAt),
	}
	for _, a := range g.u.Attrs {
		if a.N == "sub" || (len(g.client.ReadAttributes) > 0 && !contains(g.client.ReadAttributes, a.N)) {
			continue
		}
		// The *_verified attributes are JSON booleans in the ID token [OBS
		// "email_verified": true].
		if strings.HasSuffix(a.N, "_verified") {
			id[a.N] = a.V == "true"
			continue
		}
		id[a.N] = a.V
	}
	// Groups as of this issue: a refresh carries the user's groups at
	// the time of the refresh.
	gs, err := s.userGroups(ctx, g.rec)
	if err != nil {
		return nil, err
	}
	if groups, roles, preferred := groupClaims(gs); len(groups) > 0 {
		access["cognito:groups"] = groups
		id["cognito:groups"] = groups
		if len(roles) > 0 {
			id["cognito:roles"] = roles
		}
		if preferred != "" {
			id["cognito:preferred_role"] = preferred
		}
	}
	if g.deviceKey != "" {
		access["device_key"] = g.deviceKey
	}
	g.oauth.addTo(access, id)
	out := &issued{expiresIn: int32(accessTTL / time.Second)}
	if out.access, err = token.Sign(k, access); err != nil {
		return nil, err
	}
	g.oauth.hashAccess(id, out.access)
	if out.id, err = token.Sign(k, id); err != nil {
		return nil, err
	}
	if g.withRefresh {
		refresh := map[string]any{
			"iss": iss, "sub": sub, "username": g.rec.Username, "client_id": clientID, "token_use": useRefresh,
			"origin_jti": g.originJTI, "auth_time": g.authTime, "iat": now, "exp": now + int64(refreshTTL/time.Second), "jti": newJTI(issuedAt),
		}
		if g.deviceKey != "" {
			refresh["device_key"] = g.deviceKey
		}
		if g.oauth != nil {
			refresh["scope"] = g.oauth.scope
		}
		if out.refresh, err = token.SignOpaque(k, refresh); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *issued) result() *api.AuthenticationResultType {
	r := &api.AuthenticationResultType{AccessToken: new(t.access), IdToken: new(t.id), ExpiresIn: new(t.expiresIn), TokenType: new("Bearer")}
	if t.refresh != "" {
		r.RefreshToken = new(t.refresh)
	}
	return r
}

// verified is a token that checked out: signed by its pool's key, of the
// expected use, not expired, not revoked.
type verified struct {
	p   *token.Parsed
	rec *storage.UserPool
}

// tokenErrors are the texts of a refused token of one use: "Invalid
// Access Token", "Access Token has expired", "Access Token has been
// revoked" (the brief's texts, widely quoted [INF]); the refresh-token
// texts are the same family ("Invalid Refresh Token" and "Refresh Token
// has been revoked" widely quoted; "Refresh Token has expired" [INF]).
type tokenErrors struct{ invalid, expired, revoked string }

var (
	accessTokenErrors  = tokenErrors{"Invalid Access Token", "Access Token has expired", "Access Token has been revoked"}
	refreshTokenErrors = tokenErrors{"Invalid Refresh Token", "Refresh Token has expired", "Refresh Token has been revoked"}
	// "Invalid session for the user, session is expired." is widely
	// quoted from amplify-js reports [INF]; the text for a bad session is
	// inferred.
	sessionErrors = tokenErrors{"Invalid session for the user.", "Invalid session for the user, session is expired.", "Invalid session for the user."}
)

// verifyToken checks a token of the caller's account: its pool is named
// by iss (…/<poolId>), whatever the issuer's base, so that a token keeps
// working when the server is reached by another address.
func (s *Service) verifyToken(ctx context.Context, raw, use string, te tokenErrors) (*verified, error) {
	invalid := api.NotAuthorized("%s", te.invalid)
	p, err := token.Parse(raw)
	if err != nil {
		return nil, invalid.Wrap(err)
	}
	iss := p.String("iss")
	poolID := iss[strings.LastIndexByte(iss, '/')+1:]
	region, _, ok := strings.Cut(poolID, "_")
	if !ok {
		return nil, invalid
	}
	sc, err := scope(ctx)
	if err != nil {
		return nil, err
	}
	rec, err := s.store.GetUserPool(ctx, storage.PoolKey{Scope: storage.Scope{AccountID: sc.AccountID, Region: region}, ID: poolID})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	k, err := s.signingKey(ctx, rec)
	if err != nil {
		return nil, err
	}
	if p.KeyID != k.ID {
		return nil, invalid
	}
	verify := func() error { return p.Verify(&k.Private.PublicKey) }
	if use == useRefresh || use == useSession {
		verify = func() error { return p.VerifyOpaque(k) }
	}
	if err := verify(); err != nil {
		return nil, invalid.Wrap(err)
	}
	if p.String("token_use") != use {
		return nil, invalid
	}
	if s.now().Unix() >= p.Int("exp") {
		return nil, api.NotAuthorized("%s", te.expired)
	}
	if use != useSession {
		revoked, err := s.store.TokenRevoked(ctx, rec.Key(), p.String("origin_jti"))
		if err != nil {
			return nil, err
		}
		if revoked {
			return nil, api.NotAuthorized("%s", te.revoked)
		}
	}
	return &verified{p: p, rec: rec}, nil
}

// tokenUser is the user a verified token names, refused as revoked when
// the user signed out everywhere after the token was issued or is
// disabled [DOC AdminDisableUser "revokes all access tokens"; GlobalSignOut].
func (s *Service) tokenUser(ctx context.Context, v *verified, te tokenErrors) (*poolView, *storage.User, *userData, error) {
	p, err := s.loadPool(ctx, v.rec.Key())
	if err != nil {
		return nil, nil, nil, err
	}
	rec, err := s.store.FindUser(ctx, p.rec.Key(), "sub:"+v.p.String("sub"))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil, nil, api.NotAuthorized("User does not exist.") // inferred text [INF]
	}
	if err != nil {
		return nil, nil, nil, err
	}
	u, err := decodeUser(rec)
	if err != nil {
		return nil, nil, nil, err
	}
	if u.Disabled || revokedBySignOut(u, v.p) {
		return nil, nil, nil, api.NotAuthorized("%s", te.revoked)
	}
	return p, rec, u, nil
}

// revokedBySignOut: a global sign-out (or disabling the user) revokes
// the tokens issued up to its millisecond, told by the time in the
// token's jti.
func revokedBySignOut(u *userData, p *token.Parsed) bool {
	return u.SignedOut != 0 && issuedMilli(p) <= u.SignedOut
}

// newJTI returns a UUID version 7 (RFC 9562): random like Cognito's jti
// values, and carrying the millisecond the token was issued at, which
// iat (seconds) is too coarse for: a token issued just after a sign-out
// must work, one issued just before must not.
func newJTI(at time.Time) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	ms := uint64(at.UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// issuedMilli is when a token was issued: the time in its version-7 jti,
// or else the end of its iat second.
func issuedMilli(p *token.Parsed) int64 {
	jti := strings.ReplaceAll(p.String("jti"), "-", "")
	if len(jti) == 32 && jti[12] == '7' {
		if ms, err := strconv.ParseUint(jti[:12], 16, 64); err == nil {
			return int64(ms)
		}
	}
	return p.Int("iat")*1000 + 999
}

// accessUser checks an access token and returns its user.
func (s *Service) accessUser(ctx context.Context, raw *string) (*poolView, *storage.User, *userData, *verified, error) {
	v, err := s.verifyToken(ctx, deref(raw), useAccess, accessTokenErrors)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	// The user-pool API's self-service operations need the
	// aws.cognito.signin.user.admin scope: an OAuth token without it, a
	// client-credentials token among them, is refused [OBS "Access Token
	// does not have required scopes", widely quoted].
	if !contains(strings.Fields(v.p.String("scope")), adminScope) {
		return nil, nil, nil, nil, api.NotAuthorized("Access Token does not have required scopes")
	}
	p, rec, u, err := s.tokenUser(ctx, v, accessTokenErrors)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return p, rec, u, v, nil
}

// newSession signs an auth session for a challenge; it lives the client's
// AuthSessionValidity minutes (3 by default) [DOC].
func (s *Service) newSession(ctx context.Context, p *poolView, c *api.UserPoolClientType, rec *storage.User, challenge string) (string, error) {
	k, err := s.signingKey(ctx, p.rec)
	if err != nil {
		return "", err
	}
	minutes := int64(3)
	if c.AuthSessionValidity != nil {
		minutes = int64(*c.AuthSessionValidity)
	}
	now := s.now().Unix()
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	return token.SignOpaque(k, map[string]any{
		"iss": s.Issuer(ctx, p.rec.ID), "token_use": useSession, "client_id": deref(c.ClientId), "username": rec.Key,
		"challenge": challenge, "iat": now, "exp": now + minutes*60, "jti": fmt.Sprintf("%x", nonce),
	})
}

// issueClientToken signs the access token of a client-credentials grant
// (oauth2.go): sub is the client, and it carries the claims of Cognito's
// machine-to-machine tokens and no user [DOC "Understanding the access
// token", client credentials example: sub, token_use, scope, auth_time,
// iss, exp, iat, version 2, jti, client_id].
func (s *Service) issueClientToken(ctx context.Context, rec *storage.UserPool, c *api.UserPoolClientType, scope string) (string, int32, error) {
	k, err := s.signingKey(ctx, rec)
	if err != nil {
		return "", 0, err
	}
	issuedAt := s.now()
	now := issuedAt.Unix()
	accessTTL, _, _ := validity(c)
	clientID := deref(c.ClientId)
	claims := map[string]any{
		"sub": clientID, "token_use": useAccess, "scope": scope, "auth_time": now, "iss": s.Issuer(ctx, rec.ID),
		"exp": now + int64(accessTTL/time.Second), "iat": now, "version": 2, "jti": newJTI(issuedAt), "client_id": clientID,
	}
	raw, err := token.Sign(k, claims)
	return raw, int32(accessTTL / time.Second), err
}
