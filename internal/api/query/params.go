package query

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Params are the decoded parameters of one Query request (body and URL query merged, body first).
type Params struct {
	v url.Values
}

// NewParams wraps decoded form values.
func NewParams(v url.Values) Params { return Params{v: v} }

// Values returns the underlying form values.
func (p Params) Values() url.Values { return p.v }

// Has reports whether the parameter was sent, even with an empty value.
func (p Params) Has(name string) bool {
	_, ok := p.v[name]
	return ok
}

// String returns the parameter's value, or "" when absent.
func (p Params) String(name string) string { return p.v.Get(name) }

// Opt returns the value and whether it was sent non-empty. Terraform sends some optional
// parameters as empty strings; AWS treats those as unset.
func (p Params) Opt(name string) (string, bool) {
	s := p.v.Get(name)
	return s, s != ""
}

// List returns the members of a non-flattened list: Name.member.1, Name.member.2, ... in index
// order. An explicitly empty list ("Name=") yields an empty, non-nil slice.
func (p Params) List(name string) []string {
	idx := p.indexes(name + ".member.")
	if idx == nil {
		if p.Has(name) {
			return []string{}
		}
		return nil
	}
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		if v, ok := p.v[name+".member."+strconv.Itoa(i)]; ok && len(v) > 0 {
			out = append(out, v[0])
		}
	}
	return out
}

// Structs returns the members of a list of structures: Name.member.N.Field, as one Params per
// member holding its fields by their short names.
func (p Params) Structs(name string) []Params { return p.structsAt(name + ".member.") }

// Struct returns the fields of a structure parameter: Name.Field.
func (p Params) Struct(name string) Params {
	sub := name + "."
	vals := url.Values{}
	for k, v := range p.v {
		if strings.HasPrefix(k, sub) {
			vals[k[len(sub):]] = v
		}
	}
	return Params{v: vals}
}

// Flat returns the members of a flattened list (the EC2 dialect): Name.1, Name.2, ...
func (p Params) Flat(name string) []string {
	idx := p.indexes(name + ".")
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		if v, ok := p.v[name+"."+strconv.Itoa(i)]; ok && len(v) > 0 {
			out = append(out, v[0])
		}
	}
	return out
}

// FlatStructs returns the members of a flattened list of structures: Name.N.Field.
func (p Params) FlatStructs(name string) []Params { return p.structsAt(name + ".") }

// structsAt returns one Params per index N of the keys prefix+N.Field, in index order.
func (p Params) structsAt(prefix string) []Params {
	idx := p.indexes(prefix)
	out := make([]Params, 0, len(idx))
	for _, i := range idx {
		out = append(out, p.Struct(prefix+strconv.Itoa(i)))
	}
	return out
}

// indexes returns the sorted distinct positive integers N found in keys prefix+N[.…].
func (p Params) indexes(prefix string) []int {
	seen := map[int]bool{}
	for k := range p.v {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		rest := k[len(prefix):]
		if dot := strings.IndexByte(rest, '.'); dot >= 0 {
			rest = rest[:dot]
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 {
			continue
		}
		seen[n] = true
	}
	if len(seen) == 0 {
		return nil
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}
