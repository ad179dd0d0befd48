package seed

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"rolegate/internal/iam"
	"rolegate/internal/idgen"
	"rolegate/internal/org"
	"rolegate/internal/secretbox"
	"rolegate/internal/store"
)

// The shape of every seeded account. Policies are attached so that each one is in use: roles take
// three, users one, groups two.
const (
	PoliciesPerAccount = 100
	RolesPerAccount    = 40
	UsersPerAccount    = 20
	GroupsPerAccount   = 5
	rolePolicies       = 3
	groupPolicies      = 2
)

// accountsPerTx bounds one write transaction (about 15 MB of records): large enough that commits
// are rare, small enough that the WAL stays modest.
const accountsPerTx = 40

// Plan says how much to seed.
type Plan struct {
	// Policies is the number of customer managed policies, spread over as many accounts as it takes
	// at PoliciesPerAccount each (a last account may hold fewer).
	Policies int
	// Progress, if set, is called after each committed batch with the accounts written so far.
	Progress func(done, total int)
}

// ErrSeeded reports a data directory that was seeded already.
var ErrSeeded = errors.New("seed: the store already holds seeded accounts")

// Fill writes the accounts of plan into st, with access key secrets sealed by box. now stamps
// every record; rnd supplies IDs and secrets (crypto/rand in the command). The layout of
// documents is drawn from a fixed pseudo-random sequence, so the same plan writes the same shapes.
func Fill(ctx context.Context, st store.Store, box *secretbox.Box, plan Plan, now time.Time, rnd io.Reader) (*Manifest, error) {
	if plan.Policies < 1 {
		return nil, fmt.Errorf("seed: %d policies: need at least one", plan.Policies)
	}
	start := time.Now()
	now = now.UTC().Truncate(time.Second)
	ids := idgen.New(rnd)
	if _, err := org.New(st, ids, func() time.Time { return now }).Account(ctx, AccountID(0)); err == nil {
		return nil, ErrSeeded
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	accounts := (plan.Policies + PoliciesPerAccount - 1) / PoliciesPerAccount
	m := &Manifest{Format: Format, Policies: plan.Policies, Accounts: accounts}
	// Laying out documents and encoding records cost about as much as storing them: one goroutine
	// prepares the next batch while the store writes this one.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *batch, 1)
	go func() {
		defer close(batches)
		for lo := 0; lo < accounts; lo += accountsPerTx {
			b := prepare(lo, min(lo+accountsPerTx, accounts), plan.Policies, now, ids, box)
			select {
			case batches <- b:
			case <-ctx.Done():
				return
			}
			if b.err != nil {
				return
			}
		}
	}()
	for b := range batches {
		if b.err != nil {
			return nil, b.err
		}
		err := st.Update(ctx, func(tx store.Tx) error {
			for _, r := range b.records {
				if err := tx.Insert(r.table, r.key, r.val); err != nil {
					return fmt.Errorf("%s %s: %w", r.table, r.key, err)
				}
			}
			return nil
		})
		if errors.Is(err, store.ErrExists) {
			return nil, fmt.Errorf("%w: %v", ErrSeeded, err)
		}
		if err != nil {
			return nil, err
		}
		for _, a := range b.accounts {
			m.add(a)
		}
		if plan.Progress != nil {
			plan.Progress(b.hi, accounts)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.Seconds = time.Since(start).Seconds()
	return m, nil
}

// batch is the records of accounts [lo, hi), encoded and sorted by table and key so that the
// store appends to each table in order.
type batch struct {
	hi       int
	accounts []*account
	records  []record
	err      error
}

// prepare lays out and encodes accounts [lo, hi) of a plan of policies in all.
func prepare(lo, hi, policies int, now time.Time, ids *idgen.Gen, box *secretbox.Box) *batch {
	b := &batch{hi: hi}
	rec := &recorder{}
	l := iam.NewLoader(rec, box)
	for i := lo; i < hi; i++ {
		a := build(i, min(PoliciesPerAccount, policies-i*PoliciesPerAccount), now, ids)
		if b.err = a.write(rec, l); b.err != nil {
			return b
		}
		b.accounts = append(b.accounts, a)
	}
	slices.SortFunc(rec.records, func(x, y record) int {
		if c := cmp.Compare(x.table, y.table); c != 0 {
			return c
		}
		return cmp.Compare(x.key, y.key)
	})
	b.records = rec.records
	return b
}

// AccountID returns the ID of the i-th seeded account; account 0 is the bench account.
func AccountID(i int) string { return fmt.Sprintf("9%011d", i) }

// account is everything seeded into one account, built in memory before it is written.
type account struct {
	org      org.Account
	policies []*iam.ManagedPolicy
	roles    []*iam.Role
	users    []*iam.User
	groups   []*iam.Group
	attach   []attachment
	inline   []inline
	members  [][2]string // group, user
	keyUsers []string
	bench    *Bench
	ids      *idgen.Gen
	now      time.Time
}

type attachment struct {
	kind, entity string
	policy       *iam.ManagedPolicy
}

type inline struct {
	kind, entity string
	policy       iam.InlinePolicy
}

func name(kind string, i int) string { return kind + "-" + fmt.Sprintf("%04d", i) }

// build lays out account i with n managed policies.
func build(i, n int, now time.Time, ids *idgen.Gen) *account {
	acct := AccountID(i)
	r := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	a := &account{ids: ids, now: now,
		org: org.Account{ID: acct, Name: "seed-" + strconv.Itoa(i), Email: "seed-" + strconv.Itoa(i) + "@rolegate.local", Created: now}}
	for p := range n {
		a.policies = append(a.policies, a.policy(name("policy", p), "/seed/", identityDocument(r, acct, 5, 20)))
	}
	pick := func(k int) *iam.ManagedPolicy { return a.policies[k%len(a.policies)] }
	for g := range GroupsPerAccount {
		grp := &iam.Group{Account: acct, Name: name("group", g), Path: "/teams/", ID: ids.Unique(idgen.Group), Created: now}
		a.groups = append(a.groups, grp)
		for k := range groupPolicies {
			a.attach = append(a.attach, attachment{iam.KindGroup, grp.Name, pick(7*g + k)})
		}
	}
	for u := range UsersPerAccount {
		usr := &iam.User{Account: acct, Name: name("user", u), Path: "/people/", ID: ids.Unique(idgen.User), Created: now,
			Tags: []iam.Tag{{Key: "team", Value: team(r)}, {Key: "cost-center", Value: strconv.Itoa(1000 + r.IntN(9000))}}}
		a.users = append(a.users, usr)
		a.members = append(a.members, [2]string{name("group", u%GroupsPerAccount), usr.Name})
		a.attach = append(a.attach, attachment{iam.KindUser, usr.Name, pick(11*u + 3)})
		a.keyUsers = append(a.keyUsers, usr.Name)
	}
	for ro := range RolesPerAccount {
		role := &iam.Role{Account: acct, Name: name("role", ro), Path: "/service-role/", ID: ids.Unique(idgen.Role), Created: now,
			TrustPolicy: trustDocument(r, acct), Description: "seeded role " + strconv.Itoa(ro),
			Tags: []iam.Tag{{Key: "team", Value: team(r)}}}
		a.roles = append(a.roles, role)
		for k := range rolePolicies {
			a.attach = append(a.attach, attachment{iam.KindRole, role.Name, pick(rolePolicies*ro + k)})
		}
		if ro%2 == 0 {
			a.inline = append(a.inline, inline{iam.KindRole, role.Name, iam.InlinePolicy{Name: "inline",
				Document: identityDocument(r, acct, 2, 5)}})
		}
	}
	if i == 0 {
		a.addBench()
	}
	for _, at := range a.attach {
		at.policy.Attachments++
	}
	return a
}

func (a *account) policy(name, path, doc string) *iam.ManagedPolicy {
	return &iam.ManagedPolicy{Account: a.org.ID, Name: name, Path: path, ID: a.ids.Unique(idgen.Policy),
		Created: a.now, Updated: a.now, DefaultVersion: "v1", NextVersion: 2,
		Versions: []iam.PolicyVersion{{ID: "v1", Document: doc, Created: a.now}}}
}

// addBench adds the bench user, group, role and policy to the account (account 0).
func (a *account) addBench() {
	acct := a.org.ID
	a.org.Name = benchAccountNm
	pol := a.policy(BenchPolicy, "/bench/", BenchCallerPolicy(acct))
	a.policies = append(a.policies, pol)
	grp := &iam.Group{Account: acct, Name: BenchGroup, Path: "/bench/", ID: a.ids.Unique(idgen.Group), Created: a.now}
	usr := &iam.User{Account: acct, Name: BenchUser, Path: BenchUserPath, ID: a.ids.Unique(idgen.User), Created: a.now,
		Tags: []iam.Tag{{Key: "team", Value: BenchTeam}}}
	role := &iam.Role{Account: acct, Name: BenchRole, Path: "/", ID: a.ids.Unique(idgen.Role), Created: a.now,
		TrustPolicy: BenchTrustPolicy(acct), Description: "assumed by the benchmark harness", Tags: []iam.Tag{{Key: "team", Value: BenchTeam}}}
	a.groups = append(a.groups, grp)
	a.users = append(a.users, usr)
	a.roles = append(a.roles, role)
	a.members = append(a.members, [2]string{BenchGroup, BenchUser}, [2]string{"group-0000", BenchUser})
	n := len(a.policies) - 1 // generated ones
	at := func(kind, entity string, k int) {
		a.attach = append(a.attach, attachment{kind, entity, a.policies[k%n]})
	}
	a.attach = append(a.attach, attachment{iam.KindUser, BenchUser, pol})
	at(iam.KindUser, BenchUser, 0)
	at(iam.KindUser, BenchUser, 1)
	at(iam.KindGroup, BenchGroup, 2)
	at(iam.KindGroup, BenchGroup, 3)
	for k := 4; k < 4+rolePolicies; k++ {
		at(iam.KindRole, BenchRole, k)
	}
	a.inline = append(a.inline, inline{iam.KindRole, BenchRole, iam.InlinePolicy{Name: benchInline, Document: BenchRoleInline(acct)}})
	a.bench = &Bench{Account: acct, UserARN: BenchUserARN(acct), RoleARN: BenchRoleARN(acct), ExternalID: BenchExternal,
		Bucket: BenchBucket(acct), Region: BenchRegion}
}

// write stores the account's records.
func (a *account) write(tx store.Tx, l *iam.Loader) error {
	if err := org.LoadAccount(tx, &a.org); err != nil {
		return err
	}
	for _, p := range a.policies {
		if err := l.Policy(p); err != nil {
			return err
		}
	}
	for _, g := range a.groups {
		if err := l.Group(g); err != nil {
			return err
		}
	}
	for _, u := range a.users {
		if err := l.User(u); err != nil {
			return err
		}
	}
	for _, ro := range a.roles {
		if err := l.Role(ro); err != nil {
			return err
		}
	}
	for _, m := range a.members {
		if err := l.Member(a.org.ID, m[0], m[1]); err != nil {
			return err
		}
	}
	for _, at := range a.attach {
		if err := l.Attach(a.org.ID, at.kind, at.entity, at.policy); err != nil {
			return err
		}
	}
	for _, in := range a.inline {
		if err := l.Inline(a.org.ID, in.kind, in.entity, in.policy); err != nil {
			return err
		}
	}
	for _, u := range a.keyUsers {
		if _, err := l.AccessKey(a.org.ID, u, a.ids.AccessKeyID(idgen.LongTermKey), a.ids.Secret(), a.now); err != nil {
			return err
		}
	}
	if a.bench != nil {
		a.bench.AccessKeyID, a.bench.SecretAccessKey = a.ids.AccessKeyID(idgen.LongTermKey), a.ids.Secret()
		if _, err := l.AccessKey(a.org.ID, BenchUser, a.bench.AccessKeyID, a.bench.SecretAccessKey, a.now); err != nil {
			return err
		}
	}
	return nil
}
