package authz

import (
	"go/build"
	"strings"
	"testing"
)

// TestPureCore keeps the evaluator's packages free of I/O: they must not import net/http,
// database/sql, os or os/exec, directly or through another rolegate package.
func TestPureCore(t *testing.T) {
	forbidden := map[string]bool{"net/http": true, "database/sql": true, "os": true, "os/exec": true}
	seen := map[string]bool{}
	var check func(path, dir string)
	check = func(path, dir string) {
		if seen[path] {
			return
		}
		seen[path] = true
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			if forbidden[imp] {
				t.Errorf("%s imports %s", path, imp)
			}
			if rest, ok := strings.CutPrefix(imp, "rolegate/internal/"); ok {
				check(imp, "../"+rest)
			}
		}
	}
	check("rolegate/internal/authz", ".")
	for _, p := range []string{"arn", "glob", "policy", "policy/cond", "authz"} {
		if !seen["rolegate/internal/"+p] {
			t.Errorf("rolegate/internal/%s was not checked", p)
		}
	}
}
