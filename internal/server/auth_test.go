package server

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate/cognate/internal/storage/sqlstore"
)

// authFlows are the flows the tests' clients enable.
var authFlows = []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}

// authPool creates a pool (email alias, auto-verified email) and a client
// that allows the password and refresh flows, its access tokens valid 5
// minutes.
func authPool(t *testing.T, c *cip.Client) (pool, client string) {
	t.Helper()
	pool = mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("auth"),
		AliasAttributes: []types.AliasAttributeType{"email"}, AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"),
		ExplicitAuthFlows: authFlows, AccessTokenValidity: aws.Int32(5), TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: "minutes"}})
	if err != nil {
		t.Fatal(err)
	}
	return pool, *out.UserPoolClient.ClientId
}

// mustUser creates a CONFIRMED user with a permanent password.
func mustUser(t *testing.T, c *cip.Client, pool, name, password string, kv ...string) {
	t.Helper()
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String(name), MessageAction: "SUPPRESS",
		UserAttributes: attrs(kv...)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(pool), Username: aws.String(name), Password: aws.String(password), Permanent: true}); err != nil {
		t.Fatal(err)
	}
}

func passwordAuth(c *cip.Client, client, user, password string) (*cip.InitiateAuthOutput, error) {
	return c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": password}})
}

func mustSignIn(t *testing.T, c *cip.Client, client, user, password string) *types.AuthenticationResultType {
	t.Helper()
	out, err := passwordAuth(c, client, user, password)
	if err != nil {
		t.Fatalf("InitiateAuth: %v", err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth: no tokens: %+v", out)
	}
	return out.AuthenticationResult
}

// jwks fetches a pool's keys over HTTP and returns them by kid.
func (s *userServer) jwks(t *testing.T, pool string) map[string]*rsa.PublicKey {
	t.Helper()
	resp, err := http.Get(s.URL + "/" + pool + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set struct {
		Keys []struct{ Alg, E, Kid, Kty, N, Use string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil || resp.StatusCode != 200 {
		t.Fatalf("jwks: %d %v", resp.StatusCode, err)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Alg != "RS256" || k.Kty != "RSA" || k.Use != "sig" {
			t.Errorf("jwk %+v", k)
		}
		n, _ := base64.RawURLEncoding.DecodeString(k.N)
		e, _ := base64.RawURLEncoding.DecodeString(k.E)
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return keys
}

// verifyJWT checks a token's RS256 signature with the JWKS, by hand, and
// returns its claims.
func verifyJWT(t *testing.T, keys map[string]*rsa.PublicKey, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q has %d parts", tok, len(parts))
	}
	var header struct{ Kid, Alg string }
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if err := json.Unmarshal(hb, &header); err != nil || header.Alg != "RS256" {
		t.Fatalf("header %s: %v", hb, err)
	}
	key := keys[header.Kid]
	if key == nil {
		t.Fatalf("kid %q not in the JWKS", header.Kid)
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig); err != nil {
		t.Fatalf("signature: %v", err)
	}
	pb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	claims := map[string]any{}
	if err := json.Unmarshal(pb, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

func TestSignInIssuesVerifiableTokens(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := authPool(t, c)
	if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("alice"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrs("email", "alice@example.com")}); err != nil {
		t.Fatal(err)
	}
	_, err := passwordAuth(c, client, "alice", "Passw0rd!")
	apiError(t, err, "UserNotConfirmedException", "User is not confirmed.")
	// Even with a wrong password: AWS says "not confirmed" first [OBS
	// amazon-cognito-identity-js#288, aws-sdk-js#4608].
	_, err = passwordAuth(c, client, "alice", "wrong")
	apiError(t, err, "UserNotConfirmedException", "User is not confirmed.")
	if _, err := c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(client), Username: aws.String("alice"),
		ConfirmationCode: aws.String(s.lastCode(t, "alice@example.com"))}); err != nil {
		t.Fatal(err)
	}
	_, err = passwordAuth(c, client, "alice", "wrong")
	apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = passwordAuth(c, client, "nobody", "Passw0rd!")
	apiError(t, err, "UserNotFoundException", "User does not exist.")

	// The verified email is an alias: signing in with it works.
	res := mustSignIn(t, c, client, "alice@example.com", "Passw0rd!")
	if aws.ToString(res.TokenType) != "Bearer" || res.ExpiresIn != 300 || res.RefreshToken == nil {
		t.Errorf("AuthenticationResult = %+v", res)
	}
	keys := s.jwks(t, pool)
	access := verifyJWT(t, keys, *res.AccessToken)
	id := verifyJWT(t, keys, *res.IdToken)
	iss := s.URL + "/" + pool
	now := float64(s.clock.Now().Unix())
	for name, want := range map[string]any{"token_use": "access", "client_id": client, "username": "alice", "iss": iss,
		"scope": "aws.cognito.signin.user.admin", "iat": now, "exp": now + 300, "auth_time": now} {
		if access[name] != want {
			t.Errorf("access %s = %v, want %v", name, access[name], want)
		}
	}
	for name, want := range map[string]any{"token_use": "id", "aud": client, "cognito:username": "alice", "iss": iss,
		"email": "alice@example.com", "email_verified": true, "exp": now + 3600, "sub": access["sub"], "origin_jti": access["origin_jti"], "event_id": access["event_id"]} {
		if id[name] != want {
			t.Errorf("id %s = %v, want %v", name, id[name], want)
		}
	}
	for _, name := range []string{"sub", "jti", "origin_jti", "event_id"} {
		if v, _ := access[name].(string); len(v) != 36 {
			t.Errorf("access %s = %v, want a UUID", name, access[name])
		}
	}
	if access["jti"] == id["jti"] {
		t.Error("access and ID tokens share a jti")
	}

	resp, err := http.Get(iss + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var oidc map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&oidc)
	resp.Body.Close()
	if oidc["issuer"] != iss || oidc["jwks_uri"] != iss+"/.well-known/jwks.json" {
		t.Errorf("openid-configuration = %v", oidc)
	}

	got, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	if err != nil || aws.ToString(got.Username) != "alice" || attrMap(got.UserAttributes)["email"] != "alice@example.com" {
		t.Fatalf("GetUser = %+v, %v", got, err)
	}
	_, err = c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.IdToken})
	apiError(t, err, "NotAuthorizedException", "Invalid Access Token")

	// A refresh keeps the family and issues no new refresh token.
	ref, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": *res.RefreshToken}})
	if err != nil || ref.AuthenticationResult.RefreshToken != nil {
		t.Fatalf("refresh = %+v, %v", ref, err)
	}
	if a2 := verifyJWT(t, keys, *ref.AuthenticationResult.AccessToken); a2["origin_jti"] != access["origin_jti"] || a2["jti"] == access["jti"] {
		t.Errorf("refreshed access token %v", a2)
	}

	// Expiry follows the server's clock.
	s.clock.Add(5 * time.Minute)
	_, err = c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	apiError(t, err, "NotAuthorizedException", "Access Token has expired")
	if _, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "REFRESH_TOKEN",
		AuthParameters: map[string]string{"REFRESH_TOKEN": *res.RefreshToken}}); err != nil {
		t.Errorf("refresh after the access token expired: %v", err)
	}
	s.clock.Add(30 * 24 * time.Hour)
	_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": *res.RefreshToken}})
	apiError(t, err, "NotAuthorizedException", "Refresh Token has expired")
}

func TestSignInRefusals(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := authPool(t, c)
	mustUser(t, c, pool, "bob", "Passw0rd!")
	plain, _ := mustClient(t, c, pool, false) // AWS's default flows
	_, err := passwordAuth(c, plain, "bob", "Passw0rd!")
	apiError(t, err, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")
	_, err = c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(plain), AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "Passw0rd!"}})
	apiError(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
	_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(plain), AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "bob"}})
	apiError(t, err, "NotImplementedException", "Cognate does not implement the CUSTOM_AUTH auth flow yet.")

	// Disabling refuses sign-in and revokes the tokens issued so far, for
	// good [DOC AdminDisableUser].
	before := mustSignIn(t, c, client, "bob", "Passw0rd!")
	if _, err := c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	_, err = passwordAuth(c, client, "bob", "Passw0rd!")
	apiError(t, err, "NotAuthorizedException", "User is disabled.")
	_, err = c.GetUser(ctx, &cip.GetUserInput{AccessToken: before.AccessToken})
	apiError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	if _, err := c.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetUser(ctx, &cip.GetUserInput{AccessToken: before.AccessToken})
	apiError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	s.clock.Add(time.Millisecond) // tokens issued from the next millisecond on are good
	if _, err := c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(pool), Username: aws.String("bob")}); err == nil {
		t.Fatal("AdminResetUserPassword without a recovery destination succeeded")
	}
	mustUser(t, c, pool, "rita", "Passw0rd!", "email", "rita@example.com", "email_verified", "true")
	if _, err := c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(pool), Username: aws.String("rita")}); err != nil {
		t.Fatal(err)
	}
	_, err = passwordAuth(c, client, "rita", "Passw0rd!")
	apiError(t, err, "PasswordResetRequiredException", "Password reset required for the user")

	// A client that prevents user-existence errors hides unknown users.
	hide, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("hide"),
		ExplicitAuthFlows: authFlows, PreventUserExistenceErrors: "ENABLED"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = passwordAuth(c, *hide.UserPoolClient.ClientId, "nobody", "Passw0rd!")
	apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// A client with a secret needs SECRET_HASH; the admin flow works with it.
	sec, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("server"),
		ExplicitAuthFlows: authFlows, GenerateSecret: true})
	if err != nil {
		t.Fatal(err)
	}
	sid, secret := *sec.UserPoolClient.ClientId, *sec.UserPoolClient.ClientSecret
	_, err = c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(sid), AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "Passw0rd!"}})
	apiError(t, err, "NotAuthorizedException", "Client "+sid+" is configured with secret but SECRET_HASH was not received")
	out, err := c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(sid), AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "Passw0rd!", "SECRET_HASH": secretHash(secret, "bob", sid)}})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("AdminInitiateAuth with SECRET_HASH = %+v, %v", out, err)
	}
	if _, err := c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(sid), AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": *out.AuthenticationResult.RefreshToken, "SECRET_HASH": secretHash(secret, "bob", sid)}}); err != nil {
		t.Errorf("admin refresh: %v", err)
	}
	// The refresh token is the client's: another client cannot use it.
	_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": *out.AuthenticationResult.RefreshToken}})
	apiError(t, err, "NotAuthorizedException", "Invalid Refresh Token")
}

func TestForgedAndForeignTokensRefused(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	poolA, clientA := authPool(t, c)
	poolB, _ := authPool(t, c)
	mustUser(t, c, poolA, "carl", "Passw0rd!")
	res := mustSignIn(t, c, clientA, "carl", "Passw0rd!")
	parts := strings.Split(*res.AccessToken, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	_ = json.Unmarshal(payload, &claims)
	reencode := func(m map[string]any) string {
		b, _ := json.Marshal(m)
		return base64.RawURLEncoding.EncodeToString(b)
	}

	// The claims changed under the pool's signature.
	claims["username"] = "admin"
	forged := parts[0] + "." + reencode(claims) + "." + parts[2]
	// The token moved to another pool.
	claims["username"] = "carl"
	claims["iss"] = s.URL + "/" + poolB
	moved := parts[0] + "." + reencode(claims) + "." + parts[2]
	// Signed by a key that is not the pool's, under the pool's kid.
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	claims["iss"] = s.URL + "/" + poolA
	input := parts[0] + "." + reencode(claims)
	sum := sha256.Sum256([]byte(input))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, other, crypto.SHA256, sum[:])
	foreignKey := input + "." + base64.RawURLEncoding.EncodeToString(sig)
	// alg none.
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + reencode(claims) + "."

	for name, tok := range map[string]string{"forged": forged, "moved": moved, "foreign key": foreignKey, "alg none": none,
		"garbage": "not.a.token", "empty-ish": "a", "refresh token": *res.RefreshToken, "id token": *res.IdToken} {
		_, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(tok)})
		if err == nil {
			t.Errorf("%s token accepted", name)
			continue
		}
		apiError(t, err, "NotAuthorizedException", "Invalid Access Token")
	}
	for name, tok := range map[string]string{"access token": *res.AccessToken, "id token": *res.IdToken, "forged": forged} {
		_, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(clientA), AuthFlow: "REFRESH_TOKEN_AUTH",
			AuthParameters: map[string]string{"REFRESH_TOKEN": tok}})
		if err == nil {
			t.Errorf("%s accepted as a refresh token", name)
			continue
		}
		apiError(t, err, "NotAuthorizedException", "Invalid Refresh Token")
	}
	// The genuine token still works; once its pool is gone it does not.
	if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(poolA)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	apiError(t, err, "NotAuthorizedException", "Invalid Access Token")
	if resp, err := http.Get(s.URL + "/" + poolA + "/.well-known/jwks.json"); err != nil || resp.StatusCode != 404 {
		t.Errorf("jwks of a deleted pool: %v %v", resp.StatusCode, err)
	}
}

func TestNewPasswordRequired(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := authPool(t, c)
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("dora"), MessageAction: "SUPPRESS",
		TemporaryPassword: aws.String("TempPassw0rd!"), UserAttributes: attrs("email", "dora@example.com")}); err != nil {
		t.Fatal(err)
	}
	out, err := c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(client), AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "dora", "PASSWORD": "TempPassw0rd!"}})
	if err != nil || out.ChallengeName != "NEW_PASSWORD_REQUIRED" || out.Session == nil || out.AuthenticationResult != nil {
		t.Fatalf("AdminInitiateAuth = %+v, %v", out, err)
	}
	if p := out.ChallengeParameters; p["USER_ID_FOR_SRP"] != "dora" || p["requiredAttributes"] != "[]" || p["userAttributes"] != `{"email":"dora@example.com"}` {
		t.Errorf("ChallengeParameters = %v", p)
	}
	respond := func(session, password string) (*cip.RespondToAuthChallengeOutput, error) {
		return c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(client), ChallengeName: "NEW_PASSWORD_REQUIRED",
			Session: aws.String(session), ChallengeResponses: map[string]string{"USERNAME": "dora", "NEW_PASSWORD": password, "userAttributes.name": "Dora"}})
	}
	_, err = respond(*out.Session, "short")
	apiError(t, err, "InvalidPasswordException", "")
	_, err = respond(strings.Repeat("bogus", 8), "NewPassw0rd!")
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	res, err := respond(*out.Session, "NewPassw0rd!")
	if err != nil || res.AuthenticationResult == nil || res.AuthenticationResult.RefreshToken == nil {
		t.Fatalf("RespondToAuthChallenge = %+v, %v", res, err)
	}
	id := verifyJWT(t, s.jwks(t, pool), *res.AuthenticationResult.IdToken)
	if id["name"] != "Dora" {
		t.Errorf("id token after the challenge: %v", id)
	}
	got, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("dora")})
	if err != nil || got.UserStatus != "CONFIRMED" {
		t.Fatalf("AdminGetUser = %+v, %v", got, err)
	}
	_, err = respond(*out.Session, "OtherPassw0rd!")
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	mustSignIn(t, c, client, "dora", "NewPassw0rd!")

	// An unanswered session expires with the client's AuthSessionValidity (3 minutes).
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("ed"), MessageAction: "SUPPRESS",
		TemporaryPassword: aws.String("TempPassw0rd!")}); err != nil {
		t.Fatal(err)
	}
	ch, err := passwordAuth(c, client, "ed", "TempPassw0rd!")
	if err != nil || ch.Session == nil {
		t.Fatalf("InitiateAuth = %+v, %v", ch, err)
	}
	s.clock.Add(3 * time.Minute)
	_, err = c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
		ChallengeName: "NEW_PASSWORD_REQUIRED", Session: ch.Session, ChallengeResponses: map[string]string{"USERNAME": "ed", "NEW_PASSWORD": "NewPassw0rd!"}})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
}

func TestVerifyUserAttribute(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := authPool(t, c)
	mustUser(t, c, pool, "fred", "Passw0rd!", "email", "fred@example.com")
	res := mustSignIn(t, c, client, "fred", "Passw0rd!")
	_, err := c.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: res.AccessToken, AttributeName: aws.String("phone_number")})
	apiError(t, err, "InvalidParameterException", "")
	out, err := c.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: res.AccessToken, AttributeName: aws.String("email")})
	if err != nil || aws.ToString(out.CodeDeliveryDetails.AttributeName) != "email" || out.CodeDeliveryDetails.DeliveryMedium != "EMAIL" {
		t.Fatalf("GetUserAttributeVerificationCode = %+v, %v", out, err)
	}
	ms := s.messages(t, "fred@example.com")
	if len(ms) != 1 || ms[0].Purpose != "VerifyUserAttribute" {
		t.Fatalf("outbox = %+v", ms)
	}
	code := s.lastCode(t, "fred@example.com")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, err = c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: res.AccessToken, AttributeName: aws.String("email"), Code: aws.String(wrong)})
	apiError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	if _, err := c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: res.AccessToken, AttributeName: aws.String("email"), Code: aws.String(code)}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	if err != nil || attrMap(got.UserAttributes)["email_verified"] != "true" {
		t.Fatalf("GetUser = %+v, %v", got, err)
	}
	// Verified, the email is a sign-in alias.
	mustSignIn(t, c, client, "fred@example.com", "Passw0rd!")
	_, err = c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: res.AccessToken, AttributeName: aws.String("email"), Code: aws.String(code)})
	apiError(t, err, "CodeMismatchException", "")
}

func TestSignOutAndRevocation(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := authPool(t, c)
	mustUser(t, c, pool, "gus", "Passw0rd!")
	refresh := func(tok *string) error {
		_, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "REFRESH_TOKEN_AUTH",
			AuthParameters: map[string]string{"REFRESH_TOKEN": *tok}})
		return err
	}

	// RevokeToken ends the refresh token and the access tokens of its family.
	res := mustSignIn(t, c, client, "gus", "Passw0rd!")
	other := mustSignIn(t, c, client, "gus", "Passw0rd!")
	_, err := c.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: aws.String(client), Token: res.AccessToken})
	apiError(t, err, "UnsupportedTokenTypeException", "")
	if _, err := c.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: aws.String(client), Token: res.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	apiError(t, refresh(res.RefreshToken), "NotAuthorizedException", "Refresh Token has been revoked")
	_, err = c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	apiError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: other.AccessToken}); err != nil {
		t.Errorf("a token of another sign-in was revoked: %v", err)
	}

	// GlobalSignOut ends every token issued so far.
	if _, err := c.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: other.AccessToken}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetUser(ctx, &cip.GetUserInput{AccessToken: other.AccessToken})
	apiError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	apiError(t, refresh(other.RefreshToken), "NotAuthorizedException", "Refresh Token has been revoked")
	s.clock.Add(time.Millisecond)
	again := mustSignIn(t, c, client, "gus", "Passw0rd!")
	if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: again.AccessToken}); err != nil {
		t.Fatalf("a token issued after the sign-out: %v", err)
	}

	// AdminUserGlobalSignOut does the same from the server side.
	if _, err := c.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(pool), Username: aws.String("gus")}); err != nil {
		t.Fatal(err)
	}
	apiError(t, refresh(again.RefreshToken), "NotAuthorizedException", "Refresh Token has been revoked")

	// A client with token revocation off refuses RevokeToken.
	off, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("off"),
		ExplicitAuthFlows: authFlows, EnableTokenRevocation: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Add(time.Millisecond)
	offRes := mustSignIn(t, c, *off.UserPoolClient.ClientId, "gus", "Passw0rd!")
	_, err = c.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: off.UserPoolClient.ClientId, Token: offRes.RefreshToken})
	apiError(t, err, "UnsupportedOperationException", "")
}

// TestTokensSurviveRestart: the pool's key and the revocations are in the
// data directory, so tokens verify, and revoked ones stay refused, after a
// restart.
func TestTokensSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{AccountID: "123456789012", Region: "us-east-1"}
	run := func(fn func(s *userServer)) {
		store, err := sqlstore.Open(sqlstore.Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(New(cfg, store))
		fn(&userServer{testServer: &testServer{URL: srv.URL, cfg: cfg}, store: store})
		srv.Close()
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}
	}
	var pool, client string
	var kept, revoked *types.AuthenticationResultType
	var kid string
	run(func(s *userServer) {
		c := s.client("us-east-1")
		pool, client = authPool(t, c)
		mustUser(t, c, pool, "hal", "Passw0rd!")
		kept = mustSignIn(t, c, client, "hal", "Passw0rd!")
		revoked = mustSignIn(t, c, client, "hal", "Passw0rd!")
		if _, err := c.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: aws.String(client), Token: revoked.RefreshToken}); err != nil {
			t.Fatal(err)
		}
		for k := range s.jwks(t, pool) {
			kid = k
		}
	})
	run(func(s *userServer) {
		c := s.client("us-east-1")
		keys := s.jwks(t, pool)
		if keys[kid] == nil || len(keys) != 1 {
			t.Fatalf("keys after restart %v, want kid %s", keys, kid)
		}
		if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: kept.AccessToken}); err != nil {
			t.Errorf("GetUser after restart: %v", err)
		}
		_, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "REFRESH_TOKEN_AUTH",
			AuthParameters: map[string]string{"REFRESH_TOKEN": *revoked.RefreshToken}})
		apiError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	})
}

// TestAttributeCodeDeliveryFailure: a verification code to an address
// that bounces is accepted by the API, kept in the outbox with its
// failure, and logged as a userNotification record, as the codes of
// SignUp are.
func TestAttributeCodeDeliveryFailure(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, _, arn := loggedPool(t, s, false)
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"), ExplicitAuthFlows: authFlows})
	if err != nil {
		t.Fatal(err)
	}
	const to = "bounce@simulator.amazonses.com"
	mustUser(t, c, pool, "ivy", "Passw0rd!", "email", to)
	res := mustSignIn(t, c, *out.UserPoolClient.ClientId, "ivy", "Passw0rd!")
	if _, err := c.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: res.AccessToken, AttributeName: aws.String("email")}); err != nil {
		t.Fatalf("GetUserAttributeVerificationCode to %s: %v", to, err)
	}
	ms := s.messages(t, to)
	if len(ms) != 1 || ms[0].Failure == "" || ms[0].Purpose != "VerifyUserAttribute" {
		t.Fatalf("outbox = %+v", ms)
	}
	recs := decodeRecords(t, s.exports(t), pool, arn)
	if len(recs) != 1 || !strings.Contains(recs[0].Message.Details, to) {
		t.Errorf("userNotification records = %+v", recs)
	}
}

// TestConfiguredIssuer: with TokenIssuer set, iss and the discovery
// document name it, whatever address the request came to.
func TestConfiguredIssuer(t *testing.T) {
	s := newUserServer(t, func(cfg *Config) { cfg.TokenIssuer = "https://idp.example.com/" })
	c := s.client("us-east-1")
	pool, client := authPool(t, c)
	mustUser(t, c, pool, "jo", "Passw0rd!")
	res := mustSignIn(t, c, client, "jo", "Passw0rd!")
	want := "https://idp.example.com/" + pool
	if iss := verifyJWT(t, s.jwks(t, pool), *res.IdToken)["iss"]; iss != want {
		t.Errorf("iss = %v, want %s", iss, want)
	}
	resp, err := http.Get(s.URL + "/" + pool + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var oidc map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&oidc)
	if oidc["issuer"] != want || oidc["jwks_uri"] != want+"/.well-known/jwks.json" {
		t.Errorf("openid-configuration = %v", oidc)
	}
	if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken}); err != nil {
		t.Errorf("GetUser with a configured issuer: %v", err)
	}
}

// TestSignInWithEmailUsername: in a pool whose username attribute is the
// email, the user signs in with the email and the tokens name the sub as
// username.
func TestSignInWithEmailUsername(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("email"), UsernameAttributes: []types.UsernameAttributeType{"email"}})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"), ExplicitAuthFlows: authFlows})
	if err != nil {
		t.Fatal(err)
	}
	mustUser(t, c, pool, "kim@example.com", "Passw0rd!")
	res := mustSignIn(t, c, *out.UserPoolClient.ClientId, "KIM@example.com", "Passw0rd!")
	keys := s.jwks(t, pool)
	access, id := verifyJWT(t, keys, *res.AccessToken), verifyJWT(t, keys, *res.IdToken)
	if access["username"] != access["sub"] || id["cognito:username"] != access["sub"] || id["email"] != "kim@example.com" {
		t.Errorf("claims: access %v, id %v", access, id)
	}
}

func TestChangePasswordAndDeleteUser(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := authPool(t, c)
	mustUser(t, c, pool, "lou", "Passw0rd!")
	res := mustSignIn(t, c, client, "lou", "Passw0rd!")
	_, err := c.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: res.AccessToken, PreviousPassword: aws.String("Wrong0ne!"), ProposedPassword: aws.String("N3wPassw0rd!")})
	apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = c.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: res.AccessToken, PreviousPassword: aws.String("Passw0rd!"), ProposedPassword: aws.String("weak")})
	apiError(t, err, "InvalidPasswordException", "")
	if _, err := c.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: res.AccessToken, PreviousPassword: aws.String("Passw0rd!"), ProposedPassword: aws.String("N3wPassw0rd!")}); err != nil {
		t.Fatal(err)
	}
	_, err = passwordAuth(c, client, "lou", "Passw0rd!")
	apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	res = mustSignIn(t, c, client, "lou", "N3wPassw0rd!")

	if _, err := c.DeleteUser(ctx, &cip.DeleteUserInput{AccessToken: res.AccessToken}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken}); err == nil {
		t.Error("the token of a deleted user still works")
	}
	_, err = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("lou")})
	apiError(t, err, "UserNotFoundException", "User does not exist.")
}

// TestWellKnownStoreFailure: when the store fails, the discovery document
// is a 500, as the key set is, not a 404 saying the pool does not exist.
func TestWellKnownStoreFailure(t *testing.T) {
	store, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(Config{AccountID: "123456789012", Region: "us-east-1"}, store))
	defer srv.Close()
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{"jwks.json", "openid-configuration"} {
		resp, err := http.Get(srv.URL + "/us-east-1_nothere/.well-known/" + doc)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusInternalServerError {
			t.Errorf("%s with a failed store: status %d, want 500", doc, resp.StatusCode)
		}
	}
}
