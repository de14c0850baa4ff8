package server

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/userpool"
)

// storedHash returns the password hash a user is stored with (the
// domain's record keeps it under "h").
func storedHash(t *testing.T, s *userServer, pool, key string) string {
	t.Helper()
	u, err := s.store.GetUser(ctx, storage.UserKey{PoolKey: storage.PoolKey{Scope: storage.Scope{AccountID: "123456789012", Region: "us-east-1"}, ID: pool}, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		H string `json:"h"`
	}
	if err := json.Unmarshal(u.Data, &data); err != nil {
		t.Fatal(err)
	}
	return data.H
}

var temporaryPassword = regexp.MustCompile(`temporary password is (\S+)\.`)

// Passwords are only stored as salted argon2id hashes: a generated
// temporary password (AdminCreateUser's invitation) with the light preset
// whatever the server's (it is a 126-bit random secret, password.go), a
// chosen one (SignUp, a given TemporaryPassword) with the server's preset:
// standard by default, light when Config.PasswordHashing says so.
func TestPasswordHashingPresets(t *testing.T) {
	for _, tc := range []struct {
		name   string
		preset userpool.HashParams
		chosen string // the PHC prefix of chosen passwords' hashes
	}{
		{"default", userpool.HashParams{}, "$argon2id$v=19$m=8192,t=1,p=1$"},
		{"light", userpool.HashLight, "$argon2id$v=19$m=8,t=1,p=1$"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newUserServer(t, func(c *Config) { c.PasswordHashing = tc.preset })
			c := s.client("us-east-1")
			pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
			_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("invited"),
				UserAttributes: attrs("email", "invited@example.com"), DesiredDeliveryMediums: []types.DeliveryMediumType{"EMAIL"}})
			if err != nil {
				t.Fatal(err)
			}
			ms := s.messages(t, "invited@example.com")
			if len(ms) != 1 {
				t.Fatalf("invitations: %d", len(ms))
			}
			m := temporaryPassword.FindStringSubmatch(ms[0].Body)
			if m == nil || len(m[1]) != 22 {
				t.Fatalf("no 22-character temporary password in %q", ms[0].Body)
			}
			h := storedHash(t, s, pool, "invited")
			if !strings.HasPrefix(h, "$argon2id$v=19$m=8,t=1,p=1$") || strings.Contains(h, m[1]) {
				t.Errorf("generated password stored as %q", h)
			}
			if ok, err := userpool.VerifyPassword(h, m[1]); !ok || err != nil {
				t.Errorf("the invitation's password does not match its hash: %v %v", ok, err)
			}

			if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("given"),
				TemporaryPassword: aws.String("Chosen-Pass1"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
				t.Fatal(err)
			}
			if h := storedHash(t, s, pool, "given"); !strings.HasPrefix(h, tc.chosen) {
				t.Errorf("given temporary password stored as %q, want %s…", h, tc.chosen)
			}
			client, _ := mustClient(t, c, pool, false)
			if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("signed"), Password: aws.String("Chosen-Pass1")}); err != nil {
				t.Fatal(err)
			}
			h = storedHash(t, s, pool, "signed")
			if !strings.HasPrefix(h, tc.chosen) || strings.Contains(h, "Chosen-Pass1") {
				t.Errorf("signed-up password stored as %q, want %s…", h, tc.chosen)
			}
			if ok, _ := userpool.VerifyPassword(h, "Chosen-Pass1"); !ok {
				t.Error("the signed-up password does not match its hash")
			}
		})
	}
}
