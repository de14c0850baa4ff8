package server

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/cognate/cognate/internal/storage/sqlstore"
	"github.com/cognate/cognate/internal/userpool"
)

// BenchmarkInitiateAuth signs one user in with USER_PASSWORD_AUTH from
// every goroutine: the argon2id check of the server's default cost, then
// two RS256 signatures (access and ID tokens) and one HS256 (refresh).
func BenchmarkInitiateAuth(b *testing.B) { benchInitiateAuth(b, benchServer(b)) }

// BenchmarkInitiateAuthLight is BenchmarkInitiateAuth with the light
// hash preset: the cost of the tokens and the request path.
func BenchmarkInitiateAuthLight(b *testing.B) {
	store, err := sqlstore.Open(sqlstore.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	benchInitiateAuth(b, New(Config{AccountID: "123456789012", Region: "us-east-1", PasswordHashing: userpool.HashLight}, store))
}

func benchInitiateAuth(b *testing.B, h http.Handler) {
	serve(b, h, "CreateUserPool", `{"PoolName":"bench"}`)
	pool := firstPool(b, h)
	out := serve(b, h, "CreateUserPoolClient", `{"UserPoolId":"`+pool+`","ClientName":"bench","ExplicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}`)
	i := bytes.Index(out, []byte(`"ClientId":"`))
	client := string(out[i+12 : i+12+26])
	serve(b, h, "AdminCreateUser", `{"UserPoolId":"`+pool+`","Username":"bench","MessageAction":"SUPPRESS"}`)
	serve(b, h, "AdminSetUserPassword", `{"UserPoolId":"`+pool+`","Username":"bench","Password":"Passw0rd!","Permanent":true}`)
	runParallel(b, h, "InitiateAuth", `{"ClientId":"`+client+`","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"bench","PASSWORD":"Passw0rd!"}}`)
}
