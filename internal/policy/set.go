package policy

// Set is a group of compiled policies of one kind that are OR-ed together: the identity
// policies of a principal, the session policies of a session, the SCPs attached at one
// level of an organization. Its statements are indexed by service prefix, so a request
// for s3:GetObject visits only statements that name an s3 action or could match any
// action; the cost of a decision does not grow with unrelated policies. A Set is
// immutable and safe for concurrent use.
type Set struct {
	policies []*Compiled
	idx      index
}

// NewSet builds a set of policies. Nil entries are skipped.
func NewSet(policies ...*Compiled) *Set {
	s := &Set{policies: make([]*Compiled, 0, len(policies))}
	for _, p := range policies {
		if p != nil {
			s.policies = append(s.policies, p)
		}
	}
	s.idx = buildIndex(s.policies)
	return s
}

// Policies returns the set's policies. Callers must not modify the slice.
func (s *Set) Policies() []*Compiled { return s.policies }

// Len returns the number of policies in the set.
func (s *Set) Len() int { return len(s.policies) }

// ref names statement stmt of policy pol.
type ref struct{ pol, stmt uint32 }

func (a ref) before(b ref) bool { return a.pol < b.pol || (a.pol == b.pol && a.stmt < b.stmt) }

// index maps a lower-case service prefix to the statements whose actions name it;
// statements that can match any service (Action "*", NotAction, a wildcard in the prefix)
// are in any. Both lists are in document order.
type index struct {
	byService map[string][]ref
	any       []ref
}

func buildIndex(policies []*Compiled) index {
	idx := index{byService: map[string][]ref{}}
	for pi, p := range policies {
		for si := range p.stmts {
			st := &p.stmts[si]
			r := ref{uint32(pi), uint32(si)}
			if st.matchesAnyService() {
				idx.any = append(idx.any, r)
				continue
			}
			for _, a := range st.actions {
				if a.never {
					continue
				}
				refs := idx.byService[a.svc]
				if n := len(refs); n == 0 || refs[n-1] != r {
					idx.byService[a.svc] = append(refs, r)
				}
			}
		}
	}
	return idx
}

func (st *statement) matchesAnyService() bool {
	if st.notAction {
		return true
	}
	for _, a := range st.actions {
		if a.all || (!a.never && a.svc == "") {
			return true
		}
	}
	return false
}

// candidates returns the statements for a request's service prefix, which must be lower
// case, and those that can match any service.
func (idx *index) candidates(service string) (svc, any []ref) {
	return idx.byService[service], idx.any
}
