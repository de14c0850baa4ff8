package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// RunOAuth runs the storage.OAuthStore part of the suite; newStore
// returns a fresh, empty store (a storage.Backend).
func RunOAuth(t *testing.T, newStore func(t *testing.T) storage.Store) {
	runAll(t, newStore, []test[storage.Backend]{
		{"DomainLifecycle", testDomainLifecycle},
		{"DomainUniqueness", testDomainUniqueness},
		{"DomainsGoWithPool", testDomainCascade},
		{"ResourceServerLifecycle", testResourceServerLifecycle},
		{"ResourceServerListPages", testResourceServerPages},
		{"ResourceServerLimit", testResourceServerLimit},
		{"UseOnce", testUseOnce},
	})
}

func domainFixture(name string, custom bool) *storage.Domain {
	now := time.UnixMilli(1764000000789).UTC()
	d := &storage.Domain{AccountID: userPoolKey.AccountID, Region: userPoolKey.Region, PoolID: userPoolKey.ID,
		Name: name, Custom: custom, ManagedLoginVersion: 1, Version: "20251126000000", CreatedAt: now, UpdatedAt: now}
	if custom {
		d.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
		d.CloudFrontDomain = "d111111abcdef8.cloudfront.net"
	}
	return d
}

func testDomainLifecycle(t *testing.T, s storage.Backend) {
	if err := s.CreateDomain(ctx, domainFixture("mine", false)); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("CreateDomain without pool: %v", err)
	}
	mustUserPool(t, s)
	// PoolDomains is read before and after each change: a store that
	// caches it must follow every change.
	names := func(want ...string) {
		t.Helper()
		ds, err := s.PoolDomains(ctx, userPoolKey)
		var got []string
		for _, d := range ds {
			got = append(got, d.Name)
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("PoolDomains = %v, %v; want %v", got, err, want)
		}
	}
	names()
	prefix, custom := domainFixture("mine", false), domainFixture("auth.example.com", true)
	for _, d := range []*storage.Domain{custom, prefix} {
		if err := s.CreateDomain(ctx, d); err != nil {
			t.Fatalf("CreateDomain %s: %v", d.Name, err)
		}
	}
	names("mine", "auth.example.com")
	got, err := s.FindDomain(ctx, userPoolKey.Region, "mine")
	if err != nil || !reflect.DeepEqual(got, prefix) {
		t.Fatalf("FindDomain = %+v, %v; want %+v", got, err, prefix)
	}
	if got, err = s.FindDomain(ctx, "", "auth.example.com"); err != nil || !reflect.DeepEqual(got, custom) {
		t.Fatalf("FindDomain any region = %+v, %v; want %+v", got, err, custom)
	}
	if _, err := s.FindDomain(ctx, "eu-west-1", "mine"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("FindDomain in another region: %v", err)
	}
	all, err := s.PoolDomains(ctx, userPoolKey)
	if err != nil || len(all) != 2 || all[0].Name != "mine" || all[1].Name != "auth.example.com" {
		t.Fatalf("PoolDomains = %+v, %v; want prefix then custom", all, err)
	}
	later := time.UnixMilli(1764000009999).UTC()
	upd, err := s.UpdateDomain(ctx, userPoolKey, "auth.example.com", func(d *storage.Domain) error {
		d.CertificateARN, d.ManagedLoginVersion, d.Version, d.UpdatedAt = "arn:aws:acm:us-east-1:123456789012:certificate/new", 2, "v2", later
		d.Name, d.Custom = "changed", false // the store's: ignored
		return nil
	})
	if err != nil || upd.Name != "auth.example.com" || !upd.Custom || upd.ManagedLoginVersion != 2 || !upd.UpdatedAt.Equal(later) {
		t.Fatalf("UpdateDomain = %+v, %v", upd, err)
	}
	if got, _ := s.FindDomain(ctx, userPoolKey.Region, "auth.example.com"); !reflect.DeepEqual(got, upd) {
		t.Fatalf("after update FindDomain = %+v; want %+v", got, upd)
	}
	if all, err := s.PoolDomains(ctx, userPoolKey); err != nil || len(all) != 2 || !reflect.DeepEqual(all[1], upd) {
		t.Fatalf("after update PoolDomains = %+v, %v; want the updated custom domain %+v", all, err, upd)
	}
	boom := errors.New("boom")
	if _, err := s.UpdateDomain(ctx, userPoolKey, "mine", func(d *storage.Domain) error { d.Version = "x"; return boom }); err != boom {
		t.Fatalf("UpdateDomain with failing update: %v", err)
	}
	if got, _ := s.FindDomain(ctx, userPoolKey.Region, "mine"); got.Version != prefix.Version {
		t.Fatalf("a failed update stored %q", got.Version)
	}
	other := userPoolKey
	other.ID = "us-east-1_other0001"
	if _, err := s.UpdateDomain(ctx, other, "mine", func(*storage.Domain) error { return nil }); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("UpdateDomain of another pool's domain: %v", err)
	}
	if err := s.DeleteDomain(ctx, other, "mine"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("DeleteDomain of another pool's domain: %v", err)
	}
	if err := s.DeleteDomain(ctx, userPoolKey, "mine"); err != nil {
		t.Fatal(err)
	}
	names("auth.example.com")
	if err := s.DeleteDomain(ctx, userPoolKey, "mine"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("DeleteDomain twice: %v", err)
	}
	if _, err := s.FindDomain(ctx, "", "mine"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("FindDomain after delete: %v", err)
	}
}

func testDomainUniqueness(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	if err := s.CreateDomain(ctx, domainFixture("mine", false)); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateDomain(ctx, domainFixture("second", false)); !errors.Is(err, storage.ErrPoolHasDomain) {
		t.Fatalf("a second prefix domain: %v", err)
	}
	// Another account's pool in the same region cannot take the name.
	p := pool("210987654321", userPoolKey.Region, "us-east-1_foreign01")
	p.LogConfigurations = nil
	mustCreate(t, s, p)
	d := domainFixture("mine", false)
	d.AccountID, d.PoolID = p.AccountID, p.ID
	if err := s.CreateDomain(ctx, d); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Fatalf("a taken prefix in another account: %v", err)
	}
	// The same name in another region is another domain.
	q := pool(userPoolKey.AccountID, "eu-west-1", "eu-west-1_pool00001")
	q.LogConfigurations = nil
	mustCreate(t, s, q)
	d = domainFixture("mine", false)
	d.Region, d.PoolID = q.Region, q.ID
	if err := s.CreateDomain(ctx, d); err != nil {
		t.Fatalf("the same prefix in another region: %v", err)
	}
}

func testDomainCascade(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	if err := s.CreateDomain(ctx, domainFixture("mine", false)); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateResourceServer(ctx, resourceServerFixture("api"), 0); err != nil {
		t.Fatal(err)
	}
	if ds, err := s.PoolDomains(ctx, userPoolKey); err != nil || len(ds) != 1 {
		t.Fatalf("PoolDomains = %+v, %v", ds, err)
	}
	if err := s.DeleteUserPool(ctx, userPoolKey, nil); err != nil {
		t.Fatal(err)
	}
	if ds, err := s.PoolDomains(ctx, userPoolKey); err != nil || len(ds) != 0 {
		t.Fatalf("PoolDomains of a deleted pool = %+v, %v", ds, err)
	}
	if _, err := s.FindDomain(ctx, "", "mine"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("domain of a deleted pool: %v", err)
	}
	mustUserPool(t, s)
	if _, err := s.GetResourceServer(ctx, resourceServerFixture("api").Key()); !errors.Is(err, storage.ErrResourceServerNotFound) {
		t.Fatalf("resource server of a deleted pool: %v", err)
	}
	if err := s.CreateDomain(ctx, domainFixture("mine", false)); err != nil {
		t.Fatalf("the prefix of a deleted pool is free again: %v", err)
	}
}

func resourceServerFixture(id string) *storage.ResourceServer {
	now := time.UnixMilli(1764000000321).UTC()
	return &storage.ResourceServer{AccountID: userPoolKey.AccountID, Region: userPoolKey.Region, PoolID: userPoolKey.ID,
		Identifier: id, Name: "server " + id, Scopes: []storage.ResourceServerScope{{Name: "read", Description: "Read"}, {Name: "write", Description: "Write"}},
		CreatedAt: now, UpdatedAt: now}
}

func testResourceServerLifecycle(t *testing.T, s storage.Backend) {
	if err := s.CreateResourceServer(ctx, resourceServerFixture("https://api"), 0); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("CreateResourceServer without pool: %v", err)
	}
	mustUserPool(t, s)
	want := resourceServerFixture("https://api")
	if err := s.CreateResourceServer(ctx, want, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateResourceServer(ctx, resourceServerFixture("https://api"), 0); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Fatalf("duplicate identifier: %v", err)
	}
	got, err := s.GetResourceServer(ctx, want.Key())
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("GetResourceServer = %+v, %v; want %+v", got, err, want)
	}
	later := time.UnixMilli(1764000005555).UTC()
	upd, err := s.UpdateResourceServer(ctx, want.Key(), func(r *storage.ResourceServer) error {
		r.Name, r.Scopes, r.UpdatedAt = "renamed", nil, later
		return nil
	})
	if err != nil || upd.Name != "renamed" || len(upd.Scopes) != 0 || !upd.CreatedAt.Equal(want.CreatedAt) || !upd.UpdatedAt.Equal(later) {
		t.Fatalf("UpdateResourceServer = %+v, %v", upd, err)
	}
	if got, _ := s.GetResourceServer(ctx, want.Key()); !reflect.DeepEqual(got, upd) {
		t.Fatalf("after update = %+v; want %+v", got, upd)
	}
	missing := resourceServerFixture("nope").Key()
	if _, err := s.UpdateResourceServer(ctx, missing, func(*storage.ResourceServer) error { return nil }); !errors.Is(err, storage.ErrResourceServerNotFound) {
		t.Fatalf("update missing: %v", err)
	}
	if err := s.DeleteResourceServer(ctx, want.Key()); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteResourceServer(ctx, want.Key()); !errors.Is(err, storage.ErrResourceServerNotFound) || !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}

func testResourceServerPages(t *testing.T, s storage.Backend) {
	if _, _, err := s.ListResourceServers(ctx, userPoolKey, storage.Page{}); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("list without pool: %v", err)
	}
	mustUserPool(t, s)
	for i := 5; i >= 1; i-- {
		if err := s.CreateResourceServer(ctx, resourceServerFixture(fmt.Sprintf("api%d", i)), 0); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("too many pages")
		}
		page, next, err := s.ListResourceServers(ctx, userPoolKey, storage.Page{Cursor: cursor, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page {
			names = append(names, r.Identifier)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if fmt.Sprint(names) != "[api1 api2 api3 api4 api5]" {
		t.Fatalf("listed %v", names)
	}
	if _, _, err := s.ListResourceServers(ctx, userPoolKey, storage.Page{Cursor: "garbage!"}); !errors.Is(err, storage.ErrInvalidCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
}

func testResourceServerLimit(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	for i := range 2 {
		if err := s.CreateResourceServer(ctx, resourceServerFixture(fmt.Sprint("api", i)), 2); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateResourceServer(ctx, resourceServerFixture("api9"), 2); !errors.Is(err, storage.ErrLimitExceeded) {
		t.Fatalf("over the limit: %v", err)
	}
}

func testUseOnce(t *testing.T, s storage.Backend) {
	exp := time.UnixMilli(1764000300000).UTC()
	if _, err := s.UseOnce(ctx, userPoolKey, "code-1", exp); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("UseOnce without pool: %v", err)
	}
	mustUserPool(t, s)
	results := make(chan bool, 8)
	for range 8 {
		go func() {
			first, err := s.UseOnce(ctx, userPoolKey, "code-1", exp)
			if err != nil {
				t.Error(err)
			}
			results <- first
		}()
	}
	firsts := 0
	for range 8 {
		if <-results {
			firsts++
		}
	}
	if firsts != 1 {
		t.Fatalf("%d of 8 concurrent uses were first", firsts)
	}
	if revoked, err := s.TokenRevoked(ctx, userPoolKey, "code-1"); err != nil || !revoked {
		t.Fatalf("TokenRevoked of a used id = %v, %v", revoked, err)
	}
	if first, err := s.UseOnce(ctx, userPoolKey, "code-2", exp); err != nil || !first {
		t.Fatalf("another id = %v, %v", first, err)
	}
}
