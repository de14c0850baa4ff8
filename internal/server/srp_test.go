package server

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate/cognate/internal/srp"
	"github.com/cognate/cognate/internal/storage"
)

// srpSignIn runs USER_SRP_AUTH with the protocol's client side: the
// challenge, then the password claim; tamper may change the responses
// before they are sent.
func srpSignIn(c *cip.Client, pool, client, user, password string, tamper func(map[string]string)) (*cip.RespondToAuthChallengeOutput, *cip.InitiateAuthOutput, error) {
	cl := srp.NewClient()
	start, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": user, "SRP_A": cl.AHex()}})
	if err != nil {
		return nil, nil, err
	}
	p := start.ChallengeParameters
	userID := p["USER_ID_FOR_SRP"]
	key, err := cl.Key(srp.PoolName(pool), userID, password, p["SALT"], p["SRP_B"])
	if err != nil {
		return nil, start, err
	}
	block, _ := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"])
	ts := time.Now().UTC().Format(srp.TimestampLayout)
	r := map[string]string{"USERNAME": userID, "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "TIMESTAMP": ts,
		"PASSWORD_CLAIM_SIGNATURE": base64.StdEncoding.EncodeToString(srp.Signature(key, srp.PoolName(pool), userID, block, ts))}
	if tamper != nil {
		tamper(r)
	}
	out, err := c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(client),
		ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: r, Session: start.Session})
	return out, start, err
}

// TestSRPSignIn (issue 5 item 1): USER_SRP_AUTH with Cognito's SRP-6a
// computed by an independent client: the right password gets tokens; a
// wrong one, a bad A, a bad timestamp or a changed secret block is refused
// with nothing issued; a temporary password leads to
// NEW_PASSWORD_REQUIRED, whose new password then works with SRP too;
// unknown users get AWS's answers (a decoy challenge when the client hides
// user existence).
func TestSRPSignIn(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("srp")})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	client := *out.UserPoolClient.ClientId
	mustUser(t, c, pool, "sara", "Str0ng!Passw0rd-x")

	res, start, err := srpSignIn(c, pool, client, "sara", "Str0ng!Passw0rd-x", nil)
	if err != nil {
		t.Fatalf("SRP sign-in: %v", err)
	}
	if start.ChallengeName != "PASSWORD_VERIFIER" || start.ChallengeParameters["USER_ID_FOR_SRP"] != "sara" || start.ChallengeParameters["USERNAME"] != "sara" {
		t.Errorf("challenge %+v", start)
	}
	if res.AuthenticationResult == nil || res.AuthenticationResult.RefreshToken == nil {
		t.Fatalf("no tokens: %+v", res)
	}
	claims := verifyJWT(t, s.jwks(t, pool), *res.AuthenticationResult.AccessToken)
	if claims["username"] != "sara" || claims["token_use"] != "access" || claims["client_id"] != client {
		t.Errorf("claims %v", claims)
	}
	// The secret block does not reveal the server's secret.
	if strings.Contains(start.ChallengeParameters["SECRET_BLOCK"], start.ChallengeParameters["SRP_B"][:16]) {
		t.Error("SECRET_BLOCK looks like plain state")
	}

	_, _, err = srpSignIn(c, pool, client, "sara", "Wr0ng!Passw0rd-x", nil)
	apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, _, err = srpSignIn(c, pool, client, "sara", "Str0ng!Passw0rd-x", func(r map[string]string) { r["TIMESTAMP"] = "2026-11-26T01:02:03Z" })
	apiError(t, err, "InvalidParameterException", "TIMESTAMP format is invalid.")
	_, _, err = srpSignIn(c, pool, client, "sara", "Str0ng!Passw0rd-x", func(r map[string]string) {
		b := []byte(r["PASSWORD_CLAIM_SECRET_BLOCK"])
		b[10] ^= 1
		r["PASSWORD_CLAIM_SECRET_BLOCK"] = string(b)
	})
	apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": "sara", "SRP_A": srp.N.Text(16)}})
	apiError(t, err, "InvalidParameterException", "SRP_A is not a valid SRP value.")
	_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": "nobody", "SRP_A": srp.NewClient().AHex()}})
	apiError(t, err, "UserNotFoundException", "User does not exist.")

	// A temporary password: SRP leads to NEW_PASSWORD_REQUIRED.
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("tom"),
		TemporaryPassword: aws.String("Temp0rary!Pass"), MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	res, _, err = srpSignIn(c, pool, client, "tom", "Temp0rary!Pass", nil)
	if err != nil || res.ChallengeName != "NEW_PASSWORD_REQUIRED" || res.Session == nil {
		t.Fatalf("temporary password: %+v %v", res, err)
	}
	if _, err := c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(client), ChallengeName: "NEW_PASSWORD_REQUIRED",
		Session: res.Session, ChallengeResponses: map[string]string{"USERNAME": "tom", "NEW_PASSWORD": "N3w!Passw0rd-z"}}); err != nil {
		t.Fatal(err)
	}
	if res, _, err = srpSignIn(c, pool, client, "tom", "N3w!Passw0rd-z", nil); err != nil || res.AuthenticationResult == nil {
		t.Fatalf("after the new password: %+v %v", res, err)
	}

	// A client that hides user existence: a decoy challenge, the same salt
	// each time, then the wrong-password answer.
	hidden, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("hidden"),
		PreventUserExistenceErrors: "ENABLED"})
	if err != nil {
		t.Fatal(err)
	}
	hiddenID := *hidden.UserPoolClient.ClientId
	_, first, err := srpSignIn(c, pool, hiddenID, "nobody", "Str0ng!Passw0rd-x", nil)
	apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, second, _ := srpSignIn(c, pool, hiddenID, "nobody", "Str0ng!Passw0rd-x", nil)
	if first == nil || second == nil || first.ChallengeParameters["SALT"] != second.ChallengeParameters["SALT"] {
		t.Errorf("decoy salts differ or missing: %+v %+v", first, second)
	}
	// SRP is off for a client whose flows leave it out.
	_, pwClient := authPool(t, c)
	_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(pwClient), AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": "sara", "SRP_A": srp.NewClient().AHex()}})
	apiError(t, err, "InvalidParameterException", "USER_SRP_AUTH flow not enabled for this client")
}

// TestSRPAdminSignIn: AdminInitiateAuth with USER_SRP_AUTH and
// AdminRespondToAuthChallenge with the password claim, as server-side
// SDKs sign in.
func TestSRPAdminSignIn(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("srp-admin")})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("server"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	client := *out.UserPoolClient.ClientId
	mustUser(t, c, pool, "ada", "Str0ng!Passw0rd-x")
	for _, password := range []string{"Str0ng!Passw0rd-x", "Wr0ng!Passw0rd-x"} {
		cl := srp.NewClient()
		start, err := c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
			AuthFlow: "USER_SRP_AUTH", AuthParameters: map[string]string{"USERNAME": "ada", "SRP_A": cl.AHex()}})
		if err != nil || start.ChallengeName != "PASSWORD_VERIFIER" {
			t.Fatalf("AdminInitiateAuth: %+v %v", start, err)
		}
		p := start.ChallengeParameters
		key, err := cl.Key(srp.PoolName(pool), p["USER_ID_FOR_SRP"], password, p["SALT"], p["SRP_B"])
		if err != nil {
			t.Fatal(err)
		}
		block, _ := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"])
		ts := time.Now().UTC().Format(srp.TimestampLayout)
		res, err := c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
			ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: map[string]string{"USERNAME": "ada", "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
				"TIMESTAMP": ts, "PASSWORD_CLAIM_SIGNATURE": base64.StdEncoding.EncodeToString(srp.Signature(key, srp.PoolName(pool), "ada", block, ts))}})
		if password == "Str0ng!Passw0rd-x" {
			if err != nil || res.AuthenticationResult == nil {
				t.Errorf("right password: %+v %v", res, err)
			}
			continue
		}
		apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
}

// TestSRPVerifierFilledAtPasswordSignIn: a user stored without an SRP
// verifier (a data directory from before verifiers were kept) cannot sign
// in with SRP until a password sign-in gives Cognate the password; from
// then on SRP works.
func TestSRPVerifierFilledAtPasswordSignIn(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("srp-old")})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("both"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	client := *out.UserPoolClient.ClientId
	mustUser(t, c, pool, "old", "Str0ng!Passw0rd-x")
	// Remove the verifier from the stored record, as an older Cognate wrote it.
	key := storage.UserKey{PoolKey: storage.PoolKey{Scope: storage.Scope{AccountID: "123456789012", Region: "us-east-1"}, ID: pool}, Key: "old"}
	if _, err := s.store.UpdateUser(ctx, key, func(u *storage.User) (*storage.Deliveries, error) {
		var data map[string]any
		if err := json.Unmarshal(u.Data, &data); err != nil {
			return nil, err
		}
		delete(data, "ss")
		delete(data, "sv")
		u.Data, err = json.Marshal(data)
		return nil, err
	}); err != nil {
		t.Fatal(err)
	}
	_, _, err = srpSignIn(c, pool, client, "old", "Str0ng!Passw0rd-x", nil)
	apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	mustSignIn(t, c, client, "old", "Str0ng!Passw0rd-x")
	if res, _, err := srpSignIn(c, pool, client, "old", "Str0ng!Passw0rd-x", nil); err != nil || res.AuthenticationResult == nil {
		t.Fatalf("SRP after a password sign-in: %+v %v", res, err)
	}
}
