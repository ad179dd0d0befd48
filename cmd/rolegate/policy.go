package main

import (
	"fmt"
	"io"
)

// runPolicy implements "rolegate policy ...".
func runPolicy(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "rolegate policy: not available yet")
	return 2
}
