package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cognate/cognate/internal/srp"
)

// benchSRP measures full USER_SRP_AUTH sign-ins (-op SRPSignIn): the
// InitiateAuth with SRP_A, the client's side of the protocol (about 2 ms
// of this generator's CPU on the same cores), and the
// RespondToAuthChallenge that returns the tokens. A sign-in is one
// "request" of the report; its latency covers all three. Both operations
// are unauthenticated, as SDKs send them: nothing is signed.
func benchSRP(o *options) error {
	rt := newTransport(o.concurrency, o.timeout)
	if err := setUpSignIn(o, rt, false); err != nil {
		return err
	}
	user := signInUser(o)
	pool := o.pool
	signIn := func() error {
		cl := srp.NewClient()
		var start struct {
			ChallengeName       string
			ChallengeParameters map[string]string
		}
		if err := unsigned(o, rt, "InitiateAuth", map[string]any{"ClientId": o.client, "AuthFlow": "USER_SRP_AUTH",
			"AuthParameters": map[string]string{"USERNAME": user, "SRP_A": cl.AHex()}}, &start); err != nil {
			return err
		}
		p := start.ChallengeParameters
		key, err := cl.Key(srp.PoolName(pool), p["USER_ID_FOR_SRP"], signInPassword, p["SALT"], p["SRP_B"])
		if err != nil {
			return err
		}
		block, _ := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"])
		ts := time.Now().UTC().Format(srp.TimestampLayout)
		sig := srp.Signature(key, srp.PoolName(pool), p["USER_ID_FOR_SRP"], block, ts)
		var done struct{ AuthenticationResult struct{ AccessToken string } }
		if err := unsigned(o, rt, "RespondToAuthChallenge", map[string]any{"ClientId": o.client, "ChallengeName": "PASSWORD_VERIFIER",
			"ChallengeResponses": map[string]string{"USERNAME": p["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
				"TIMESTAMP": ts, "PASSWORD_CLAIM_SIGNATURE": base64.StdEncoding.EncodeToString(sig)}}, &done); err != nil {
			return err
		}
		if done.AuthenticationResult.AccessToken == "" {
			return fmt.Errorf("no tokens")
		}
		return nil
	}
	var (
		mu    sync.Mutex
		lat   []time.Duration
		errs  atomic.Int64
		first firstError
		wg    sync.WaitGroup
	)
	began := time.Now()
	stop := began.Add(o.duration)
	for range o.concurrency {
		wg.Go(func() {
			for time.Now().Before(stop) {
				t0 := time.Now()
				if err := signIn(); err != nil {
					errs.Add(1)
					first.set(0, nil, err)
					continue
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(began)
	res := result{Endpoint: o.endpoint, Op: o.op, Concurrency: o.concurrency, Pool: o.pool, Requests: int64(len(lat)),
		Errors: errs.Load(), Seconds: elapsed.Seconds(), FirstError: first.text}
	if len(lat) > 0 {
		res.RPS = float64(len(lat)) / elapsed.Seconds()
		slices.Sort(lat)
		res.P50ms, res.P99ms, res.MaxMs = ms(percentile(lat, 0.50)), ms(percentile(lat, 0.99)), ms(lat[len(lat)-1])
	}
	return report(o, res)
}

// unsigned sends an unauthenticated cognito-idp call and decodes a 2xx
// answer into out.
func unsigned(o *options, rt http.RoundTripper, target string, in, out any) error {
	req, err := http.NewRequest(http.MethodPost, o.endpoint+"/", bytes.NewReader(mustJSON(in)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", targetPrefix+target)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: HTTP %d: %s", target, resp.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}
