package server

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
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
// SES simulator's success address (no quota), kept in the outbox.
func BenchmarkSignUp(b *testing.B) {
	h := benchServer(b)
	serve(b, h, "CreateUserPool", `{"PoolName":"bench","AutoVerifiedAttributes":["email"]}`)
	pool := firstPool(b, h)
	out := serve(b, h, "CreateUserPoolClient", `{"UserPoolId":"`+pool+`","ClientName":"bench"}`)
	i := bytes.Index(out, []byte(`"ClientId":"`))
	client := string(out[i+12 : i+12+26])
	runUsers(b, h, "SignUp", func(i int64) string {
		return fmt.Sprintf(`{"ClientId":%q,"Username":"user%d","Password":"Passw0rd!","UserAttributes":[{"Name":"email","Value":"success+u%d@simulator.amazonses.com"}]}`, client, i, i)
	})
}

// runUsers sends op with a distinct body per request from every goroutine.
func runUsers(b *testing.B, h http.Handler, op string, body func(int64) string) {
	signed := benchRequest(b, op, body(0))
	var n atomic.Int64
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
