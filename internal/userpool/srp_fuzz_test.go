package userpool

import (
	"context"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/srp"
	"github.com/cognate/cognate/internal/storage/sqlstore"
)

// FuzzPasswordVerifier: whatever a client sends as the PASSWORD_VERIFIER
// answer (secret block, signature, timestamp, username) or as SRP_A, the
// service answers with an API error and issues nothing, unless the answer
// is the genuine one; nothing panics.
func FuzzPasswordVerifier(f *testing.F) {
	ctx := api.WithCaller(context.Background(), api.Caller{AccountID: "123456789012", Region: "us-east-1", SourceIP: "192.0.2.1"})
	store, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	s := New(store, WithPasswordHashing(HashLight))
	pool, err := s.CreateUserPool(ctx, &api.CreateUserPoolRequest{PoolName: new("fuzz")})
	if err != nil {
		f.Fatal(err)
	}
	poolID := deref(pool.UserPool.Id)
	client, err := s.CreateUserPoolClient(ctx, &api.CreateUserPoolClientRequest{UserPoolId: &poolID, ClientName: new("c")})
	if err != nil {
		f.Fatal(err)
	}
	clientID := deref(client.UserPoolClient.ClientId)
	if _, err := s.AdminCreateUser(ctx, &api.AdminCreateUserRequest{UserPoolId: &poolID, Username: new("fay"), MessageAction: new("SUPPRESS")}); err != nil {
		f.Fatal(err)
	}
	if _, err := s.AdminSetUserPassword(ctx, &api.AdminSetUserPasswordRequest{UserPoolId: &poolID, Username: new("fay"),
		Password: new("Str0ng!Passw0rd-x"), Permanent: new(true)}); err != nil {
		f.Fatal(err)
	}
	start := func(a string) (map[string]string, error) {
		out, err := s.InitiateAuth(ctx, &api.InitiateAuthRequest{ClientId: &clientID, AuthFlow: new("USER_SRP_AUTH"),
			AuthParameters: map[string]string{"USERNAME": "fay", "SRP_A": a}})
		if err != nil {
			return nil, err
		}
		return out.ChallengeParameters, nil
	}
	cl := srp.NewClient()
	p, err := start(cl.AHex())
	if err != nil {
		f.Fatal(err)
	}
	// The genuine answer works (the harness can tell right from wrong).
	key, err := cl.Key(srp.PoolName(poolID), "fay", "Str0ng!Passw0rd-x", p["SALT"], p["SRP_B"])
	if err != nil {
		f.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"])
	ts := time.Now().UTC().Format(srp.TimestampLayout)
	out, err := s.RespondToAuthChallenge(ctx, &api.RespondToAuthChallengeRequest{ClientId: &clientID, ChallengeName: new("PASSWORD_VERIFIER"),
		ChallengeResponses: map[string]string{"USERNAME": "fay", "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "TIMESTAMP": ts,
			"PASSWORD_CLAIM_SIGNATURE": base64.StdEncoding.EncodeToString(srp.Signature(key, srp.PoolName(poolID), "fay", raw, ts))}})
	if err != nil || out.AuthenticationResult == nil {
		f.Fatalf("the genuine claim: %v", err)
	}
	f.Add(cl.AHex(), p["SECRET_BLOCK"], "c2lnbmF0dXJl", "Thu Nov 5 09:03:01 UTC 2026", "fay")
	f.Add("0", "", "", "", "")
	f.Add(srp.N.Text(16), "AAAA", "!!", "Mon Jan 1 00:00:00 UTC 2026", "someone")
	f.Fuzz(func(t *testing.T, a, block, sig, timestamp, username string) {
		if _, err := start(a); err != nil {
			var apiErr *api.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("InitiateAuth(SRP_A=%q): not an API error: %v", a, err)
			}
		}
		for _, b := range []string{block, p["SECRET_BLOCK"]} {
			out, err := s.RespondToAuthChallenge(ctx, &api.RespondToAuthChallengeRequest{ClientId: &clientID, ChallengeName: new("PASSWORD_VERIFIER"),
				ChallengeResponses: map[string]string{"USERNAME": username, "PASSWORD_CLAIM_SECRET_BLOCK": b,
					"PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": timestamp}})
			var apiErr *api.Error
			if err == nil || !errors.As(err, &apiErr) || out != nil {
				t.Fatalf("a made-up claim (%q, %q, %q, %q): %v %v", username, b, sig, timestamp, out, err)
			}
		}
	})
}
