package e2e

import (
	"encoding/json"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/testutil/smtptest"
)

// outboxMessage is what `cognate outbox --output json` prints per message.
type outboxMessage struct {
	Seq      int64
	PoolID   string
	Username string
	Medium   string
	To       string
	Subject  string
	Body     string
	Purpose  string
	Relayed  bool
	Failure  string
}

// cognateOutbox runs the binary's `cognate outbox` against c.
func cognateOutbox(t *testing.T, c *cognate, args ...string) []outboxMessage {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"outbox", "--endpoint-url", c.endpoint, "--output", "json"}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cognate outbox %v: %v", args, err)
	}
	var page struct {
		Messages []outboxMessage
		Next     int64
	}
	if err := json.Unmarshal(out, &page); err != nil {
		t.Fatalf("cognate outbox output: %v\n%s", err, out)
	}
	return page.Messages
}

// TestSMTPRelayAndOutbox (issue 4, item 4): `cognate serve --smtp-url`
// sends a pool's email through a real SMTP server; every message, relayed,
// refused or bounced, is kept in the outbox, where `cognate outbox` (and
// GET /_cognate/outbox/messages) read it with the code or password in it.
func TestSMTPRelayAndOutbox(t *testing.T) {
	m := &smtptest.Relay{Refuse: "refused@example.com"}
	c := start(t, "--in-memory", "--smtp-url", smtptest.Start(t, m))
	pool := createPool(t, c, `{"PoolName":"relay","EmailConfiguration":{"EmailSendingAccount":"DEVELOPER","SourceArn":"arn:aws:ses:us-west-2:123456789012:identity/noreply@example.com"}}`)
	invite := func(user, addr string) (int, string) {
		status, body, err := c.call(t.Context(), "AdminCreateUser", `{"UserPoolId":"`+pool+`","Username":"`+user+`","TemporaryPassword":"Temp-Pass-123","UserAttributes":[{"Name":"email","Value":"`+addr+`"}],"DesiredDeliveryMediums":["EMAIL"]}`)
		if err != nil {
			t.Fatal(err)
		}
		return status, string(body)
	}
	if status, body := invite("alice", "alice@example.com"); status != 200 {
		t.Fatalf("AdminCreateUser alice: %d %s", status, body)
	}
	// The relay refuses this one: the API call fails as Cognito's does
	// when SES refuses, and the message is kept with the failure.
	if status, body := invite("rita", "refused@example.com"); status == 200 || !strings.Contains(body, "CodeDeliveryFailureException") {
		t.Errorf("AdminCreateUser to a refused address: %d %s", status, body)
	}

	got := m.To("alice@example.com")
	if !strings.Contains(got, "Temp-Pass-123") {
		t.Errorf("the relay did not get alice's invitation with her password: %q", got)
	}

	msgs := cognateOutbox(t, c, "--pool-id", pool, "--to", "alice@example.com")
	if len(msgs) != 1 || !msgs[0].Relayed || msgs[0].Failure != "" || msgs[0].Medium != "EMAIL" || msgs[0].Username != "alice" ||
		!strings.Contains(msgs[0].Body, "Temp-Pass-123") {
		t.Errorf("outbox for alice: %+v", msgs)
	}
	refused := cognateOutbox(t, c, "--pool-id", pool, "--to", "refused@example.com")
	if len(refused) != 1 || refused[0].Relayed || !strings.Contains(refused[0].Failure, "550") {
		t.Errorf("outbox for the refused address: %+v", refused)
	}
	// The pool's messages, then only those after the first.
	all := cognateOutbox(t, c, "--pool-id", pool)
	if len(all) != 2 {
		t.Fatalf("outbox of the pool: %+v", all)
	}
	if after := cognateOutbox(t, c, "--pool-id", pool, "--after", strconv.FormatInt(all[0].Seq, 10)); len(after) != 1 || after[0].Seq != all[1].Seq {
		t.Errorf("--after %d: %+v", all[0].Seq, after)
	}
}
