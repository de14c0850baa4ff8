package s3

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
	bolt "go.etcd.io/bbolt"
)

// This file gives buckets an owner account, as S3 does: a bucket belongs
// to the account that created it, only that account's keys may use it (no
// bucket policies here), ListBuckets lists only the caller's buckets, and a
// log destination must be a bucket of the user pool's own account ("the
// destination must be in the same account", spec/log-delivery.md §4).
//
// Owners are kept beside the objects, in s3-owners.db (bbolt, fsync on
// every change), or in memory. A bucket with no recorded owner (one made
// in process with CreateBucket, or before owners were recorded) may be
// used by every account.

// ownersBucket is the bbolt bucket of owners: bucket name -> account ID.
var ownersBucket = []byte("owners")

type ownerStore struct {
	mu  sync.Mutex
	db  *bolt.DB          // nil in memory
	mem map[string]string // in memory
}

func openOwners(dir string) (*ownerStore, error) {
	if dir == "" {
		return &ownerStore{mem: map[string]string{}}, nil
	}
	db, err := bolt.Open(filepath.Join(dir, "s3-owners.db"), 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open built-in S3 owners: %w", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(ownersBucket)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open built-in S3 owners: %w", err)
	}
	return &ownerStore{db: db}, nil
}

func (o *ownerStore) close() error {
	if o.db == nil {
		return nil
	}
	return o.db.Close()
}

// owner returns the account that owns bucket, or "" when none is recorded.
func (o *ownerStore) owner(bucket string) (string, error) {
	if o.db == nil {
		o.mu.Lock()
		defer o.mu.Unlock()
		return o.mem[bucket], nil
	}
	var account string
	err := o.db.View(func(tx *bolt.Tx) error {
		account = string(tx.Bucket(ownersBucket).Get([]byte(bucket)))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("s3: owner of %s: %w", bucket, err)
	}
	return account, nil
}

// set records account as the owner of bucket ("" removes the record).
func (o *ownerStore) set(bucket, account string) error {
	if o.db == nil {
		o.mu.Lock()
		defer o.mu.Unlock()
		if account == "" {
			delete(o.mem, bucket)
		} else {
			o.mem[bucket] = account
		}
		return nil
	}
	err := o.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(ownersBucket)
		if account == "" {
			return b.Delete([]byte(bucket))
		}
		return b.Put([]byte(bucket), []byte(account))
	})
	if err != nil {
		return fmt.Errorf("s3: record owner of %s: %w", bucket, err)
	}
	return nil
}

// BucketOwnedBy reports whether bucket exists and account may use it: it
// owns the bucket, or no owner is recorded.
func (s *Service) BucketOwnedBy(account, bucket string) (bool, error) {
	ok, err := s.BucketExists(bucket)
	if err != nil || !ok {
		return false, err
	}
	owner, err := s.owners.owner(bucket)
	if err != nil {
		return false, err
	}
	return owner == "" || owner == account, nil
}

// ServeAs answers an S3 REST request already authenticated as account: it
// creates buckets for account, refuses buckets of other accounts with
// S3's AccessDenied, lists account's buckets, and hands the rest to the
// S3 protocol.
func (s *Service) ServeAs(w http.ResponseWriter, r *http.Request, account string) {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case bucket == "" && r.Method == http.MethodGet:
		s.listBuckets(w, r, account)
	case bucket == "":
		s.handler.ServeHTTP(w, r)
	case key == "" && r.Method == http.MethodPut && r.URL.RawQuery == "":
		s.createBucket(w, r, account, bucket)
	default:
		owner, err := s.owners.owner(bucket)
		if err != nil {
			WriteError(w, r, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
			return
		}
		if owner != "" && owner != account {
			WriteError(w, r, http.StatusForbidden, "AccessDenied", "Access Denied")
			return
		}
		rec := &statusRecorder{ResponseWriter: w}
		s.handler.ServeHTTP(rec, r)
		if key == "" && r.Method == http.MethodDelete && r.URL.RawQuery == "" && rec.status == http.StatusNoContent {
			// The bucket is gone; a stale record would only be
			// replaced when the name is created again.
			_ = s.owners.set(bucket, "")
		}
	}
}

// createBucket records account as the owner before the bucket is created,
// so that an acknowledged bucket always has its owner; a failed creation
// takes the record back. Creations are serialised so that two accounts
// racing for one name cannot leave the loser recorded.
func (s *Service) createBucket(w http.ResponseWriter, r *http.Request, account, bucket string) {
	s.createMu.Lock()
	defer s.createMu.Unlock()
	existed, err := s.backend.BucketExists(bucket)
	if err != nil {
		WriteError(w, r, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	}
	if !existed {
		if err := s.owners.set(bucket, account); err != nil {
			WriteError(w, r, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
			return
		}
	}
	rec := &statusRecorder{ResponseWriter: w}
	s.handler.ServeHTTP(rec, r)
	if !existed && rec.status != http.StatusOK {
		if now, err := s.backend.BucketExists(bucket); err == nil && !now {
			_ = s.owners.set(bucket, "")
		}
	}
}

// listBuckets is ListBuckets: the buckets account owns, and those without
// an owner, in name order, with account as the owner.
func (s *Service) listBuckets(w http.ResponseWriter, r *http.Request, account string) {
	all, err := s.backend.ListBuckets()
	if err != nil {
		WriteError(w, r, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	}
	mine := gofakes3.Buckets{}
	for _, b := range all {
		owner, err := s.owners.owner(b.Name)
		if err != nil {
			WriteError(w, r, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
			return
		}
		if owner == "" || owner == account {
			mine = append(mine, b)
		}
	}
	slices.SortFunc(mine, func(x, y gofakes3.BucketInfo) int { return strings.Compare(x.Name, y.Name) })
	out, err := xml.Marshal(gofakes3.Storage{
		Xmlns:   "http://s3.amazonaws.com/doc/2006-03-01/",
		Owner:   &gofakes3.UserInfo{ID: account, DisplayName: account},
		Buckets: mine,
	})
	if err != nil {
		WriteError(w, r, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
}

// statusRecorder remembers the status the S3 protocol answered.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// errorDoc is S3's REST error document.
type errorDoc struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	RequestID string   `xml:"RequestId"`
}

// WriteError answers as S3 does: the status, and for any method but HEAD
// the XML error document (a HEAD answer has no body, so clients read the
// status alone). Codes and statuses:
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html.
func WriteError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	id := make([]byte, 8)
	_, _ = rand.Read(id) // crypto/rand.Read does not fail
	reqID := strings.ToUpper(hex.EncodeToString(id))
	w.Header().Set("x-amz-request-id", reqID)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	out, _ := xml.Marshal(errorDoc{Code: code, Message: msg, RequestID: reqID}) // strings always marshal
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
}
