package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// OutboxPath is where the message outbox is read over HTTP, on the API's
// port. The `/_cognate/` prefix never collides with an AWS API: they all
// POST to `/` (JSON 1.1) or use bucket paths that cannot start with `_`.
const OutboxPath = "/_cognate/outbox/messages"

// Outbox query limits: a page holds at most maxOutboxLimit messages,
// defaultOutboxLimit when the caller names none.
const (
	defaultOutboxLimit = 100
	maxOutboxLimit     = 1000
)

// OutboxMessage is one message as GET /_cognate/outbox/messages returns it.
type OutboxMessage struct {
	Seq       int64     `json:"seq"`
	AccountID string    `json:"accountId"`
	Region    string    `json:"region"`
	PoolID    string    `json:"poolId"`
	Username  string    `json:"username,omitempty"`
	Medium    string    `json:"medium"`
	From      string    `json:"from,omitempty"`
	To        string    `json:"to"`
	Subject   string    `json:"subject,omitempty"`
	Body      string    `json:"body"`
	Purpose   string    `json:"purpose,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	Relayed   bool      `json:"relayed"`
	Failure   string    `json:"failure,omitempty"`
}

// OutboxPage is the response body: the messages, oldest first, and the
// cursor to pass as `after` for the next ones (the last seq returned, or
// the `after` given when there is none).
type OutboxPage struct {
	Messages []OutboxMessage `json:"messages"`
	Next     int64           `json:"next"`
}

// outboxHandler serves GET /_cognate/outbox/messages with the query
// parameters poolId, to, after, limit, and region and accountId (which
// default to the pool ID's region, or the server's region, and the
// server's account). It is not authenticated: it is for the people and
// tests that run this emulator, like the rest of the `/_cognate/` paths.
func outboxHandler(cfg Config, store storage.OutboxStore) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		mq := storage.MessageQuery{PoolID: q.Get("poolId"), To: q.Get("to"), Limit: defaultOutboxLimit}
		if v := q.Get("after"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				outboxError(w, http.StatusBadRequest, "after must be a sequence number (an integer, 0 or more)")
				return
			}
			mq.After = n
		}
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > maxOutboxLimit {
				outboxError(w, http.StatusBadRequest, "limit must be an integer from 1 to "+strconv.Itoa(maxOutboxLimit))
				return
			}
			mq.Limit = n
		}
		scope := storage.Scope{AccountID: cfg.AccountID, Region: cfg.Region}
		if region, _, ok := strings.Cut(mq.PoolID, "_"); ok && region != "" {
			scope.Region = region // pool IDs are <region>_<suffix>
		}
		if v := q.Get("region"); v != "" {
			scope.Region = v
		}
		if v := q.Get("accountId"); v != "" {
			scope.AccountID = v
		}
		msgs, err := store.ListMessages(r.Context(), scope, mq)
		if err != nil {
			cfg.Logger.Error("outbox: list messages", "err", err)
			outboxError(w, http.StatusInternalServerError, "reading the outbox failed")
			return
		}
		page := OutboxPage{Messages: make([]OutboxMessage, 0, len(msgs)), Next: mq.After}
		for _, m := range msgs {
			page.Messages = append(page.Messages, OutboxMessage{
				Seq: m.Seq, AccountID: m.AccountID, Region: m.Region, PoolID: m.PoolID, Username: m.Username,
				Medium: m.Medium, From: m.From, To: m.To, Subject: m.Subject, Body: m.Body, Purpose: m.Purpose,
				CreatedAt: m.CreatedAt.UTC(), Relayed: m.Relayed, Failure: m.Failure,
			})
			page.Next = m.Seq
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(page); err != nil {
			cfg.Logger.Debug("outbox: write response", "err", err)
		}
	})
}

func outboxError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
