package smtptest

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message the relay received: its recipient and its DATA.
type Mail struct {
	To, Data string
}

// Relay is an SMTP server's behaviour. Set its fields before Start.
type Relay struct {
	// Refuse is a recipient refused with 550 5.1.1.
	Refuse string
	// Hang delays the answer to DATA this long, for a relay that does not
	// answer in time.
	Hang time.Duration

	mu       sync.Mutex
	received []Mail
}

// Start serves r on a free loopback port until the test ends and returns
// its URL for messaging.Config.SMTPURL (`smtp://host:port`).
func Start(t testing.TB, r *Relay) string {
	t.Helper()
	srv := smtp.NewServer(r)
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return "smtp://" + ln.Addr().String()
}

// Received returns the messages received so far, oldest first.
func (r *Relay) Received() []Mail {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Mail(nil), r.received...)
}

// To returns the DATA of the last message to addr, or "".
func (r *Relay) To(addr string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.received) - 1; i >= 0; i-- {
		if r.received[i].To == addr {
			return r.received[i].Data
		}
	}
	return ""
}

// NewSession implements smtp.Backend.
func (r *Relay) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{r: r}, nil }

type session struct {
	r  *Relay
	to string
}

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Reset()                               {}
func (s *session) Logout() error                        { return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == s.r.Refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable"}
	}
	s.to = to
	return nil
}

func (s *session) Data(r io.Reader) error {
	time.Sleep(s.r.Hang)
	b, err := io.ReadAll(r)
	s.r.mu.Lock()
	s.r.received = append(s.r.received, Mail{To: s.to, Data: string(b)})
	s.r.mu.Unlock()
	return err
}
