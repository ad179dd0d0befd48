package cond

import "testing"

// ctxOf builds a context from string and []string values.
func ctxOf(kv map[string]any) *Context {
	c := &Context{}
	for k, v := range kv {
		switch v := v.(type) {
		case string:
			c.Set(k, v)
		case []string:
			c.SetMulti(k, v)
		}
	}
	return c
}

// evalCase is one row of the operator tables: operator, key and policy values against a
// request context.
type evalCase struct {
	name   string
	op     string
	key    string
	values []string
	ctx    map[string]any
	want   bool
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Compile(tc.op, tc.key, tc.values, true)
			if err != nil {
				t.Fatalf("Compile(%q) = %v", tc.op, err)
			}
			if got := c.Eval(ctxOf(tc.ctx)); got != tc.want {
				t.Errorf("%s %s %q against %v = %v, want %v", tc.op, tc.key, tc.values, tc.ctx, got, tc.want)
			}
		})
	}
}
