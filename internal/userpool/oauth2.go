package userpool

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/token"
)

// The OAuth 2.0 authorization server of a user pool domain
// (docs/research/oauth-facts.md §3): the token endpoint's grants
// (client_credentials, authorization_code with PKCE, refresh_token), the
// authorization endpoint's checks and the hosted sign-in's code, userInfo,
// revocation and logout. The HTTP side is internal/server/oauth2.go; this
// file knows nothing of forms or HTML.
//
// Authorization codes are opaque to clients; Cognate's are HS256 JWS
// (token.SignOpaque) with token_use "code", valid 5 minutes [DOC
// "Authorize endpoint": "codes are valid for five minutes"], bound to the
// client, redirect URI, scopes, PKCE challenge and nonce. A redeemed code
// is recorded by its jti (OAuthStore.UseOnce, atomic), so it works once,
// even when two redemptions race.

// OAuthError is an OAuth 2.0 error: the error code and the HTTP status
// Cognito answers it with. The token endpoint answers every error with 400
// and {"error": code} [DOC "Token endpoint" error responses].
type OAuthError struct {
	Code   string
	Status int
	// Description is Cognate's explanation (error_description where the
	// endpoint has one, the HTML page of the hosted sign-in).
	Description string
}

func (e *OAuthError) Error() string { return e.Code + ": " + e.Description }

func oauthErr(code, format string, args ...any) *OAuthError {
	return &OAuthError{Code: code, Status: http.StatusBadRequest, Description: fmt.Sprintf(format, args...)}
}

// The OAuth error codes [DOC "Token endpoint", RFC 6749 §5.2].
const (
	ErrInvalidRequest       = "invalid_request"
	ErrInvalidClient        = "invalid_client"
	ErrInvalidGrant         = "invalid_grant"
	ErrUnauthorizedClient   = "unauthorized_client"
	ErrUnsupportedGrantType = "unsupported_grant_type"
	ErrInvalidScope         = "invalid_scope"
	ErrUnsupportedResponse  = "unsupported_response_type"
	ErrUnsupportedTokenType = "unsupported_token_type"
	ErrInvalidToken         = "invalid_token"
)

// The OAuth flows of AllowedOAuthFlows [DOC OAuthFlowType].
const (
	oauthFlowCode     = "code"
	oauthFlowImplicit = "implicit"
	oauthFlowClient   = "client_credentials"
)

const (
	useCode  = "code"
	codeLife = 5 * time.Minute
)

// oauthClaims are the claims of tokens the OAuth endpoints issue for a
// user: the granted scopes in the access token (instead of the API's
// aws.cognito.signin.user.admin) with version 2, and the nonce of the
// authorization request in the ID token [DOC "Understanding the access
// token", "…the identity (ID) token"].
type oauthClaims struct {
	scope, nonce string
}

func (o *oauthClaims) addTo(access, id map[string]any) {
	if o == nil {
		return
	}
	access["scope"] = o.scope
	access["version"] = 2
	if o.nonce != "" {
		id["nonce"] = o.nonce
	}
}

// hashAccess puts the access token's at_hash in the ID token of an OAuth
// grant: the left half of its SHA-256, base64url [OpenID Connect Core
// §3.1.3.6; OBS in Cognito's hosted-UI ID tokens].
func (o *oauthClaims) hashAccess(id map[string]any, access string) {
	if o == nil {
		return
	}
	sum := sha256.Sum256([]byte(access))
	id["at_hash"] = base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

// FindDomain returns the domain called name (in region, or in any region
// when region is ""); storage.ErrNotFound when there is none.
func (s *Service) FindDomain(ctx context.Context, region, name string) (*storage.Domain, error) {
	return s.store.FindDomain(ctx, region, name)
}

// domainContext is ctx as a call of the domain's account and region, for
// the token checks the API's operations share.
func domainContext(ctx context.Context, d *storage.Domain) context.Context {
	c, _ := api.CallerFrom(ctx)
	c.AccountID, c.Region, c.Signed = d.AccountID, d.Region, true
	return api.WithCaller(ctx, c)
}

// oauthClient reads a client of the domain's pool and checks its secret
// when it has one. A client that does not exist or whose secret does not
// match is invalid_client [DOC "Token endpoint"].
func (s *Service) oauthClient(ctx context.Context, d *storage.Domain, id, secret string) (*api.UserPoolClientType, error) {
	if id == "" {
		return nil, oauthErr(ErrInvalidClient, "The request names no client (client_id or HTTP Basic authentication).")
	}
	rec, err := s.store.GetAppClient(ctx, storage.AppClientKey{PoolKey: d.PoolKey(), ClientID: id})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, oauthErr(ErrInvalidClient, "Client %s does not exist in user pool %s.", id, d.PoolID)
	}
	if err != nil {
		return nil, err
	}
	c, err := decodeClient(rec)
	if err != nil {
		return nil, err
	}
	want := deref(c.ClientSecret)
	if want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(secret)) != 1 {
		return nil, oauthErr(ErrInvalidClient, "The client secret is missing or wrong.")
	}
	if want == "" && secret != "" {
		return nil, oauthErr(ErrInvalidClient, "Client %s has no secret.", id) // [INF]
	}
	return c, nil
}

// oauthFlowAllowed: the client must have OAuth enabled and list the flow
// [DOC AllowedOAuthFlowsUserPoolClient: "you must set it to true before
// you can configure the following features"].
func oauthFlowAllowed(c *api.UserPoolClientType, flow string) bool {
	return deref(c.AllowedOAuthFlowsUserPoolClient) && contains(c.AllowedOAuthFlows, flow)
}

// TokenRequest is a request to the token endpoint, its form parsed and
// its client authentication (HTTP Basic or form) resolved.
type TokenRequest struct {
	GrantType, ClientID, ClientSecret, Scope string
	Code, RedirectURI, CodeVerifier          string
	RefreshToken                             string
}

// TokenResponse is the token endpoint's answer [DOC]: IDToken and
// RefreshToken are empty when not issued.
type TokenResponse struct {
	AccessToken, IDToken, RefreshToken string
	ExpiresIn                          int32
}

// OAuthToken runs the token endpoint for a domain. Its errors are
// *OAuthError, or errors of the store.
func (s *Service) OAuthToken(ctx context.Context, d *storage.Domain, r TokenRequest) (*TokenResponse, error) {
	ctx = domainContext(ctx, d)
	switch r.GrantType {
	case "client_credentials", "authorization_code", "refresh_token":
	case "":
		return nil, oauthErr(ErrInvalidRequest, "grant_type is required.")
	default:
		// "Returned if grant_type is anything other than
		// authorization_code, refresh_token or client_credentials" [DOC].
		return nil, oauthErr(ErrUnsupportedGrantType, "grant_type %q is not supported.", r.GrantType)
	}
	c, err := s.oauthClient(ctx, d, r.ClientID, r.ClientSecret)
	if err != nil {
		return nil, err
	}
	switch r.GrantType {
	case "client_credentials":
		return s.clientCredentials(ctx, d, c, r)
	case "authorization_code":
		return s.redeemCode(ctx, d, c, r)
	}
	return s.oauthRefresh(ctx, d, c, r)
}

// clientCredentials issues a machine-to-machine access token: only to a
// client with a secret and the client_credentials flow, for custom scopes
// the client is allowed (all of them when none are requested) [DOC
// "Client credentials grant"; "Scopes, M2M, and APIs with resource
// servers"]. Standard scopes are user scopes: asking for one is
// invalid_scope [INF].
func (s *Service) clientCredentials(ctx context.Context, d *storage.Domain, c *api.UserPoolClientType, r TokenRequest) (*TokenResponse, error) {
	if deref(c.ClientSecret) == "" {
		return nil, oauthErr(ErrInvalidClient, "The client credentials grant needs a client with a secret.") // [INF]
	}
	if !oauthFlowAllowed(c, oauthFlowClient) {
		return nil, oauthErr(ErrUnauthorizedClient, "Client %s is not allowed the client_credentials flow.", deref(c.ClientId))
	}
	custom, err := s.customScopes(ctx, d.PoolKey())
	if err != nil {
		return nil, err
	}
	var granted []string
	if req := splitScopes(r.Scope); len(req) > 0 {
		for _, sc := range req {
			if !contains(c.AllowedOAuthScopes, sc) || !custom[sc] {
				return nil, oauthErr(ErrInvalidScope, "Scope %s is not a custom scope the client is allowed.", sc)
			}
			if !contains(granted, sc) {
				granted = append(granted, sc)
			}
		}
	} else {
		for _, sc := range c.AllowedOAuthScopes {
			if custom[sc] {
				granted = append(granted, sc)
			}
		}
	}
	if len(granted) == 0 {
		return nil, oauthErr(ErrInvalidScope, "The client is allowed no custom scope.")
	}
	rec, err := s.store.GetUserPool(ctx, d.PoolKey())
	if err != nil {
		return nil, err
	}
	access, ttl, err := s.issueClientToken(ctx, rec, c, joinScopes(granted))
	if err != nil {
		return nil, err
	}
	return &TokenResponse{AccessToken: access, ExpiresIn: ttl}, nil
}

func joinScopes(scopes []string) string { return strings.Join(scopes, " ") }

// redeemCode exchanges an authorization code for tokens, once, for the
// client and redirect URI it was issued to, with the PKCE verifier when
// the authorization request had a challenge [DOC "Token endpoint"; RFC
// 7636 §4.6].
func (s *Service) redeemCode(ctx context.Context, d *storage.Domain, c *api.UserPoolClientType, r TokenRequest) (*TokenResponse, error) {
	if r.Code == "" {
		return nil, oauthErr(ErrInvalidRequest, "code is required.")
	}
	if !oauthFlowAllowed(c, oauthFlowCode) {
		// "Client is not allowed for code grant flow" [DOC].
		return nil, oauthErr(ErrUnauthorizedClient, "Client %s is not allowed the code flow.", deref(c.ClientId))
	}
	p, err := s.loadPool(ctx, d.PoolKey())
	if err != nil {
		return nil, err
	}
	k, err := s.signingKey(ctx, p.rec)
	if err != nil {
		return nil, err
	}
	bad := oauthErr(ErrInvalidGrant, "The authorization code is invalid, expired or used.")
	code, err := token.Parse(r.Code)
	if err != nil || code.KeyID != k.ID || code.VerifyOpaque(k) != nil || code.String("token_use") != useCode {
		return nil, bad
	}
	if s.now().Unix() >= code.Int("exp") || code.String("client_id") != deref(c.ClientId) {
		return nil, bad
	}
	if code.String("redirect_uri") != r.RedirectURI {
		// A redirect_uri other than the authorization request's is
		// unauthorized_client on Cognito [OBS stackoverflow 50264679].
		return nil, oauthErr(ErrUnauthorizedClient, "redirect_uri does not match the authorization request's.")
	}
	if challenge := code.String("code_challenge"); challenge != "" {
		if r.CodeVerifier == "" || !pkceMatches(code.String("code_challenge_method"), challenge, r.CodeVerifier) {
			return nil, oauthErr(ErrInvalidGrant, "code_verifier does not match the code challenge.")
		}
	}
	first, err := s.store.UseOnce(ctx, p.rec.Key(), code.String("jti"), time.Unix(code.Int("exp"), 0))
	if err != nil {
		return nil, storeError(p.rec.ID, err)
	}
	if !first {
		return nil, bad
	}
	rec, err := s.store.FindUser(ctx, p.rec.Key(), "sub:"+code.String("sub"))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	u, err := decodeUser(rec)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, oauthErr(ErrInvalidGrant, "The user is disabled.")
	}
	t, err := s.issueTokens(ctx, grant{p: p, client: c, rec: rec, u: u, authTime: code.Int("auth_time"), withRefresh: true,
		oauth: &oauthClaims{scope: code.String("scope"), nonce: code.String("nonce")}})
	if err != nil {
		return nil, err
	}
	return oauthTokens(t, code.String("scope")), nil
}

// oauthTokens is a user's tokens as the token endpoint answers them: an
// ID token only for the openid scope [DOC "Token endpoint": "id_token …
// when openid is in the scopes"].
func oauthTokens(t *issued, scope string) *TokenResponse {
	out := &TokenResponse{AccessToken: t.access, RefreshToken: t.refresh, ExpiresIn: t.expiresIn}
	if contains(splitScopes(scope), "openid") {
		out.IDToken = t.id
	}
	return out
}

// pkceMatches checks a code verifier against the challenge [RFC 7636
// §4.6]. Cognito documents S256 only [DOC "Authorize endpoint"]; plain is
// accepted too, as the RFC allows.
func pkceMatches(method, challenge, verifier string) bool {
	want := verifier
	if method == "" || method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

// oauthRefresh is the refresh_token grant: REFRESH_TOKEN_AUTH on the
// token endpoint [DOC], keeping the scopes of the refresh token's grant.
func (s *Service) oauthRefresh(ctx context.Context, d *storage.Domain, c *api.UserPoolClientType, r TokenRequest) (*TokenResponse, error) {
	if r.RefreshToken == "" {
		// "grant_type is refresh_token but refresh_token is not included"
		// is DOC's example of invalid_request.
		return nil, oauthErr(ErrInvalidRequest, "refresh_token is required.")
	}
	v, err := s.verifyToken(ctx, r.RefreshToken, useRefresh, refreshTokenErrors)
	var ae *api.Error
	if errors.As(err, &ae) {
		return nil, oauthErr(ErrInvalidGrant, "%s", ae.Message)
	}
	if err != nil {
		return nil, err
	}
	if v.rec.ID != d.PoolID || v.p.String("client_id") != deref(c.ClientId) {
		return nil, oauthErr(ErrInvalidGrant, "%s", refreshTokenErrors.invalid)
	}
	p, rec, u, err := s.tokenUser(ctx, v, refreshTokenErrors)
	if errors.As(err, &ae) {
		return nil, oauthErr(ErrInvalidGrant, "%s", ae.Message)
	}
	if err != nil {
		return nil, err
	}
	g := grant{p: p, client: c, rec: rec, u: u, authTime: v.p.Int("auth_time"), originJTI: v.p.String("origin_jti"), oauth: refreshOAuth(v.p)}
	scope := adminScope + " openid" // a refresh token of the API: its tokens are the API's
	if g.oauth != nil {
		scope = g.oauth.scope
	}
	t, err := s.issueTokens(ctx, g)
	if err != nil {
		return nil, err
	}
	return oauthTokens(t, scope), nil
}

// refreshOAuth returns the OAuth claims a refresh token's grant had (nil
// for a refresh token of the API's sign-in), so that a refresh keeps the
// scopes: a token of the OAuth endpoints must not become an
// aws.cognito.signin.user.admin token by being refreshed [INF].
func refreshOAuth(p *token.Parsed) *oauthClaims {
	if sc := p.String("scope"); sc != "" {
		return &oauthClaims{scope: sc}
	}
	return nil
}

// AuthorizeRequest is the authorization endpoint's query, carried
// through the hosted sign-in page.
type AuthorizeRequest struct {
	ClientID, RedirectURI, ResponseType, Scope, State string
	CodeChallenge, CodeChallengeMethod, Nonce         string
}

// CheckAuthorize checks an authorization request and returns the scopes
// it grants. Errors come in two kinds [DOC "Authorize endpoint"]: when the
// client or the redirect URI is wrong Cognito shows an error page
// (redirect false; /error?error=redirect_mismatch [OBS]); otherwise it
// redirects to redirect_uri with error=… (redirect true).
func (s *Service) CheckAuthorize(ctx context.Context, d *storage.Domain, r AuthorizeRequest) (scope string, redirect bool, err error) {
	ctx = domainContext(ctx, d)
	if r.ClientID == "" {
		return "", false, oauthErr(ErrInvalidRequest, "client_id is required.")
	}
	rec, err := s.store.GetAppClient(ctx, storage.AppClientKey{PoolKey: d.PoolKey(), ClientID: r.ClientID})
	if errors.Is(err, storage.ErrNotFound) {
		return "", false, oauthErr(ErrInvalidRequest, "Client %s does not exist in user pool %s.", r.ClientID, d.PoolID)
	}
	if err != nil {
		return "", false, err
	}
	c, err := decodeClient(rec)
	if err != nil {
		return "", false, err
	}
	if r.RedirectURI == "" || !contains(c.CallbackURLs, r.RedirectURI) {
		return "", false, oauthErr("redirect_mismatch", "redirect_uri %q is not a callback URL of client %s.", r.RedirectURI, r.ClientID)
	}
	switch r.ResponseType {
	case "code":
	case "token":
		return "", true, oauthErr(ErrUnsupportedResponse, "Cognate does not implement the implicit grant (response_type=token); use response_type=code.")
	default:
		return "", true, oauthErr(ErrUnsupportedResponse, "response_type must be code.")
	}
	if !oauthFlowAllowed(c, oauthFlowCode) {
		return "", true, oauthErr(ErrUnauthorizedClient, "Client %s is not allowed the code flow.", r.ClientID)
	}
	if m := r.CodeChallengeMethod; m != "" && m != "S256" && m != "plain" {
		return "", true, oauthErr(ErrInvalidRequest, "code_challenge_method must be S256.")
	}
	if r.CodeChallengeMethod != "" && r.CodeChallenge == "" {
		return "", true, oauthErr(ErrInvalidRequest, "code_challenge is required with code_challenge_method.")
	}
	var granted []string
	if req := splitScopes(r.Scope); len(req) > 0 {
		for _, sc := range req {
			if !contains(c.AllowedOAuthScopes, sc) {
				return "", true, oauthErr(ErrInvalidScope, "Scope %s is not allowed to client %s.", sc, r.ClientID)
			}
			if !contains(granted, sc) {
				granted = append(granted, sc)
			}
		}
	} else {
		// No scope: all the client's allowed scopes [DOC "Authorize
		// endpoint": "If you don't request any scopes, … all scopes"].
		granted = slices.Clone(c.AllowedOAuthScopes)
	}
	return joinScopes(granted), true, nil
}

// SignInError is a hosted sign-in the page must answer with a message:
// a wrong password (Retry: the form again) or a user the hosted page
// cannot finish (a new password or MFA).
type SignInError struct {
	Message string
	Retry   bool
}

func (e *SignInError) Error() string { return e.Message }

// HostedSignIn signs a user in on the hosted page for an authorization
// request (checked again here) and returns an authorization code. The
// password is checked as USER_PASSWORD_AUTH checks it (lockout, threat
// protection); a user who would get a challenge is refused with a clear
// message rather than a code.
func (s *Service) HostedSignIn(ctx context.Context, d *storage.Domain, r AuthorizeRequest, username, password string) (string, error) {
	scope, _, err := s.CheckAuthorize(ctx, d, r)
	if err != nil {
		return "", err
	}
	ctx = domainContext(ctx, d)
	p, err := s.loadPool(ctx, d.PoolKey())
	if err != nil {
		return "", err
	}
	crec, err := s.store.GetAppClient(ctx, storage.AppClientKey{PoolKey: d.PoolKey(), ClientID: r.ClientID})
	if err != nil {
		return "", err
	}
	c, err := decodeClient(crec)
	if err != nil {
		return "", err
	}
	si := signIn{p: p, client: c}
	if p.threatMode() != "" {
		if si.ec, err = clientContext(ctx, c, nil); err != nil {
			return "", err
		}
	}
	if username == "" || password == "" {
		return "", &SignInError{Message: "Enter your username and password.", Retry: true}
	}
	res, err := s.passwordSignIn(ctx, si, username, password)
	var ae *api.Error
	if errors.As(err, &ae) {
		switch ae.Code {
		case api.ErrNotAuthorized.Code, api.ErrUserNotFound.Code:
			return "", &SignInError{Message: ae.Message, Retry: true}
		}
		return "", &SignInError{Message: ae.Message}
	}
	if err != nil {
		return "", err
	}
	if res.challenge != nil {
		return "", &SignInError{Message: fmt.Sprintf("This user must answer the %s challenge, which Cognate's hosted sign-in page does not support. "+
			"Sign in through the API (InitiateAuth/RespondToAuthChallenge) instead.", *res.challenge)}
	}
	at, err := token.Parse(deref(res.tokens.AccessToken))
	if err != nil {
		return "", err
	}
	k, err := s.signingKey(ctx, p.rec)
	if err != nil {
		return "", err
	}
	issuedAt := s.now()
	now := issuedAt.Unix()
	return token.SignOpaque(k, map[string]any{
		"iss": s.Issuer(ctx, p.rec.ID), "token_use": useCode, "client_id": r.ClientID, "redirect_uri": r.RedirectURI,
		"scope": scope, "code_challenge": r.CodeChallenge, "code_challenge_method": r.CodeChallengeMethod, "nonce": r.Nonce,
		"sub": at.String("sub"), "auth_time": at.Int("auth_time"), "iat": now, "exp": now + int64(codeLife/time.Second), "jti": newJTI(issuedAt),
	})
}

// UserInfo returns the attributes of the user of an access token as the
// userInfo endpoint does: strings, with username [DOC "UserInfo
// endpoint" example]. The token must be the domain's pool's and carry
// openid [DOC] (so the API's tokens, whose only scope is
// aws.cognito.signin.user.admin, are refused). A refused token is
// invalid_token, HTTP 401.
func (s *Service) UserInfo(ctx context.Context, d *storage.Domain, raw string) (map[string]string, error) {
	ctx = domainContext(ctx, d)
	refuse := &OAuthError{Code: ErrInvalidToken, Status: http.StatusUnauthorized,
		Description: "Access token is expired, disabled, or deleted, or the user has globally signed out."} // [DOC]
	v, err := s.verifyToken(ctx, raw, useAccess, accessTokenErrors)
	var ae *api.Error
	if errors.As(err, &ae) {
		return nil, refuse
	}
	if err != nil {
		return nil, err
	}
	if v.rec.ID != d.PoolID {
		return nil, refuse
	}
	if !contains(splitScopes(v.p.String("scope")), "openid") {
		// [OBS simov/grant#189; the status is inferred]
		return nil, &OAuthError{Code: ErrInvalidToken, Status: http.StatusUnauthorized, Description: "Access token does not contain openid scope"}
	}
	_, rec, u, err := s.tokenUser(ctx, v, accessTokenErrors)
	if errors.As(err, &ae) {
		return nil, refuse
	}
	if err != nil {
		return nil, err
	}
	out := map[string]string{"username": rec.Username}
	for _, a := range u.Attrs {
		out[a.N] = a.V
	}
	return out, nil
}

// RevokeOAuthToken is the revocation endpoint: RevokeToken with the
// client's credentials [DOC "Revoke endpoint"], its errors as OAuth's.
func (s *Service) RevokeOAuthToken(ctx context.Context, d *storage.Domain, raw, clientID, secret string) error {
	ctx = domainContext(ctx, d)
	if raw == "" {
		return oauthErr(ErrInvalidRequest, "token is required.")
	}
	if _, err := s.oauthClient(ctx, d, clientID, secret); err != nil {
		return err
	}
	in := &api.RevokeTokenRequest{Token: &raw, ClientId: &clientID}
	if secret != "" {
		in.ClientSecret = &secret
	}
	_, err := s.RevokeToken(ctx, in)
	var ae *api.Error
	if errors.As(err, &ae) {
		switch ae.Code {
		case api.ErrUnsupportedTokenType.Code:
			return oauthErr(ErrUnsupportedTokenType, "%s", ae.Message)
		case api.ErrNotAuthorized.Code:
			return oauthErr(ErrInvalidClient, "%s", ae.Message)
		}
		return oauthErr(ErrInvalidRequest, "%s", ae.Message)
	}
	return err
}

// LogoutRedirect checks a logout request and returns where to send the
// browser: logout_uri when it is one of the client's LogoutURLs [DOC
// "Logout endpoint"]. Cognate keeps no hosted-UI session cookie, so there
// is nothing else to end.
func (s *Service) LogoutRedirect(ctx context.Context, d *storage.Domain, clientID, logoutURI string) (string, error) {
	ctx = domainContext(ctx, d)
	rec, err := s.store.GetAppClient(ctx, storage.AppClientKey{PoolKey: d.PoolKey(), ClientID: clientID})
	if errors.Is(err, storage.ErrNotFound) {
		return "", oauthErr(ErrInvalidRequest, "Client %q does not exist in user pool %s.", clientID, d.PoolID)
	}
	if err != nil {
		return "", err
	}
	c, err := decodeClient(rec)
	if err != nil {
		return "", err
	}
	if logoutURI == "" || !contains(c.LogoutURLs, logoutURI) {
		return "", oauthErr(ErrInvalidRequest, "logout_uri %q is not a sign-out URL of client %s.", logoutURI, clientID)
	}
	return logoutURI, nil
}

// OAuthEndpoints returns the pool's first domain (its prefix domain if
// it has one), whose OAuth endpoints the discovery document lists, or nil
// when it has none.
func (s *Service) OAuthEndpoints(ctx context.Context, accountID, poolID string) (*storage.Domain, error) {
	region, _, _ := strings.Cut(poolID, "_")
	ds, err := s.store.PoolDomains(ctx, storage.PoolKey{Scope: storage.Scope{AccountID: accountID, Region: region}, ID: poolID})
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	return ds[0], nil
}
