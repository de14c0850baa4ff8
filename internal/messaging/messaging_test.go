package messaging

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/testutil/smtptest"
)

func TestEmailThroughARealRelay(t *testing.T) {
	r := &smtptest.Relay{Refuse: "nobody@example.com"}
	d, err := New(Config{SMTPURL: smtptest.Start(t, r)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	out, err := d.Deliver(ctx, Message{Medium: Email, From: "no-reply@verificationemail.com", To: "alice@example.com", Subject: "Your verification code", Body: "Your verification code is 123456. \n.hidden line"})
	if err != nil || !out.Accepted || !out.Relayed || out.Failure != "" {
		t.Fatalf("delivery: %+v, %v", out, err)
	}
	if got := r.Received(); len(got) != 1 || !strings.Contains(got[0].Data, "Subject: Your verification code") || !strings.Contains(got[0].Data, "Your verification code is 123456.") || !strings.Contains(got[0].Data, "\r\n.hidden line") {
		t.Errorf("relay received %q", got)
	}
	// A recipient the relay refuses: the API fails (CodeDeliveryFailure).
	_, err = d.Deliver(ctx, Message{Medium: Email, From: "a@b.c", To: "nobody@example.com", Body: "x"})
	var se *SyncError
	if !errors.As(err, &se) || !strings.Contains(se.Details, "550") {
		t.Errorf("refused recipient: %v", err)
	}
}

func TestRelayThatHangsOrIsGone(t *testing.T) {
	r := &smtptest.Relay{Hang: 5 * time.Second}
	d, _ := New(Config{SMTPURL: smtptest.Start(t, r), Timeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := d.Deliver(context.Background(), Message{Medium: Email, From: "a@b.c", To: "x@example.com", Body: "x"})
	var se *SyncError
	if !errors.As(err, &se) || !strings.Contains(se.Details, "did not answer in time") || time.Since(start) > 3*time.Second {
		t.Errorf("hanging relay: %v after %v", err, time.Since(start))
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	d, _ = New(Config{SMTPURL: "smtp://" + addr})
	_, err = d.Deliver(context.Background(), Message{Medium: Email, From: "a@b.c", To: "x@example.com", Body: "x"})
	if !errors.As(err, &se) || !strings.Contains(se.Details, "cannot be reached") {
		t.Errorf("unreachable relay: %v", err)
	}
}

func TestSimulatorAndOutbox(t *testing.T) {
	d, _ := New(Config{}) // no relay: the outbox
	cases := []struct {
		to      string
		failure string
	}{
		{"alice@example.com", ""},
		{"success@simulator.amazonses.com", ""},
		{"ooto@simulator.amazonses.com", ""},
		{"complaint+x@simulator.amazonses.com", ""},
		{"bounce@simulator.amazonses.com", "Email delivery failed: 550 5.1.1 user unknown (bounce@simulator.amazonses.com)"},
		{"bounce+label1@simulator.amazonses.com", "Email delivery failed: 550 5.1.1 user unknown (bounce+label1@simulator.amazonses.com)"},
		{"suppressionlist@simulator.amazonses.com", "Email delivery failed: the address is on the suppression list (suppressionlist@simulator.amazonses.com)"},
	}
	for _, tc := range cases {
		out, err := d.Deliver(context.Background(), Message{Medium: Email, To: tc.to})
		if err != nil || !out.Accepted || out.Relayed || out.Failure != tc.failure {
			t.Errorf("%s: %+v %v, want failure %q", tc.to, out, err, tc.failure)
		}
	}
}

func TestSMS(t *testing.T) {
	d, _ := New(Config{})
	for to, failure := range map[string]string{
		"+14255551234": "",
		"+12065550100": "Invalid phone number",
		"+12065550111": "Phone is currently unreachable/unavailable",
		"+12065550122": "Phone carrier has blocked this message",
		"+12065550133": "Phone number is opted out",
		"+12065550199": "Unknown error attempting to reach phone",
	} {
		out, err := d.Deliver(context.Background(), Message{Medium: SMS, To: to, Body: "code"})
		if err != nil || !out.Accepted || out.Failure != failure {
			t.Errorf("%s: %+v %v, want %q", to, out, err, failure)
		}
	}
}

func TestMaskAndValidate(t *testing.T) {
	for in, want := range map[string]string{"admin@example.com": "a***@e***.com", "abel@mail.example.co.uk": "a***@m***.uk", "é@ü.de": "é***@ü***.de"} {
		if got := MaskDestination(Email, in); got != want {
			t.Errorf("mask %s = %s, want %s", in, got, want)
		}
	}
	if got := MaskDestination(SMS, "+919876544114"); got != "+********4114" {
		t.Errorf("phone mask = %s", got)
	}
	for s, ok := range map[string]bool{"+14255550123": true, "+0123": false, "14255550123": false, "+1 425": false, "+1234567890123456": false} {
		if ValidPhone(s) != ok {
			t.Errorf("ValidPhone(%q) = %v", s, !ok)
		}
	}
	if _, err := New(Config{SMTPURL: "http://x"}); err == nil {
		t.Error("a non-smtp URL should be refused")
	}
}
