package server

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const callback = "https://app.example.com/cb"

// oauthFixture is a pool with the domain "myapp", the resource server
// "orders" (read, write) and three clients: m2m (a secret,
// client_credentials), web (no secret, the code flow) and server (a
// secret, the code flow), with the user alice.
type oauthFixture struct {
	*userServer
	c                               *cip.Client
	pool, m2m, m2mSecret, web, srv  string
	srvSecret, domainURL, sdkRegion string
	noRedirects                     *http.Client
}

func newOAuthFixture(t *testing.T) *oauthFixture {
	t.Helper()
	s := newUserServer(t, nil)
	f := &oauthFixture{userServer: s, c: s.client("us-east-1"), sdkRegion: "us-east-1",
		noRedirects: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	f.pool = mustCreatePool(t, f.c, &cip.CreateUserPoolInput{PoolName: aws.String("oauth"),
		AliasAttributes: []types.AliasAttributeType{"email"}, AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}})
	if _, err := f.c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(f.pool), Domain: aws.String("myapp")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(f.pool), Identifier: aws.String("orders"),
		Name: aws.String("Orders"), Scopes: scopes("read", "Read", "write", "Write")}); err != nil {
		t.Fatal(err)
	}
	mk := func(in *cip.CreateUserPoolClientInput) (string, string) {
		in.UserPoolId = aws.String(f.pool)
		out, err := f.c.CreateUserPoolClient(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.UserPoolClient.ClientId), aws.ToString(out.UserPoolClient.ClientSecret)
	}
	f.m2m, f.m2mSecret = mk(&cip.CreateUserPoolClientInput{ClientName: aws.String("m2m"), GenerateSecret: true,
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{"client_credentials"},
		AllowedOAuthScopes: []string{"orders/read", "orders/write"}})
	codeClient := func(name string, secret bool) *cip.CreateUserPoolClientInput {
		return &cip.CreateUserPoolClientInput{ClientName: aws.String(name), GenerateSecret: secret, ExplicitAuthFlows: authFlows,
			AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{"code"},
			AllowedOAuthScopes: []string{"openid", "email", "profile", "aws.cognito.signin.user.admin", "orders/read"},
			CallbackURLs:       []string{callback}, LogoutURLs: []string{"https://app.example.com/bye"}, SupportedIdentityProviders: []string{"COGNITO"}}
	}
	f.web, _ = mk(codeClient("web", false))
	f.srv, f.srvSecret = mk(codeClient("server", true))
	mustUser(t, f.c, f.pool, "alice", "Passw0rd!x", "email", "alice@example.com", "email_verified", "true", "name", "Alice")
	f.domainURL = s.URL + "/_domain/myapp"
	return f
}

// post sends a form to the domain's path, with HTTP Basic when user is
// set, and returns the status and the decoded JSON body.
func (f *oauthFixture) post(t *testing.T, path string, form url.Values, user, pass string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.domainURL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
	}
	return doJSON(t, http.DefaultClient, req)
}

func doJSON(t *testing.T, c *http.Client, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatalf("%s %s: %d %q is not JSON", req.Method, req.URL, resp.StatusCode, body)
		}
	}
	return resp.StatusCode, out
}

// TestOAuthClientCredentials gets machine-to-machine tokens by HTTP Basic
// and by form credentials, through the three ways of addressing a domain,
// checks their signature against the pool's JWKS and Cognito's M2M claims,
// and that GetUser refuses them.
func TestOAuthClientCredentials(t *testing.T) {
	f := newOAuthFixture(t)
	keys := f.jwks(t, f.pool)
	iss := f.URL + "/" + f.pool

	status, body := f.post(t, "/oauth2/token", url.Values{"grant_type": {"client_credentials"}}, f.m2m, f.m2mSecret)
	if status != 200 || body["token_type"] != "Bearer" || body["expires_in"] != float64(3600) || body["id_token"] != nil || body["refresh_token"] != nil {
		t.Fatalf("token = %d %v", status, body)
	}
	claims := verifyJWT(t, keys, body["access_token"].(string))
	now := f.clock.Now().Unix()
	for name, want := range map[string]any{"sub": f.m2m, "client_id": f.m2m, "token_use": "access", "scope": "orders/read orders/write",
		"iss": iss, "version": float64(2), "iat": float64(now), "exp": float64(now + 3600), "auth_time": float64(now)} {
		if claims[name] != want {
			t.Errorf("claim %s = %v, want %v", name, claims[name], want)
		}
	}
	if jti, _ := claims["jti"].(string); len(jti) != 36 {
		t.Errorf("jti = %v", claims["jti"])
	}
	if _, ok := claims["username"]; ok {
		t.Error("an M2M token names a user")
	}
	_, err := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(body["access_token"].(string))})
	apiError(t, err, "NotAuthorizedException", "Access Token does not have required scopes")
	_, err = f.c.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: aws.String(body["access_token"].(string))})
	apiError(t, err, "NotAuthorizedException", "Access Token does not have required scopes")
	// userInfo has no user to describe: 401 invalid_token.
	req, _ := http.NewRequest(http.MethodGet, f.domainURL+"/oauth2/userInfo", nil)
	req.Header.Set("Authorization", "Bearer "+body["access_token"].(string))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("userInfo with an M2M token: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}

	// Form credentials and a requested scope.
	status, body = f.post(t, "/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {f.m2m},
		"client_secret": {f.m2mSecret}, "scope": {"orders/read"}}, "", "")
	if status != 200 {
		t.Fatalf("form credentials: %d %v", status, body)
	}
	if claims := verifyJWT(t, keys, body["access_token"].(string)); claims["scope"] != "orders/read" {
		t.Errorf("scope = %v", claims["scope"])
	}

	// The Host forms: <prefix>.auth.<region>.amazoncognito.com and
	// <prefix>.localhost:<port>.
	port := f.URL[strings.LastIndexByte(f.URL, ':')+1:]
	for _, host := range []string{"myapp.auth.us-east-1.amazoncognito.com", "myapp.localhost:" + port} {
		req, _ := http.NewRequest(http.MethodPost, f.URL+"/oauth2/token", strings.NewReader("grant_type=client_credentials"))
		req.Host = host
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(f.m2m, f.m2mSecret)
		status, body := doJSON(t, http.DefaultClient, req)
		if status != 200 || body["access_token"] == nil {
			t.Errorf("Host %s: %d %v", host, status, body)
			continue
		}
		claims := verifyJWT(t, keys, body["access_token"].(string))
		if !strings.HasSuffix(claims["iss"].(string), "/"+f.pool) {
			t.Errorf("Host %s: iss %v", host, claims["iss"])
		}
	}
	// Another region's host does not reach the pool.
	req, _ = http.NewRequest(http.MethodPost, f.URL+"/oauth2/token", strings.NewReader("grant_type=client_credentials"))
	req.Host = "myapp.auth.eu-west-1.amazoncognito.com"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if status, _ := doJSON(t, http.DefaultClient, req); status != 404 {
		t.Errorf("another region: %d", status)
	}
}

// TestOAuthTokenErrors pins the token endpoint's refusals: HTTP 400 and
// {"error": code} [DOC "Token endpoint"].
func TestOAuthTokenErrors(t *testing.T) {
	f := newOAuthFixture(t)
	cc := func(kv ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	cases := []struct {
		name       string
		form       url.Values
		user, pass string
		want       string
	}{
		{"wrong secret", cc(), f.m2m, "wrong", "invalid_client"},
		{"unknown client", cc(), "nosuchclient", "x", "invalid_client"},
		{"no client", cc(), "", "", "invalid_client"},
		{"secret in both places", cc("client_secret", f.m2mSecret), f.m2m, f.m2mSecret, "invalid_request"},
		{"client_id differs from Basic", cc("client_id", f.web), f.m2m, f.m2mSecret, "invalid_client"},
		{"password grant", url.Values{"grant_type": {"password"}}, f.m2m, f.m2mSecret, "unsupported_grant_type"},
		{"no grant_type", url.Values{}, f.m2m, f.m2mSecret, "invalid_request"},
		{"standard scope for M2M", cc("scope", "openid"), f.m2m, f.m2mSecret, "invalid_scope"},
		{"unknown scope", cc("scope", "orders/delete"), f.m2m, f.m2mSecret, "invalid_scope"},
		{"public client", cc("client_id", f.web), "", "", "invalid_client"},
		{"secret for a public client", cc("client_id", f.web, "client_secret", "x"), "", "", "invalid_client"},
		{"client without the flow", cc(), f.srv, f.srvSecret, "unauthorized_client"},
		{"refresh without token", url.Values{"grant_type": {"refresh_token"}}, f.srv, f.srvSecret, "invalid_request"},
		{"bad refresh token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"abc"}}, f.srv, f.srvSecret, "invalid_grant"},
		{"code without code", url.Values{"grant_type": {"authorization_code"}, "redirect_uri": {callback}}, f.srv, f.srvSecret, "invalid_request"},
		{"bad code", url.Values{"grant_type": {"authorization_code"}, "code": {"x.y.z"}, "redirect_uri": {callback}}, f.srv, f.srvSecret, "invalid_grant"},
		{"code for a client without the flow", url.Values{"grant_type": {"authorization_code"}, "code": {"x"}}, f.m2m, f.m2mSecret, "unauthorized_client"},
	}
	for _, tc := range cases {
		status, body := f.post(t, "/oauth2/token", tc.form, tc.user, tc.pass)
		if status != 400 || body["error"] != tc.want {
			t.Errorf("%s: %d %v, want 400 %s", tc.name, status, body, tc.want)
		}
	}
	// Malformed requests.
	raw := func(method, ctype, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, f.domainURL+"/oauth2/token", strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.SetBasicAuth(f.m2m, f.m2mSecret)
		return doJSON(t, http.DefaultClient, req)
	}
	for name, tc := range map[string][3]string{
		"JSON body":       {"POST", "application/json", `{"grant_type":"client_credentials"}`},
		"GET":             {"GET", "", ""},
		"repeated param":  {"POST", "application/x-www-form-urlencoded", "grant_type=client_credentials&grant_type=client_credentials"},
		"bad encoding":    {"POST", "application/x-www-form-urlencoded", "grant_type=%zz"},
		"oversized body":  {"POST", "application/x-www-form-urlencoded", "grant_type=client_credentials&x=" + strings.Repeat("a", 70000)},
		"no content type": {"POST", "", "grant_type=client_credentials"},
	} {
		if status, body := raw(tc[0], tc[1], tc[2]); status != 400 || body["error"] != "invalid_request" {
			t.Errorf("%s: %d %v", name, status, body)
		}
	}
	// A domain nobody has.
	req, _ := http.NewRequest(http.MethodPost, f.URL+"/_domain/nobody/oauth2/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if status, _ := doJSON(t, http.DefaultClient, req); status != 404 {
		t.Errorf("unknown domain: %d", status)
	}
}

func pkcePair() (verifier, challenge string) {
	verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-long-enough-verifier"
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorizeQuery is an authorization request of client.
func authorizeQuery(client, scope, challenge string) url.Values {
	q := url.Values{"client_id": {client}, "redirect_uri": {callback}, "response_type": {"code"}, "state": {"st-123"}, "nonce": {"n-456"}}
	if scope != "" {
		q.Set("scope", scope)
	}
	if challenge != "" {
		q.Set("code_challenge", challenge)
		q.Set("code_challenge_method", "S256")
	}
	return q
}

// signIn follows /oauth2/authorize to the sign-in page, posts the form
// and returns the redirect's query (code and state, or error).
func (f *oauthFixture) signIn(t *testing.T, q url.Values, user, password string) (int, url.Values, string) {
	t.Helper()
	resp, err := f.noRedirects.Get(f.domainURL + "/oauth2/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/_domain/myapp/login?") {
		t.Fatalf("authorize: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	loginURL := f.URL + resp.Header.Get("Location")
	resp, err = http.Get(loginURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`<form method="post" action="([^"]+)"`).FindSubmatch(page)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("login page: %d %s", resp.StatusCode, page)
	}
	action := html.UnescapeString(string(m[1]))
	resp, err = f.noRedirects.PostForm(f.URL+action, url.Values{"username": {user}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return resp.StatusCode, nil, string(body)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(u.String(), callback+"?") {
		t.Fatalf("redirect to %q", resp.Header.Get("Location"))
	}
	return resp.StatusCode, u.Query(), string(body)
}

// TestOAuthCodeFlowWithPKCE runs the hosted sign-in end to end: the
// authorize redirect, the login form (a wrong then a right password), the
// code exchange with PKCE (a wrong verifier, a wrong redirect URI, then
// the right ones), tokens verified against the JWKS, the code used once,
// userInfo, the refresh_token grant and revocation.
func TestOAuthCodeFlowWithPKCE(t *testing.T) {
	f := newOAuthFixture(t)
	keys := f.jwks(t, f.pool)
	verifier, challenge := pkcePair()
	q := authorizeQuery(f.web, "openid email orders/read", challenge)

	status, _, page := f.signIn(t, q, "alice", "wrong-password")
	if status != 200 || !strings.Contains(page, "Incorrect username or password.") {
		t.Fatalf("wrong password: %d %s", status, page)
	}
	status, got, page := f.signIn(t, q, "alice", "Passw0rd!x")
	if status != http.StatusFound || got.Get("state") != "st-123" || got.Get("code") == "" {
		t.Fatalf("sign-in: %d %v %s", status, got, page)
	}
	code := got.Get("code")
	exchange := func(code, redirect, verifier string) (int, map[string]any) {
		return f.post(t, "/oauth2/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {f.web}, "code": {code},
			"redirect_uri": {redirect}, "code_verifier": {verifier}}, "", "")
	}
	if status, body := exchange(code, callback, "not-the-verifier"); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("wrong verifier: %d %v", status, body)
	}
	if status, body := exchange(code, callback+"/", verifier); status != 400 || body["error"] != "unauthorized_client" {
		t.Errorf("wrong redirect_uri: %d %v", status, body)
	}
	status, body := exchange(code, callback, verifier)
	if status != 200 || body["id_token"] == nil || body["refresh_token"] == nil || body["token_type"] != "Bearer" {
		t.Fatalf("exchange: %d %v", status, body)
	}
	access := verifyJWT(t, keys, body["access_token"].(string))
	id := verifyJWT(t, keys, body["id_token"].(string))
	if access["scope"] != "openid email orders/read" || access["client_id"] != f.web || access["username"] != "alice" || access["version"] != float64(2) {
		t.Errorf("access claims %v", access)
	}
	if id["nonce"] != "n-456" || id["aud"] != f.web || id["email"] != "alice@example.com" || id["cognito:username"] != "alice" {
		t.Errorf("id claims %v", id)
	}
	atHash := sha256.Sum256([]byte(body["access_token"].(string)))
	if id["at_hash"] != base64.RawURLEncoding.EncodeToString(atHash[:16]) {
		t.Errorf("at_hash = %v", id["at_hash"])
	}
	if status, body := exchange(code, callback, verifier); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("code used twice: %d %v", status, body)
	}

	// userInfo: the user's attributes, as strings, with username.
	req, _ := http.NewRequest(http.MethodGet, f.domainURL+"/oauth2/userInfo", nil)
	req.Header.Set("Authorization", "Bearer "+body["access_token"].(string))
	st, info := doJSON(t, http.DefaultClient, req)
	if st != 200 || info["username"] != "alice" || info["email"] != "alice@example.com" || info["email_verified"] != "true" || info["sub"] != access["sub"] {
		t.Errorf("userInfo: %d %v", st, info)
	}
	// userInfo needs openid: a token of the API (admin scope only) is refused.
	apiTokens := mustSignIn(t, f.c, f.web, "alice", "Passw0rd!x")
	req2, _ := http.NewRequest(http.MethodGet, f.domainURL+"/oauth2/userInfo", nil)
	req2.Header.Set("Authorization", "Bearer "+aws.ToString(apiTokens.AccessToken))
	if st, b := doJSON(t, http.DefaultClient, req2); st != 401 || b["error_description"] != "Access token does not contain openid scope" {
		t.Errorf("userInfo with an API token: %d %v", st, b)
	}
	// A token without aws.cognito.signin.user.admin is refused by GetUser.
	_, err := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(body["access_token"].(string))})
	apiError(t, err, "NotAuthorizedException", "Access Token does not have required scopes")

	// refresh_token keeps the grant's scopes and issues no refresh token.
	status, ref := f.post(t, "/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {f.web}, "refresh_token": {body["refresh_token"].(string)}}, "", "")
	if status != 200 || ref["refresh_token"] != nil || ref["id_token"] == nil {
		t.Fatalf("refresh: %d %v", status, ref)
	}
	if claims := verifyJWT(t, keys, ref["access_token"].(string)); claims["scope"] != "openid email orders/read" || claims["origin_jti"] != access["origin_jti"] {
		t.Errorf("refreshed access claims %v", claims)
	}
	// So does REFRESH_TOKEN_AUTH through the API: the hosted sign-in's
	// refresh token does not come back with aws.cognito.signin.user.admin.
	api, err := f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(f.web), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": body["refresh_token"].(string)}})
	if err != nil {
		t.Fatalf("REFRESH_TOKEN_AUTH with a hosted refresh token: %v", err)
	}
	if claims := verifyJWT(t, keys, aws.ToString(api.AuthenticationResult.AccessToken)); claims["scope"] != "openid email orders/read" {
		t.Errorf("REFRESH_TOKEN_AUTH access scope = %v", claims["scope"])
	}
	_, err = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: api.AuthenticationResult.AccessToken})
	apiError(t, err, "NotAuthorizedException", "Access Token does not have required scopes")
	// Another client cannot use the refresh token.
	if status, b := f.post(t, "/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {body["refresh_token"].(string)}}, f.srv, f.srvSecret); status != 400 || b["error"] != "invalid_grant" {
		t.Errorf("foreign refresh: %d %v", status, b)
	}
	// Revocation ends the family.
	if status, b := f.post(t, "/oauth2/revoke", url.Values{"token": {body["refresh_token"].(string)}, "client_id": {f.web}}, "", ""); status != 200 {
		t.Fatalf("revoke: %d %v", status, b)
	}
	if status, b := f.post(t, "/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {f.web}, "refresh_token": {body["refresh_token"].(string)}}, "", ""); status != 400 || b["error"] != "invalid_grant" {
		t.Errorf("refresh after revoke: %d %v", status, b)
	}
	st, info = doJSON(t, http.DefaultClient, req)
	if st != 401 || info["error"] != "invalid_token" {
		t.Errorf("userInfo after revoke: %d %v", st, info)
	}
	if status, b := f.post(t, "/oauth2/revoke", url.Values{"token": {"garbage"}, "client_id": {f.web}}, "", ""); status != 400 || b["error"] != "unsupported_token_type" {
		t.Errorf("revoke garbage: %d %v", status, b)
	}
	if status, b := f.post(t, "/oauth2/revoke", url.Values{"token": {"garbage"}}, f.srv, "wrong"); status != 400 || b["error"] != "invalid_client" {
		t.Errorf("revoke with a wrong secret: %d %v", status, b)
	}
}

// TestOAuthCodeFlowConfidentialClient: a client with a secret
// authenticates the exchange; with the admin scope its token works with
// GetUser; a code expires after 5 minutes; no PKCE is needed without a
// challenge; no openid, no ID token.
func TestOAuthCodeFlowConfidentialClient(t *testing.T) {
	f := newOAuthFixture(t)
	_, got, _ := f.signIn(t, authorizeQuery(f.srv, "aws.cognito.signin.user.admin openid", ""), "alice@example.com", "Passw0rd!x")
	status, body := f.post(t, "/oauth2/token", url.Values{"grant_type": {"authorization_code"}, "code": {got.Get("code")}, "redirect_uri": {callback}}, f.srv, "wrong")
	if status != 400 || body["error"] != "invalid_client" {
		t.Errorf("wrong secret: %d %v", status, body)
	}
	status, body = f.post(t, "/oauth2/token", url.Values{"grant_type": {"authorization_code"}, "code": {got.Get("code")}, "redirect_uri": {callback}}, f.srv, f.srvSecret)
	if status != 200 {
		t.Fatalf("exchange: %d %v", status, body)
	}
	u, err := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(body["access_token"].(string))})
	if err != nil || aws.ToString(u.Username) != "alice" {
		t.Errorf("GetUser with an admin-scope OAuth token: %v %v", u, err)
	}

	_, got, _ = f.signIn(t, authorizeQuery(f.srv, "orders/read", ""), "alice", "Passw0rd!x")
	f.clock.Add(5*time.Minute + time.Second)
	status, body = f.post(t, "/oauth2/token", url.Values{"grant_type": {"authorization_code"}, "code": {got.Get("code")}, "redirect_uri": {callback}}, f.srv, f.srvSecret)
	if status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("expired code: %d %v", status, body)
	}
	_, got, _ = f.signIn(t, authorizeQuery(f.srv, "orders/read", ""), "alice", "Passw0rd!x")
	status, body = f.post(t, "/oauth2/token", url.Values{"grant_type": {"authorization_code"}, "code": {got.Get("code")}, "redirect_uri": {callback}}, f.srv, f.srvSecret)
	if status != 200 || body["id_token"] != nil {
		t.Errorf("without openid: %d %v", status, body)
	}
	// Concurrent redemptions of one code: exactly one gets tokens.
	_, got, _ = f.signIn(t, authorizeQuery(f.srv, "openid", ""), "alice", "Passw0rd!x")
	oks := make(chan bool, 6)
	for range 6 {
		go func() {
			form := url.Values{"grant_type": {"authorization_code"}, "code": {got.Get("code")}, "redirect_uri": {callback}}
			req, _ := http.NewRequest(http.MethodPost, f.domainURL+"/oauth2/token", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(f.srv, f.srvSecret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				oks <- false
				return
			}
			resp.Body.Close()
			oks <- resp.StatusCode == 200
		}()
	}
	n := 0
	for range 6 {
		if <-oks {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d of 6 concurrent redemptions got tokens", n)
	}
	// A code is the client's: another client cannot redeem it.
	_, got, _ = f.signIn(t, authorizeQuery(f.srv, "", ""), "alice", "Passw0rd!x")
	status, body = f.post(t, "/oauth2/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {f.web}, "code": {got.Get("code")}, "redirect_uri": {callback}}, "", "")
	if status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("another client's code: %d %v", status, body)
	}
}

// TestOAuthAuthorizeErrors: a wrong client or redirect URI is an error
// page; other errors go back to the redirect URI with error and state.
func TestOAuthAuthorizeErrors(t *testing.T) {
	f := newOAuthFixture(t)
	get := func(q url.Values) *http.Response {
		resp, err := f.noRedirects.Get(f.domainURL + "/oauth2/authorize?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	q := authorizeQuery(f.web, "", "")
	q.Set("redirect_uri", "https://evil.example.com/cb")
	if resp := get(q); resp.StatusCode != 400 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("foreign redirect_uri: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	q = authorizeQuery("nosuchclient", "", "")
	if resp := get(q); resp.StatusCode != 400 {
		t.Errorf("unknown client: %d", resp.StatusCode)
	}
	for name, tc := range map[string]struct {
		q    url.Values
		want string
	}{
		"implicit":          {func() url.Values { q := authorizeQuery(f.web, "", ""); q.Set("response_type", "token"); return q }(), "unsupported_response_type"},
		"scope not allowed": {authorizeQuery(f.web, "phone", ""), "invalid_scope"},
		"bad PKCE method": {func() url.Values {
			q := authorizeQuery(f.web, "", "x")
			q.Set("code_challenge_method", "MD5")
			return q
		}(), "invalid_request"},
	} {
		resp := get(tc.q)
		u, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || u == nil || u.Query().Get("error") != tc.want || u.Query().Get("state") != "st-123" {
			t.Errorf("%s: %d %q", name, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

// TestHostedSignInRefusesChallenges: a user who must set a new password
// gets a clear page, not a code.
func TestHostedSignInRefusesChallenges(t *testing.T) {
	f := newOAuthFixture(t)
	if _, err := f.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(f.pool), Username: aws.String("bob"),
		TemporaryPassword: aws.String("Temp0rary!pw"), MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	status, got, page := f.signIn(t, authorizeQuery(f.web, "", ""), "bob", "Temp0rary!pw")
	if status != 400 || got != nil || !strings.Contains(page, "NEW_PASSWORD_REQUIRED") || !strings.Contains(page, "does not support") {
		t.Errorf("new password: %d %v %s", status, got, page)
	}
	status, _, page = f.signIn(t, authorizeQuery(f.web, "", ""), "nobody", "Whatever1!")
	if status != 200 || !strings.Contains(page, "User does not exist.") {
		t.Errorf("unknown user: %d %s", status, page)
	}
}

// TestOAuthLogout redirects to an allowed logout_uri only.
func TestOAuthLogout(t *testing.T) {
	f := newOAuthFixture(t)
	resp, err := f.noRedirects.Get(f.domainURL + "/logout?client_id=" + f.web + "&logout_uri=" + url.QueryEscape("https://app.example.com/bye"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "https://app.example.com/bye" {
		t.Errorf("logout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = f.noRedirects.Get(f.domainURL + "/logout?client_id=" + f.web + "&logout_uri=" + url.QueryEscape("https://evil.example.com/"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("foreign logout_uri: %d", resp.StatusCode)
	}
}

// TestOpenIDConfigurationListsOAuthEndpoints: a pool with a domain lists
// its endpoints; one without does not.
func TestOpenIDConfigurationListsOAuthEndpoints(t *testing.T) {
	f := newOAuthFixture(t)
	other := mustCreatePool(t, f.c, &cip.CreateUserPoolInput{PoolName: aws.String("plain")})
	doc := func(pool string) map[string]any {
		req, _ := http.NewRequest(http.MethodGet, f.URL+"/"+pool+"/.well-known/openid-configuration", nil)
		status, body := doJSON(t, http.DefaultClient, req)
		if status != 200 {
			t.Fatalf("%s: %d", pool, status)
		}
		return body
	}
	d := doc(f.pool)
	for name, path := range map[string]string{"token_endpoint": "/oauth2/token", "authorization_endpoint": "/oauth2/authorize",
		"userinfo_endpoint": "/oauth2/userInfo", "revocation_endpoint": "/oauth2/revoke"} {
		if d[name] != f.domainURL+path {
			t.Errorf("%s = %v", name, d[name])
		}
	}
	if d := doc(other); d["token_endpoint"] != nil {
		t.Errorf("a pool without a domain lists %v", d["token_endpoint"])
	}
}

// FuzzParseTokenRequest feeds arbitrary bodies and headers to the token
// request parser: it must never panic, and every refusal is a 400 OAuth
// error.
func FuzzParseTokenRequest(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", "grant_type=client_credentials&scope=a%20b", "Basic YTpi")
	f.Add("application/x-www-form-urlencoded; charset=utf-8", "code=x&code=y", "")
	f.Add("text/plain", "%%%", "Bearer x")
	f.Add("application/x-www-form-urlencoded", "client_secret=s", "Basic %%%")
	f.Fuzz(func(t *testing.T, ctype, body, auth string) {
		req := httptest.NewRequest(http.MethodPost, "/oauth2/token", strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", auth)
		tr, _, oe := parseTokenRequest(req)
		if oe != nil {
			if oe.Status != 400 || oe.Code == "" {
				t.Fatalf("refusal %+v", oe)
			}
			return
		}
		// Accepted: the form was one form, each parameter once, and its
		// grant_type is the parsed one.
		form, err := url.ParseQuery(body)
		if err != nil || tr.GrantType != form.Get("grant_type") {
			t.Fatalf("accepted %q as %+v (%v)", body, tr, err)
		}
		for k, v := range form {
			if len(v) > 1 {
				t.Fatalf("accepted repeated %s", k)
			}
		}
	})
}
