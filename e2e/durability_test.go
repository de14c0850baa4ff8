package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestSIGKILLKeepsAcknowledgedWrites: clients create pools and set their
// log delivery configuration as fast as they can; the server is killed
// with SIGKILL mid-stream; after a restart on the same data directory every
// write that was answered 200 is there (a 2xx means durable).
func TestSIGKILLKeepsAcknowledgedWrites(t *testing.T) {
	dir := t.TempDir()
	c := start(t, "--data-dir", dir)
	type ack struct{ pool, group string }
	var (
		mu    sync.Mutex
		acked []ack
		wg    sync.WaitGroup
	)
	ctx, stop := context.WithCancel(context.Background())
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				status, body, err := c.call(ctx, "CreateUserPool", fmt.Sprintf(`{"PoolName":"w%d-%d"}`, w, i))
				if err != nil || status != 200 {
					return
				}
				var out struct{ UserPool struct{ Id string } }
				if err := json.Unmarshal(body, &out); err != nil {
					t.Errorf("create answer %s: %v", body, err)
					return
				}
				a := ack{pool: out.UserPool.Id}
				mu.Lock()
				acked = append(acked, a)
				idx := len(acked) - 1
				mu.Unlock()
				// The destination must exist; under /aws/vendedlogs/ its
				// groups share one entry of the delivery resource policy.
				name := fmt.Sprintf("/aws/vendedlogs/g%d-%d", w, i)
				if status, _, err = c.callLogs(ctx, "CreateLogGroup", `{"logGroupName":"`+name+`"}`); err != nil || status != 200 {
					return
				}
				group := "arn:aws:logs:us-west-2:123456789012:log-group:" + name
				status, _, err = c.call(ctx, "SetLogDeliveryConfiguration", `{"UserPoolId":"`+a.pool+`","LogConfigurations":[{"LogLevel":"ERROR","EventSource":"userNotification","CloudWatchLogsConfiguration":{"LogGroupArn":"`+group+`"}}]}`)
				if err != nil || status != 200 {
					return
				}
				mu.Lock()
				acked[idx].group = group
				mu.Unlock()
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	c.kill() // SIGKILL while writes are in flight
	stop()
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d writes acknowledged before the kill; the test proves little", len(acked))
	}

	restarted := start(t, "--data-dir", dir)
	missing := 0
	for _, a := range acked {
		status, body, err := restarted.call(context.Background(), "GetLogDeliveryConfiguration", `{"UserPoolId":"`+a.pool+`"}`)
		if err != nil || status != 200 {
			missing++
			t.Errorf("acknowledged pool %s lost: %d %s %v", a.pool, status, body, err)
			continue
		}
		if a.group == "" {
			continue // the Set was not acknowledged: either outcome is fine
		}
		var out struct {
			LogDeliveryConfiguration struct {
				LogConfigurations []struct {
					CloudWatchLogsConfiguration struct{ LogGroupArn string }
				}
			}
		}
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		cfgs := out.LogDeliveryConfiguration.LogConfigurations
		if len(cfgs) != 1 || cfgs[0].CloudWatchLogsConfiguration.LogGroupArn != a.group {
			t.Errorf("acknowledged configuration of %s lost: %s", a.pool, body)
		}
	}
	t.Logf("%d pools acknowledged before SIGKILL, %d missing after restart", len(acked), missing)
}
