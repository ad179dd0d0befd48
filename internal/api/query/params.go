package query

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"rolegate/internal/audit"
)

// Params are the decoded parameters of one Query request: name/value pairs in the order they
// arrived (body first, then the URL query). Names and values share the memory of the request as
// far as decoding allows; a request has a handful of parameters, so lookups scan.
type Params struct {
	kv []pair
}

type pair struct{ k, v string }

// Parse decodes a form body and a URL query (x-www-form-urlencoded, '+' meaning a space). A
// malformed escape is an error.
func Parse(body, rawQuery string) (Params, error) {
	var p Params
	n := strings.Count(body, "&") + strings.Count(rawQuery, "&") + 2
	p.kv = make([]pair, 0, n)
	for _, src := range [2]string{body, rawQuery} {
		for src != "" {
			var field string
			field, src, _ = strings.Cut(src, "&")
			if field == "" {
				continue
			}
			k, v, _ := strings.Cut(field, "=")
			k, err := url.QueryUnescape(k)
			if err != nil {
				return Params{}, err
			}
			if v, err = url.QueryUnescape(v); err != nil {
				return Params{}, err
			}
			p.kv = append(p.kv, pair{k, v})
		}
	}
	return p, nil
}

// NewParams wraps form values (tests build requests this way).
func NewParams(v url.Values) Params {
	var p Params
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range v {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, s := range v[k] {
			p.kv = append(p.kv, pair{k, s})
		}
	}
	return p
}

// lookup returns the first value of name.
func (p Params) lookup(name string) (string, bool) {
	for _, kv := range p.kv {
		if kv.k == name {
			return kv.v, true
		}
	}
	return "", false
}

// Has reports whether the parameter was sent, even with an empty value.
func (p Params) Has(name string) bool {
	_, ok := p.lookup(name)
	return ok
}

// String returns the parameter's value, or "" when absent.
func (p Params) String(name string) string {
	v, _ := p.lookup(name)
	return v
}

// Opt returns the value and whether it was sent non-empty. Terraform sends some optional
// parameters as empty strings; AWS treats those as unset.
func (p Params) Opt(name string) (string, bool) {
	s := p.String(name)
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
	return p.members(name+".member.", idx)
}

// Flat returns the members of a flattened list (the EC2 dialect): Name.1, Name.2, ...
func (p Params) Flat(name string) []string {
	return p.members(name+".", p.indexes(name+"."))
}

func (p Params) members(prefix string, idx []int) []string {
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		if v, ok := p.lookup(prefix + strconv.Itoa(i)); ok {
			out = append(out, v)
		}
	}
	return out
}

// Structs returns the members of a list of structures: Name.member.N.Field, as one Params per
// member holding its fields by their short names.
func (p Params) Structs(name string) []Params { return p.structsAt(name + ".member.") }

// FlatStructs returns the members of a flattened list of structures: Name.N.Field.
func (p Params) FlatStructs(name string) []Params { return p.structsAt(name + ".") }

// Struct returns the fields of a structure parameter: Name.Field.
func (p Params) Struct(name string) Params {
	sub := name + "."
	var out Params
	for _, kv := range p.kv {
		if strings.HasPrefix(kv.k, sub) {
			out.kv = append(out.kv, pair{kv.k[len(sub):], kv.v})
		}
	}
	return out
}

// structsAt returns one Params per index N of the keys prefix+N.Field, in index order.
func (p Params) structsAt(prefix string) []Params {
	idx := p.indexes(prefix)
	if idx == nil {
		return nil
	}
	out := make([]Params, 0, len(idx))
	for _, i := range idx {
		out = append(out, p.Struct(prefix+strconv.Itoa(i)))
	}
	return out
}

// indexes returns the sorted distinct positive integers N found in keys prefix+N[.…], or nil.
func (p Params) indexes(prefix string) []int {
	var out []int
	for _, kv := range p.kv {
		if !strings.HasPrefix(kv.k, prefix) {
			continue
		}
		rest := kv.k[len(prefix):]
		if dot := strings.IndexByte(rest, '.'); dot >= 0 {
			rest = rest[:dot]
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || slices.Contains(out, n) {
			continue
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// AppendAuditJSON writes the parameters as an audit record's requestParameters: lower-camel
// names, one value as a string and several as a list, without the protocol's own (Action,
// Version) and without secrets.
func (p Params) AppendAuditJSON(b []byte) []byte {
	b = append(b, '{')
	first := true
	for i, kv := range p.kv {
		name := kv.k
		if dot := strings.IndexByte(name, '.'); dot >= 0 {
			name = name[:dot]
		}
		if kv.k == "Action" || kv.k == "Version" || audit.IsSecret(name) || p.seenBefore(i) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = audit.AppendKey(b, kv.k)
		n := p.count(kv.k, i)
		if n == 1 {
			b = audit.AppendString(b, kv.v)
			continue
		}
		b = append(b, '[')
		for j, other := range p.kv[i:] {
			if other.k == kv.k {
				if j > 0 {
					b = append(b, ',')
				}
				b = audit.AppendString(b, other.v)
			}
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// seenBefore reports whether the name of pair i appeared earlier.
func (p Params) seenBefore(i int) bool {
	for _, kv := range p.kv[:i] {
		if kv.k == p.kv[i].k {
			return true
		}
	}
	return false
}

// count returns how many pairs from i on carry name.
func (p Params) count(name string, i int) int {
	n := 0
	for _, kv := range p.kv[i:] {
		if kv.k == name {
			n++
		}
	}
	return n
}
