package server

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/cognate/cognate/internal/storage/sqlstore"
	"github.com/cognate/cognate/internal/userpool"
)

// BenchmarkAdminCreateUser creates distinct users (each with a generated
// temporary password, hashed with argon2id) in one pool; the invitation
// goes by the default medium, SMS, which these users lack.
func BenchmarkAdminCreateUser(b *testing.B) {
	h := benchServer(b)
	serve(b, h, "CreateUserPool", `{"PoolName":"bench"}`)
	pool := firstPool(b, h)
	runUsers(b, h, "AdminCreateUser", func(i int64) string {
		return fmt.Sprintf(`{"UserPoolId":%q,"Username":"user%d","UserAttributes":[{"Name":"email","Value":"user%d@example.com"}]}`, pool, i, i)
	})
}

// BenchmarkSignUp signs up distinct users whose code goes by email to the
// SES simulator's success address (no quota), kept in the outbox. The
// password is hashed with the default preset (standard).
func BenchmarkSignUp(b *testing.B) { benchSignUp(b, benchServer(b)) }

// BenchmarkSignUpLight is BenchmarkSignUp with the light preset: the
// request path without the slow hash.
func BenchmarkSignUpLight(b *testing.B) {
	store, err := sqlstore.Open(sqlstore.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	benchSignUp(b, New(Config{AccountID: "123456789012", Region: "us-east-1", PasswordHashing: userpool.HashLight}, store))
}

// BenchmarkAdminCreateUserInvite creates users with an email invitation
// (a generated temporary password, hashed with the light preset).
func BenchmarkAdminCreateUserInvite(b *testing.B) {
	h := benchServer(b)
	serve(b, h, "CreateUserPool", `{"PoolName":"bench"}`)
	pool := firstPool(b, h)
	runUsers(b, h, "AdminCreateUser", func(i int64) string {
		return fmt.Sprintf(`{"UserPoolId":%q,"Username":"user%d","DesiredDeliveryMediums":["EMAIL"],"UserAttributes":[{"Name":"email","Value":"success+u%d@simulator.amazonses.com"}]}`, pool, i, i)
	})
}

func benchSignUp(b *testing.B, h http.Handler) {
	serve(b, h, "CreateUserPool", `{"PoolName":"bench","AutoVerifiedAttributes":["email"]}`)
	pool := firstPool(b, h)
	out := serve(b, h, "CreateUserPoolClient", `{"UserPoolId":"`+pool+`","ClientName":"bench"}`)
	i := bytes.Index(out, []byte(`"ClientId":"`))
	client := string(out[i+12 : i+12+26])
	runUsers(b, h, "SignUp", func(i int64) string {
		return fmt.Sprintf(`{"ClientId":%q,"Username":"user%d","Password":"Passw0rd!","UserAttributes":[{"Name":"email","Value":"success+u%d@simulator.amazonses.com"}]}`, client, i, i)
	})
}

// BenchmarkAdminUpdateUserAttributes is export's API path: each call
// changes a user's email to a bouncing SES simulator address, so that the
// verification code fails and one userNotification record is written with
// the change (a DEVELOPER pool: no daily quota). No exporter runs here:
// the records stay in the export outbox, so this is the write path alone.
func BenchmarkAdminUpdateUserAttributes(b *testing.B) {
	h := benchServer(b)
	serve(b, h, "CreateUserPool", `{"PoolName":"bench","AutoVerifiedAttributes":["email"],"EmailConfiguration":{"EmailSendingAccount":"DEVELOPER","SourceArn":"arn:aws:ses:us-west-2:123456789012:identity/noreply@example.com"}}`)
	pool := firstPool(b, h)
	createBenchLogGroup(b, h, "bench")
	serve(b, h, "SetLogDeliveryConfiguration", `{"UserPoolId":"`+pool+`","LogConfigurations":[{"LogLevel":"ERROR","EventSource":"userNotification","CloudWatchLogsConfiguration":{"LogGroupArn":"arn:aws:logs:us-west-2:123456789012:log-group:bench"}}]}`)
	const users = 64
	for i := range users {
		serve(b, h, "AdminCreateUser", fmt.Sprintf(`{"UserPoolId":%q,"Username":"user%d","MessageAction":"SUPPRESS","UserAttributes":[{"Name":"email","Value":"user%d@example.com"}]}`, pool, i, i))
	}
	runUsers(b, h, "AdminUpdateUserAttributes", func(i int64) string {
		return fmt.Sprintf(`{"UserPoolId":%q,"Username":"user%d","UserAttributes":[{"Name":"email","Value":"bounce+%d@simulator.amazonses.com"}]}`, pool, i%users, i)
	})
}

// runUsers sends op with a distinct body per request from 32 goroutines per
// CPU (64 on this project's machine, as the load generator's c=64): the
// writes then share commits as they do under load.
func runUsers(b *testing.B, h http.Handler, op string, body func(int64) string) {
	signed := benchRequest(b, op, body(0))
	var n atomic.Int64
	b.SetParallelism(32)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := signed.Clone(ctx)
			req.Body = io.NopCloser(bytes.NewReader([]byte(body(n.Add(1)))))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Errorf("%s: %d %s", op, w.Code, w.Body)
				return
			}
		}
	})
}
